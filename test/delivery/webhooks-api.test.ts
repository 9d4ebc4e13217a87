/**
 * Webhook registration through the API: who may register, list and delete, URL and event checks
 * (problem+json naming the field), another tenant's webhook answered like a missing one, and the
 * signing secret never stored in plain text.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startTestServer, postJson, getJson, deleteJson, type TestServer } from '../helpers/server.js';

let server: TestServer;
const keys = { A: { admin: '', read: '' }, B: { admin: '' } };
const tenantIds = { A: '', B: '' };

async function tenantWithKeys(name: string, scopes: string[]): Promise<{ id: string; keys: Record<string, string> }> {
  const t = await postJson(server.base, '/tenants', { name, tier: 'premium' });
  expect(t.status).toBe(201);
  const out: Record<string, string> = {};
  for (const s of scopes) out[s] = (await postJson(server.base, `/tenants/${t.body.id}/keys`, { name: `${name}-${s}`, scopes: [s] })).body.key;
  return { id: t.body.id, keys: out };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

beforeAll(async () => {
  server = await startTestServer({ shards: 1 });
  const a = await tenantWithKeys('alpha', ['admin', 'read']);
  const b = await tenantWithKeys('beta', ['admin']);
  tenantIds.A = a.id;
  tenantIds.B = b.id;
  keys.A = { admin: a.keys.admin, read: a.keys.read };
  keys.B = { admin: b.keys.admin };
});
afterAll(async () => server?.close());

describe('webhook registration', () => {
  it('registers a webhook and shows its secret once', async () => {
    const made = await postJson(server.base, '/webhooks', { url: 'https://example.com/hook', events: ['alert.created', 'insight.transition'] }, undefined, keys.A.admin);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ url: 'https://example.com/hook', events: ['alert.created', 'insight.transition'] });
    expect(made.body.id).toMatch(/^wh_/);
    expect(made.body.secret).toMatch(/^whsec_/);
    const list = await getJson(server.base, '/webhooks', keys.A.admin);
    expect(list.status).toBe(200);
    expect(list.body.webhooks).toEqual([{ id: made.body.id, url: made.body.url, events: made.body.events, createdAt: made.body.createdAt }]);
    expect(JSON.stringify(list.body)).not.toContain(made.body.secret);
    const log = await getJson(server.base, `/webhooks/${made.body.id}/deliveries`, keys.A.admin);
    expect(log.status).toBe(200);
    expect(log.body).toEqual({ deliveries: [], nextCursor: null });
  });

  it('answers another tenant\'s webhook exactly like a missing one', async () => {
    const made = await postJson(server.base, '/webhooks', { url: 'http://127.0.0.1:9/x', events: ['alert.resolved'] }, undefined, keys.A.admin);
    const id = made.body.id as string;
    expect((await getJson(server.base, '/webhooks', keys.B.admin)).body.webhooks).toEqual([]);
    const other = await getJson(server.base, `/webhooks/${id}/deliveries`, keys.B.admin);
    const missing = await getJson(server.base, '/webhooks/wh_nothing/deliveries', keys.B.admin);
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toBe('application/problem+json');
    expect(other.body).toEqual(missing.body);
    const del = await deleteJson(server.base, `/webhooks/${id}`, keys.B.admin);
    expect(del.status).toBe(404);
    expect(del.body).toEqual((await deleteJson(server.base, '/webhooks/wh_nothing', keys.B.admin)).body);
    // the operator is a tenant like any other here: it does not see A's webhooks either
    expect((await getJson(server.base, `/webhooks/${id}/deliveries`)).status).toBe(404);
    // still A's, and A can delete it
    expect((await deleteJson(server.base, `/webhooks/${id}`, keys.A.admin)).status).toBe(200);
    expect((await getJson(server.base, `/webhooks/${id}/deliveries`, keys.A.admin)).status).toBe(404);
  });

  it('refuses bad URLs and events with a problem naming the field', async () => {
    for (const url of ['ftp://example.com/x', 'not a url', 'javascript:alert(1)', 'file:///etc/passwd', 'https://' + 'a'.repeat(server.config.delivery.maxUrlLength)]) {
      const r = await postJson(server.base, '/webhooks', { url, events: ['alert.created'] }, undefined, keys.A.admin);
      expect(r.status, url).toBe(400);
      expect(r.headers.get('content-type')).toBe('application/problem+json');
      expect(r.body.type).toBe('/problems/invalid_request');
      expect(r.body.errors.map((e: { path: string }) => e.path), url).toEqual(['/url']);
    }
    for (const events of [[], ['alert.deleted'], ['alert.created', 'alert.created']]) {
      const r = await postJson(server.base, '/webhooks', { url: 'https://example.com/', events }, undefined, keys.A.admin);
      expect(r.status, JSON.stringify(events)).toBe(400);
      expect(r.body.errors[0].path).toMatch(/^\/events/);
    }
    const extra = await postJson(server.base, '/webhooks', { url: 'https://example.com/', events: ['alert.created'], secret: 'mine' }, undefined, keys.A.admin);
    expect(extra.status).toBe(400);
    const q = await getJson(server.base, '/webhooks/wh_x/deliveries?state=lost', keys.A.admin);
    expect(q.status).toBe(400);
    expect(q.body.errors[0].path).toBe('query/state');
  });

  it('needs an admin key of the tenant: 401 without a key, 403 with a read key', async () => {
    const body = JSON.stringify({ url: 'https://example.com/', events: ['alert.created'] });
    const none = await fetch(server.base + '/webhooks', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(none.status).toBe(401);
    expect((await fetch(server.base + '/webhooks')).status).toBe(401);
    expect((await postJson(server.base, '/webhooks', JSON.parse(body), undefined, keys.A.read)).status).toBe(403);
    expect((await getJson(server.base, '/webhooks', keys.A.read)).status).toBe(403);
    expect((await getJson(server.base, '/webhooks/wh_x/deliveries', keys.A.read)).status).toBe(403);
    expect((await deleteJson(server.base, '/webhooks/wh_x', keys.A.read)).status).toBe(403);
  });

  it('limits the webhooks per tenant', async () => {
    const max = server.config.delivery.maxWebhooksPerTenant;
    const have = (await getJson(server.base, '/webhooks', keys.B.admin)).body.webhooks.length as number;
    for (let i = have; i < max; i++) expect((await postJson(server.base, '/webhooks', { url: `https://example.com/${i}`, events: ['alert.created'] }, undefined, keys.B.admin)).status).toBe(201);
    const over = await postJson(server.base, '/webhooks', { url: 'https://example.com/over', events: ['alert.created'] }, undefined, keys.B.admin);
    expect(over.status).toBe(409);
    expect(over.body.type).toBe('/problems/webhook_limit');
    expect(over.body.detail).toContain(String(max));
  });

  it('never stores a signing secret in plain text', async () => {
    const made = await postJson(server.base, '/webhooks', { url: 'https://example.com/secret', events: ['alert.created'] }, undefined, keys.A.admin);
    const secret = made.body.secret as string;
    const raw = Buffer.from(secret.slice('whsec_'.length), 'base64url');
    // the record as stored is sealed, and opens only with the server secret
    const stored = server.handle.store.webhooks.get(made.body.id)!;
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(server.handle.deliveries.webhooks.secretOf(stored)).toBe(secret);
    await server.handle.store.root.flushed;
    for (const f of filesUnder(server.config.dataDir)) {
      const bytes = readFileSync(f);
      expect(bytes.includes(secret), f).toBe(false);
      expect(bytes.includes(secret.slice('whsec_'.length)), f).toBe(false);
      expect(bytes.includes(raw), f).toBe(false);
    }
  });

  it('is in the OpenAPI document, which stays valid', async () => {
    const doc = (await getJson(server.base, '/openapi.json')).body;
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(Object.keys(doc.paths['/webhooks'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(doc.paths['/webhooks/{id}'].delete).toBeDefined();
    const log = doc.paths['/webhooks/{id}/deliveries'].get;
    expect(log.parameters.map((p: { in: string; name: string }) => `${p.in}:${p.name}`)).toEqual(['path:id', 'query:state', 'query:limit', 'query:cursor']);
    expect(doc.paths['/webhooks'].post.requestBody.content['application/json'].schema.properties.events.items.enum)
      .toEqual(['alert.created', 'alert.acknowledged', 'alert.resolved', 'insight.transition']);
  });
});
