/**
 * Tenants and keys (issue 5): isolation for every endpoint, scopes, suspension (403), revocation
 * (401, also for an open WebSocket), nothing revealing whether a tenant, key or seller exists, and
 * no raw key in the store or the logs.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startTestServer, postJson, getJson, sendJson, deleteJson, kTestAdminKey, type TestServer } from '../helpers/server.js';
import { StreamClient } from '../helpers/ws-client.js';

interface Keys {
  ingest: string;
  read: string;
  admin: string;
  embed: string;
}

const logLines: string[] = [];
const logSink = new Writable({
  write(chunk: Buffer, _enc, done) {
    logLines.push(chunk.toString());
    done();
  },
});

let server: TestServer;
const tenants: Record<'A' | 'B', { id: string; keys: Keys }> = {} as never;
const now = Date.now();
const ev = (sellerId: string, extra: Record<string, unknown> = {}) => ({ sellerId, timestamp: now, type: 'VIEW', ...extra });

async function makeTenant(name: string, tier: string): Promise<{ id: string; keys: Keys }> {
  const t = await postJson(server.base, '/tenants', { name, tier });
  expect(t.status).toBe(201);
  expect(t.body).toMatchObject({ name, tier, status: 'active' });
  const keys = {} as Keys;
  for (const scope of ['ingest', 'read', 'admin', 'embed'] as const) {
    const k = await postJson(server.base, `/tenants/${t.body.id}/keys`, { name: `${name}-${scope}`, scopes: [scope] });
    expect(k.status).toBe(201);
    expect(k.body.key).toMatch(/^sp_/);
    expect(k.body.prefix).toBe(k.body.key.slice(0, k.body.prefix.length));
    expect(k.body).not.toHaveProperty('hash');
    keys[scope] = k.body.key;
  }
  return { id: t.body.id, keys };
}

/** Fills a route pattern's parameters with harmless values. */
function concrete(path: string): string {
  return path.replace(':seller', 'nobody').replace(':id', 'nothing');
}

beforeAll(async () => {
  server = await startTestServer({ log: { level: 'trace', access: { success: 'info', clientError: 'info', rateLimited: 'info', serverError: 'error' } } },
    pino({ level: 'trace' }, logSink));
  tenants.A = await makeTenant('alpha', 'basic');
  tenants.B = await makeTenant('beta', 'premium');
  // the same seller ID in both tenants, and one seller only B has
  expect((await postJson(server.base, '/events/batch', [ev('s1'), ev('s1'), ev('s1')], undefined, tenants.A.keys.ingest)).status).toBe(202);
  expect((await postJson(server.base, '/events/batch', [ev('s1'), ev('s1'), ev('s1'), ev('s1'), ev('s1'), ev('b-only')], undefined, tenants.B.keys.ingest)).status).toBe(202);
  await server.handle.engine.drain();
});
afterAll(async () => server?.close());

describe('tenants and keys', () => {
  it('keeps each tenant\'s sellers apart: the same ID is two sellers', async () => {
    const a = await getJson(server.base, '/metrics/s1/series?type=VIEW', tenants.A.keys.read);
    const b = await getJson(server.base, '/metrics/s1/series?type=VIEW', tenants.B.keys.read);
    expect(a.body.totals.count).toBe(3);
    expect(b.body.totals.count).toBe(5);
    // the operator's own tenant has no s1 at all
    expect((await getJson(server.base, '/metrics/s1/series?type=VIEW')).status).toBe(404);
  });

  it('answers another tenant\'s seller exactly like a seller that does not exist', async () => {
    const paths = ['/metrics/{s}/series?type=VIEW', '/metrics/{s}/anomalies?type=VIEW', '/metrics/{s}/predictions?type=VIEW', '/metrics/{s}/health?type=VIEW'];
    for (const p of paths) {
      const other = await getJson(server.base, p.replace('{s}', 'b-only'), tenants.A.keys.read);
      const none = await getJson(server.base, p.replace('{s}', 'never-seen'), tenants.A.keys.read);
      expect(other.status, p).toBe(404);
      expect(other.body, p).toEqual(none.body);
      expect((await getJson(server.base, p.replace('{s}', 'b-only'), tenants.B.keys.read)).status, p).toBe(200);
    }
    for (const [path, body] of [['/sell/anomaly', { sellerId: 'b-only', type: 'VIEW' }], ['/sell/prediction', { sellerId: 'b-only', type: 'VIEW', predictionHorizon: 5 }]] as const) {
      const other = await postJson(server.base, path, body, undefined, tenants.A.keys.read);
      const none = await postJson(server.base, path, { ...body, sellerId: 'never-seen' }, undefined, tenants.A.keys.read);
      expect(other.status, path).toBe(404);
      expect(other.body, path).toEqual(none.body);
      expect((await postJson(server.base, path, body, undefined, tenants.B.keys.read)).status, path).toBe(200);
    }
  });

  it('lets a tenant admin manage only its own tenant, and only the operator manage tenants and config', async () => {
    const A = tenants.A.keys.admin;
    const B = tenants.B;
    const notFoundB = [
      await getJson(server.base, `/tenants/${B.id}`, A),
      await getJson(server.base, `/tenants/${B.id}/keys`, A),
      await postJson(server.base, `/tenants/${B.id}/keys`, { name: 'x', scopes: ['read'] }, undefined, A),
    ];
    const missing = await getJson(server.base, '/tenants/t_doesnotexist', A);
    for (const r of notFoundB) {
      expect(r.status).toBe(404);
      expect(r.body).toEqual(notFoundB[0].body);
    }
    expect(missing.body).toEqual(notFoundB[0].body);
    // B's keys: A cannot see or revoke them
    const bKeys = await getJson(server.base, `/tenants/${B.id}/keys`);
    expect(bKeys.body.keys).toHaveLength(4);
    for (const k of bKeys.body.keys) expect((await deleteJson(server.base, `/keys/${k.id}`, A)).status).toBe(404);
    expect((await getJson(server.base, '/metrics/s1/series?type=VIEW', B.keys.read)).status).toBe(200);
    // A's own tenant: visible, its keys listable (without secrets)
    expect((await getJson(server.base, `/tenants/${tenants.A.id}`, A)).status).toBe(200);
    const own = await getJson(server.base, `/tenants/${tenants.A.id}/keys`, A);
    expect(own.body.keys.map((k: { name: string }) => k.name).sort()).toEqual(['alpha-admin', 'alpha-embed', 'alpha-ingest', 'alpha-read']);
    expect(JSON.stringify(own.body)).not.toContain(tenants.A.keys.read);
    expect((await getJson(server.base, '/tenants', A)).body.tenants.map((t: { id: string }) => t.id)).toEqual([tenants.A.id]);
    // operator-only: tenants, their tier and status, config, retention, metrics
    expect((await postJson(server.base, '/tenants', { name: 'x', tier: 'basic' }, undefined, A)).status).toBe(403);
    expect((await sendJson('PATCH', server.base, `/tenants/${tenants.A.id}`, { tier: 'enterprise' }, undefined, A)).status).toBe(403);
    expect((await sendJson('PATCH', server.base, `/tenants/${B.id}`, { status: 'suspended' }, undefined, A)).status).toBe(403);
    expect((await postJson(server.base, '/config', { patch: { cache: { beta: 2 } }, reason: 'x' }, undefined, A)).status).toBe(403);
    expect((await postJson(server.base, '/config/rollback/1', {}, undefined, A)).status).toBe(403);
    expect((await postJson(server.base, '/admin/retention/run', {}, undefined, A)).status).toBe(403);
    expect((await getJson(server.base, '/metrics', A)).status).toBe(403);
    expect((await getJson(server.base, '/tenants')).body.tenants.length).toBe(3);
  });

  it('enforces scopes: read cannot ingest, ingest cannot read, embed is read-only', async () => {
    const { ingest, read, embed } = tenants.A.keys;
    for (const key of [read, embed]) {
      expect((await postJson(server.base, '/events', ev('s1'), undefined, key)).status).toBe(403);
      expect((await postJson(server.base, '/events/batch', [ev('s1')], undefined, key)).status).toBe(403);
      expect((await postJson(server.base, `/tenants/${tenants.A.id}/keys`, { name: 'x', scopes: ['admin'] }, undefined, key)).status).toBe(403);
      await expect(StreamClient.open(server.wsUrl, key)).rejects.toThrow(/403/);
    }
    expect((await getJson(server.base, '/metrics/s1/series?type=VIEW', ingest)).status).toBe(403);
    expect((await getJson(server.base, '/metrics/s1/anomalies?type=VIEW', ingest)).status).toBe(403);
    expect((await postJson(server.base, '/sell/anomaly', { sellerId: 's1' }, undefined, ingest)).status).toBe(403);
    expect((await getJson(server.base, '/metrics/s1/series?type=VIEW', embed)).status).toBe(200);
    expect((await postJson(server.base, '/sell/anomaly', { sellerId: 's1' }, undefined, embed)).status).toBe(403);
    expect((await getJson(server.base, '/config', read)).status).toBe(403);
    // nothing of the refused writes was counted
    expect((await getJson(server.base, '/metrics/s1/series?type=VIEW', read)).body.totals.count).toBe(3);
  });

  it('needs a key for every endpoint but /healthz, and answers unknown and revoked keys alike', async () => {
    // WebSocket routes (answering 101) are checked below with a WebSocket client
    const routes = server.handle.router.routes.filter((r) => r.access.kind !== 'public' && r.responses[101] === undefined);
    expect(routes.length).toBeGreaterThan(20);
    for (const r of routes) {
      const method = r.method === 'del' ? 'DELETE' : r.method.toUpperCase();
      const res = await fetch(server.base + concrete(r.path), { method, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' });
      expect(res.status, `${method} ${r.path}`).toBe(401);
      expect(res.headers.get('www-authenticate'), r.path).toMatch(/^Bearer/);
      const bad = await fetch(server.base + concrete(r.path), { method, headers: { authorization: 'Bearer sp_not-a-key', 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' });
      expect(bad.status, `${method} ${r.path}`).toBe(401);
    }
    await expect(StreamClient.open(server.wsUrl, '')).rejects.toThrow(/401/);
    await expect(StreamClient.open(server.base.replace('http', 'ws') + '/feed', '')).rejects.toThrow(/401/);
    expect((await getJson(server.base, '/healthz', '')).status).toBe(200);

    const made = await postJson(server.base, `/tenants/${tenants.A.id}/keys`, { name: 'short-lived', scopes: ['read'] }, undefined, tenants.A.keys.admin);
    expect((await getJson(server.base, '/metrics/s1/series?type=VIEW', made.body.key)).status).toBe(200);
    const revoked = await deleteJson(server.base, `/keys/${made.body.id}`, tenants.A.keys.admin);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toBeGreaterThan(0);
    const withRevoked = await getJson(server.base, '/metrics/s1/series?type=VIEW', made.body.key);
    const withUnknown = await getJson(server.base, '/metrics/s1/series?type=VIEW', made.body.key.slice(0, -2) + 'xx');
    expect(withRevoked.status).toBe(401);
    expect(withRevoked.body).toEqual(withUnknown.body);
  });

  it('closes an open stream at the next frame once its key is revoked', async () => {
    const made = await postJson(server.base, `/tenants/${tenants.A.id}/keys`, { name: 'stream', scopes: ['ingest'] }, undefined, tenants.A.keys.admin);
    const client = await StreamClient.open(server.wsUrl, made.body.key);
    expect((await client.send({ seq: 1, events: [ev('ws-seller')] })).accepted).toBe(1);
    expect((await deleteJson(server.base, `/keys/${made.body.id}`, tenants.A.keys.admin)).status).toBe(200);
    const refused = await client.sendRaw(JSON.stringify({ seq: 2, events: [ev('ws-seller')] }));
    expect(refused.error.status).toBe(401);
    expect((await client.waitClosed()).code).toBe(1008);
    await server.handle.engine.drain();
    expect((await getJson(server.base, '/metrics/ws-seller/series?type=VIEW', tenants.A.keys.read)).body.totals.count).toBe(1);
  });

  it('refuses every key of a suspended tenant with 403, and serves it again once active', async () => {
    const B = tenants.B;
    const client = await StreamClient.open(server.wsUrl, B.keys.ingest);
    expect((await client.send({ seq: 1, events: [ev('b-ws')] })).accepted).toBe(1);
    expect((await sendJson('PATCH', server.base, `/tenants/${B.id}`, { status: 'suspended' })).body.status).toBe('suspended');
    expect((await getJson(server.base, '/metrics/s1/series?type=VIEW', B.keys.read)).status).toBe(403);
    expect((await postJson(server.base, '/events', ev('s1'), undefined, B.keys.ingest)).status).toBe(403);
    expect((await getJson(server.base, `/tenants/${B.id}/keys`, B.keys.admin)).status).toBe(403);
    await expect(StreamClient.open(server.wsUrl, B.keys.ingest)).rejects.toThrow(/403/);
    const refused = await client.sendRaw(JSON.stringify({ seq: 2, events: [ev('b-ws')] }));
    expect(refused.error.status).toBe(403);
    expect((await client.waitClosed()).code).toBe(1008);
    // the operator tenant cannot be suspended
    expect((await sendJson('PATCH', server.base, '/tenants/default', { status: 'suspended' })).status).toBe(409);
    expect((await sendJson('PATCH', server.base, `/tenants/${B.id}`, { status: 'active' })).status).toBe(200);
    expect((await getJson(server.base, '/metrics/s1/series?type=VIEW', B.keys.read)).body.totals.count).toBe(5);
  });

  it('keeps raw keys out of the store and the logs, and logs each request with tenant, trace id, route, status and duration', async () => {
    const traced = await fetch(server.base + '/metrics/s1/series?type=VIEW', { headers: { authorization: `Bearer ${tenants.A.keys.read}`, 'x-request-id': 'trace-abc.123' } });
    expect(traced.headers.get('x-request-id')).toBe('trace-abc.123');
    const untraced = await fetch(server.base + '/healthz');
    expect(untraced.headers.get('x-request-id')).toMatch(/^[a-z0-9]+-[a-z0-9]+-[a-z0-9]+$/);
    await server.handle.registry.flushLastUsed();
    const keysA = await getJson(server.base, `/tenants/${tenants.A.id}/keys`);
    expect(keysA.body.keys.find((k: { name: string }) => k.name === 'alpha-read').lastUsedAt).toBeGreaterThan(0);

    const lines = logLines.join('').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const line = lines.find((l) => l.trace_id === 'trace-abc.123');
    expect(line).toMatchObject({ msg: 'request', tenant_id: tenants.A.id, route: '/metrics/:seller/series', status: 200 });
    expect(typeof line!.durationMs).toBe('number');
    const allKeys = [kTestAdminKey, ...Object.values(tenants.A.keys), ...Object.values(tenants.B.keys)];
    const logText = logLines.join('');
    // events are never logged: no seller ID of an event appears either
    expect(logText).not.toContain('b-only');
    const dir = server.config.dataDir;
    const stored = readdirSync(dir, { recursive: true }).map(String)
      .filter((f) => !f.endsWith('.secret'))
      .map((f) => join(dir, f))
      .filter((p) => statSync(p).isFile());
    expect(stored.some((p) => p.endsWith('sellerpulse.lmdb'))).toBe(true);
    const bytes = stored.map((p) => readFileSync(p).toString('latin1'));
    for (const key of allKeys) {
      expect(logText.includes(key), 'a key in the logs').toBe(false);
      for (const b of bytes) expect(b.includes(key), 'a key in the data dir').toBe(false);
    }
    // the store does hold the keys' HMACs (the test would pass vacuously if it held no key records at all)
    const records = [...server.handle.store.apiKeys.getRange()].map((e) => e.value);
    expect(records.length).toBeGreaterThanOrEqual(9);
    for (const r of records) expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
