/**
 * A hanging receiver (never answers) costs its tenant only its per-tenant slots until the
 * per-attempt timeout: another tenant's receiver still gets its delivery at once, ingest answers
 * as usual, and close() is bounded by delivery.stopTimeoutMs.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, postJson, getJson, type TestServer } from '../helpers/server.js';
import { Receiver, eventually } from './receiver.js';

const attemptTimeoutMs = 600;
const perTenant = 2;
const stopTimeoutMs = 200;
let server: TestServer;
let hanging: Receiver;
let good: Receiver;

async function tenant(name: string): Promise<{ id: string; admin: string; ingest: string }> {
  const t = await postJson(server.base, '/tenants', { name, tier: 'premium' });
  const admin = (await postJson(server.base, `/tenants/${t.body.id}/keys`, { name: 'admin', scopes: ['admin'] })).body.key;
  const ingest = (await postJson(server.base, `/tenants/${t.body.id}/keys`, { name: 'ingest', scopes: ['ingest'] })).body.key;
  return { id: t.body.id, admin, ingest };
}

beforeAll(async () => {
  server = await startTestServer({
    shards: 1,
    delivery: { attemptTimeoutMs, stopTimeoutMs, concurrency: { global: 8, perTenant }, backoff: { baseMs: 100, factor: 2, maxDelayMs: 1_000, maxAttempts: 2, jitter: 0, seed: null } },
  });
  hanging = await Receiver.start(() => 'hang');
  good = await Receiver.start(() => 204);
});
afterAll(async () => {
  await server?.close();
  await hanging?.close();
  await good?.close();
});

describe('isolation', () => {
  it('keeps a hanging receiver from delaying another tenant or ingest, and times its attempts out', async () => {
    const slow = await tenant('slow');
    const fast = await tenant('fast');
    const hs = (await postJson(server.base, '/webhooks', { url: hanging.url, events: ['insight.transition'] }, undefined, slow.admin)).body;
    const hf = (await postJson(server.base, '/webhooks', { url: good.url, events: ['insight.transition'] }, undefined, fast.admin)).body;
    for (let i = 0; i < 6; i++) await server.handle.deliveries.enqueue({ tenantId: slow.id, event: 'insight.transition', payload: { i }, idempotencyKey: `slow-${i}` });
    await hanging.until((r) => r.length === perTenant);

    const t0 = Date.now();
    await server.handle.deliveries.enqueue({ tenantId: fast.id, event: 'insight.transition', payload: { ok: true }, idempotencyKey: 'fast-1' });
    await good.until((r) => r.length === 1);
    const waited = Date.now() - t0;
    expect(waited).toBeLessThan(attemptTimeoutMs / 2);
    // only the slow tenant's slots are taken by the hanging receiver
    expect(hanging.received.length).toBe(perTenant);

    const ingestStart = Date.now();
    const ingest = await postJson(server.base, '/events', { sellerId: 'shop-1', timestamp: Date.now(), type: 'VIEW' }, undefined, slow.ingest);
    expect(ingest.status).toBe(202);
    expect(Date.now() - ingestStart).toBeLessThan(attemptTimeoutMs / 2);

    const delivered = await eventually(async () => {
      const ds = (await getJson(server.base, `/webhooks/${hf.id}/deliveries`, fast.admin)).body.deliveries;
      return ds[0]?.state === 'delivered' ? ds[0] : undefined;
    });
    expect(delivered.log).toEqual([expect.objectContaining({ attempt: 1, status: 204, error: null })]);

    // the hanging attempts end at the per-attempt timeout and are logged as such
    const timedOut = await eventually(async () => {
      const ds = (await getJson(server.base, `/webhooks/${hs.id}/deliveries`, slow.admin)).body.deliveries as any[];
      const logged = ds.flatMap((d) => d.log);
      return logged.length >= perTenant ? logged : undefined;
    });
    for (const a of timedOut) {
      expect(a.status).toBeNull();
      expect(a.error).toBe(`timeout after ${attemptTimeoutMs} ms`);
      expect(a.durationMs).toBeGreaterThanOrEqual(attemptTimeoutMs - 1);
      expect(a.durationMs).toBeLessThan(attemptTimeoutMs * 3);
    }
    expect(server.handle.deliveries.inFlight).toBeLessThanOrEqual(perTenant);
  });

  it('stops within stopTimeoutMs although attempts still hang', async () => {
    await eventually(() => (server.handle.deliveries.inFlight > 0 ? true : undefined));
    const t0 = Date.now();
    await server.handle.deliveries.stop();
    expect(Date.now() - t0).toBeLessThan(stopTimeoutMs + attemptTimeoutMs / 2);
    expect(server.handle.deliveries.inFlight).toBe(0);
  });
});
