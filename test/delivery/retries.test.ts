/**
 * Delivery with retries against real receivers: signed bodies, exponential backoff with seeded
 * jitter (delays reproducible and inside the configured bounds), dead letters after maxAttempts,
 * fan-out, replay and redelivery with the original idempotency key, the paginated delivery log.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, postJson, getJson, type TestServer } from '../helpers/server.js';
import { backoffCap, backoffDelay, seededJitter } from '../../dist/engine/delivery/backoff.js';
import { Receiver, eventually, verifies } from './receiver.js';

const attemptTimeoutMs = 2_000;
const backoff = { baseMs: 40, factor: 3, maxDelayMs: 2_000, maxAttempts: 4, jitter: 0.5, seed: 7 };
let server: TestServer;
const receivers: Receiver[] = [];

async function tenant(name: string): Promise<{ id: string; admin: string }> {
  const t = await postJson(server.base, '/tenants', { name, tier: 'basic' });
  const k = await postJson(server.base, `/tenants/${t.body.id}/keys`, { name: 'admin', scopes: ['admin'] });
  return { id: t.body.id, admin: k.body.key };
}

async function webhook(admin: string, url: string, events = ['alert.created']): Promise<{ id: string; secret: string }> {
  const r = await postJson(server.base, '/webhooks', { url, events }, undefined, admin);
  expect(r.status).toBe(201);
  return r.body;
}

async function receiver(behaviour?: (n: number) => number | 'hang'): Promise<Receiver> {
  const r = await Receiver.start(behaviour);
  receivers.push(r);
  return r;
}

/** The webhook's deliveries once `done` holds for them. */
function logOnce(admin: string, webhookId: string, done: (ds: any[]) => boolean, query = ''): Promise<any[]> {
  return eventually(async () => {
    const r = await getJson(server.base, `/webhooks/${webhookId}/deliveries${query}`, admin);
    return done(r.body.deliveries) ? r.body.deliveries : undefined;
  });
}

beforeAll(async () => {
  server = await startTestServer({ shards: 1, delivery: { backoff, attemptTimeoutMs } });
});
afterAll(async () => {
  await server?.close();
  for (const r of receivers) await r.close();
});

describe('delivery with retries', () => {
  const t = { id: '', admin: '' };
  let hook = { id: '', secret: '' };
  let rx: Receiver;
  let first: any;
  const payload = { alertId: 'a1', score: 0.97, level: 'high' };

  it('retries with growing, jittered delays and delivers on attempt 4 with a verifiable signature', async () => {
    Object.assign(t, await tenant('retry'));
    const failures = [500, 503, 429];
    rx = await receiver((n) => failures[n - 1] ?? 200);
    hook = await webhook(t.admin, rx.url);
    const made = await server.handle.deliveries.enqueue({ tenantId: t.id, event: 'alert.created', payload, idempotencyKey: 'alert-a1' });
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ state: 'pending', attempts: 0, webhookId: hook.id });
    await rx.until((r) => r.length === 4);
    const [d] = await logOnce(t.admin, hook.id, (ds) => ds[0]?.state === 'delivered');
    first = d;
    expect(d).toMatchObject({ id: made[0].id, state: 'delivered', attempts: 4, nextAttemptAt: null, idempotencyKey: 'alert-a1', event: 'alert.created' });
    expect(d.log.map((a: any) => a.status)).toEqual([500, 503, 429, 200]);
    expect(d.log.map((a: any) => a.attempt)).toEqual([1, 2, 3, 4]);

    // every attempt: the same signed body, the delivery's headers
    for (const r of rx.received) {
      expect(r.body).toBe(rx.received[0].body);
      expect(r.json).toEqual({ id: d.id, event: 'alert.created', createdAt: d.createdAt, idempotencyKey: 'alert-a1', data: payload });
      expect(r.headers).toMatchObject({ 'content-type': 'application/json', 'idempotency-key': 'alert-a1', 'x-sellerpulse-event': 'alert.created', 'x-sellerpulse-delivery': d.id });
      expect(verifies(r, hook.secret)).toBe(true);
      expect(verifies(r, hook.secret + 'x')).toBe(false);
    }

    // the delays: reproducible from the seed, inside [cap·(1 − jitter), cap], growing
    const delays = d.log.slice(0, 3).map((a: any) => a.nextDelayMs as number);
    const jitter = seededJitter(backoff.seed);
    delays.forEach((ms: number, i: number) => {
      const cap = backoffCap(backoff, i + 1);
      expect(ms).toBe(backoffDelay(backoff, i + 1, jitter(d.id, i + 1)));
      expect(ms).toBeGreaterThanOrEqual(Math.floor(cap * (1 - backoff.jitter)));
      expect(ms).toBeLessThanOrEqual(cap);
    });
    expect(delays[1]).toBeGreaterThan(delays[0]);
    expect(delays[2]).toBeGreaterThan(delays[1]);
    expect(d.log[3].nextDelayMs).toBeNull();
    const gaps = rx.received.slice(1).map((r, i) => r.at - rx.received[i].at);
    gaps.forEach((g, i) => expect(g).toBeGreaterThanOrEqual(delays[i] - 1));
    expect(gaps[2]).toBeGreaterThan(gaps[0]);
  });

  it('replays with the same idempotency key, and redelivers one delivery', async () => {
    const replayed = await server.handle.deliveries.replay(t.id, 'alert.created', payload, 'alert-a1');
    expect(replayed).toHaveLength(1);
    await rx.until((r) => r.length === 5);
    const again = rx.received[4];
    expect(again.headers['idempotency-key']).toBe('alert-a1');
    expect(again.json.idempotencyKey).toBe('alert-a1');
    expect(again.json.data).toEqual(payload);
    expect(again.json.id).not.toBe(first.id);
    expect(verifies(again, hook.secret)).toBe(true);

    const re = await server.handle.deliveries.redeliver(t.id, first.id);
    expect(re).toMatchObject({ replayOf: first.id, idempotencyKey: 'alert-a1', webhookId: hook.id });
    expect(await server.handle.deliveries.redeliver('default', first.id)).toBeUndefined();
    await rx.until((r) => r.length === 6);
    expect(rx.received[5].headers['idempotency-key']).toBe('alert-a1');

    // the log pages newest first
    const all = await logOnce(t.admin, hook.id, (ds) => ds.length === 3 && ds.every((x) => x.state === 'delivered'));
    expect(all.map((x) => x.id)).toEqual([re!.id, replayed[0].id, first.id]);
    const p1 = await getJson(server.base, `/webhooks/${hook.id}/deliveries?limit=2`, t.admin);
    expect(p1.body.deliveries.map((x: any) => x.id)).toEqual([re!.id, replayed[0].id]);
    const p2 = await getJson(server.base, `/webhooks/${hook.id}/deliveries?limit=2&cursor=${p1.body.nextCursor}`, t.admin);
    expect(p2.body.deliveries.map((x: any) => x.id)).toEqual([first.id]);
    expect(p2.body.nextCursor).toBeNull();
  });

  it('fans out to every subscriber and dead-letters after maxAttempts (error status or connection refused)', async () => {
    const d = await tenant('dead');
    const failing = await receiver(() => 500);
    const closed = await Receiver.start();
    const refusedUrl = closed.url;
    await closed.close();
    const h500 = await webhook(d.admin, failing.url, ['alert.resolved']);
    const hRefused = await webhook(d.admin, refusedUrl, ['alert.resolved', 'alert.created']);
    const hOther = await webhook(d.admin, failing.url, ['insight.transition']);
    const made = await server.handle.deliveries.enqueue({ tenantId: d.id, event: 'alert.resolved', payload: { n: 1 }, idempotencyKey: 'k-dead' });
    expect(made.map((x) => x.webhookId).sort()).toEqual([h500.id, hRefused.id].sort());

    for (const [h, check] of [[h500, (a: any) => expect(a.status).toBe(500)], [hRefused, (a: any) => expect(a).toMatchObject({ status: null, error: 'ECONNREFUSED' })]] as const) {
      const [dead] = await logOnce(d.admin, h.id, (ds) => ds[0]?.state === 'dead', '?state=dead');
      expect(dead).toMatchObject({ attempts: backoff.maxAttempts, nextAttemptAt: null, deliveredAt: null });
      expect(dead.log).toHaveLength(backoff.maxAttempts);
      dead.log.forEach(check);
      expect(dead.log.at(-1).nextDelayMs).toBeNull();
      expect((await getJson(server.base, `/webhooks/${h.id}/deliveries?state=delivered`, d.admin)).body.deliveries).toEqual([]);
    }
    expect(failing.received).toHaveLength(backoff.maxAttempts);
    expect((await getJson(server.base, `/webhooks/${hOther.id}/deliveries`, d.admin)).body.deliveries).toEqual([]);
  });

  it('declares pending deliveries of a deleted webhook dead', async () => {
    const d = await tenant('deleted');
    // the first attempt hangs until attemptTimeoutMs: the webhook is deleted meanwhile
    const slow = await receiver(() => 'hang');
    const h = await webhook(d.admin, slow.url);
    await server.handle.deliveries.enqueue({ tenantId: d.id, event: 'alert.created', payload: {}, idempotencyKey: 'k-del' });
    await slow.until((r) => r.length === 1);
    const stored = [...server.handle.store.deliveryIndex.getRange({ start: [h.id], end: [h.id, Number.MAX_SAFE_INTEGER] })].map((e) => e.value);
    expect((await fetch(`${server.base}/webhooks/${h.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${d.admin}` } })).status).toBe(200);
    const dead = await eventually(() => {
      const rec = server.handle.store.deliveries.get(stored[0]);
      return rec?.state === 'dead' ? rec : undefined;
    });
    expect(dead.attempts).toBe(2);
    expect(server.handle.deliveries.queue.attempts(dead.id).map((a) => a.error)).toEqual([`timeout after ${attemptTimeoutMs} ms`, 'webhook deleted']);
  });

  it('refuses oversized payloads and unusable idempotency keys at enqueue', async () => {
    const big = 'x'.repeat(server.config.delivery.maxPayloadBytes);
    await expect(server.handle.deliveries.enqueue({ tenantId: t.id, event: 'alert.created', payload: { big }, idempotencyKey: 'k' })).rejects.toThrow(/maxPayloadBytes/);
    await expect(server.handle.deliveries.enqueue({ tenantId: t.id, event: 'alert.created', payload: {}, idempotencyKey: 'a b' })).rejects.toThrow(/idempotency key/);
    expect(await server.handle.deliveries.enqueue({ tenantId: 'nobody', event: 'alert.created', payload: {}, idempotencyKey: 'k' })).toEqual([]);
  });
});
