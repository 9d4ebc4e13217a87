/**
 * Per-key rate limits (issue 5): token buckets with burst, by tier from config; 429 with Retry-After
 * and X-RateLimit-*; WebSocket acks carry the same; a refused call takes nothing; GET /status/limits
 * shows the caller its quota and the backpressure per shard.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, postJson, getJson, type TestServer } from '../helpers/server.js';
import { StreamClient } from '../helpers/ws-client.js';

const kQueryBurst = 4;
const kIngestBurst = 10;
/** Slow refill, so a test's own duration cannot refill a bucket noticeably. */
const kPerSecond = 0.5;

let server: TestServer;
let keys: { ingest: string; read: string; other: string };
const now = Date.now();
const ev = (sellerId: string) => ({ sellerId, timestamp: now, type: 'VIEW' });

beforeAll(async () => {
  const basic = { ingest: { perSecond: kPerSecond, burst: kIngestBurst }, query: { perSecond: kPerSecond, burst: kQueryBurst }, embed: { perSecond: kPerSecond, burst: 2 } };
  server = await startTestServer({ access: { rateLimits: { basic } } });
  const tenant = (await postJson(server.base, '/tenants', { name: 'small', tier: 'basic' })).body;
  const make = async (scopes: string[]) => (await postJson(server.base, `/tenants/${tenant.id}/keys`, { name: scopes.join('+'), scopes })).body.key as string;
  keys = { ingest: await make(['ingest']), read: await make(['read']), other: await make(['read']) };
});
afterAll(async () => server?.close());

function rateHeaders(h: Headers) {
  return { limit: Number(h.get('x-ratelimit-limit')), remaining: Number(h.get('x-ratelimit-remaining')), reset: Number(h.get('x-ratelimit-reset')) };
}

describe('rate limits', () => {
  it('counts requests per key on reads, then answers 429 with Retry-After and X-RateLimit-*', async () => {
    const seen: number[] = [];
    for (let i = 0; i < kQueryBurst; i++) {
      const r = await getJson(server.base, '/metrics/x/series?type=VIEW', keys.read);
      expect(r.status).toBe(404); // allowed (unknown seller), and counted
      expect(rateHeaders(r.headers).limit).toBe(kQueryBurst);
      seen.push(rateHeaders(r.headers).remaining);
    }
    expect(seen).toEqual([3, 2, 1, 0]);
    const limited = await getJson(server.base, '/metrics/x/series?type=VIEW', keys.read);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toBe('application/problem+json');
    expect(limited.body.type).toBe('/problems/rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.body.retryAfterMs).toBeGreaterThan(0);
    expect(rateHeaders(limited.headers)).toMatchObject({ limit: kQueryBurst, remaining: 0 });
    expect(rateHeaders(limited.headers).reset).toBeGreaterThan(0);
    // another key of the same tenant has its own bucket
    expect((await getJson(server.base, '/metrics/x/series?type=VIEW', keys.other)).status).toBe(404);
    // the operator (enterprise) is not affected
    expect((await getJson(server.base, '/metrics/x/series?type=VIEW')).status).toBe(404);
  });

  it('counts events on ingest: a batch over the remaining quota is refused whole and takes nothing', async () => {
    const first = await postJson(server.base, '/events/batch', Array.from({ length: 7 }, () => ev('rl-seller')), undefined, keys.ingest);
    expect(first.status).toBe(202);
    expect(rateHeaders(first.headers)).toMatchObject({ limit: kIngestBurst, remaining: 3 });
    const second = await postJson(server.base, '/events/batch', Array.from({ length: 5 }, () => ev('rl-seller')), undefined, keys.ingest);
    expect(second.status).toBe(429);
    const single = await postJson(server.base, '/events', ev('rl-seller'), undefined, keys.ingest);
    expect(single.status).toBe(202);
    await server.handle.engine.drain();
    const series = await getJson(server.base, '/metrics/rl-seller/series?type=VIEW', keys.other);
    expect(series.body.totals.count).toBe(8);
  });

  it('acks WebSocket frames with the same limits and retryAfterMs, taking nothing of a refused frame', async () => {
    const streamKey = (await postJson(server.base, `/tenants/${(await getJson(server.base, '/status/limits', keys.read)).body.tenantId}/keys`, { name: 'ws', scopes: ['ingest'] })).body.key;
    const client = await StreamClient.open(server.wsUrl, streamKey);
    const ok = await client.send({ seq: 1, events: Array.from({ length: 8 }, () => ev('ws-rl')) });
    expect(ok).toMatchObject({ accepted: 8, rateLimit: { limit: kIngestBurst, remaining: 2 } });
    const refused = await client.send({ seq: 2, events: Array.from({ length: 5 }, () => ev('ws-rl')) });
    expect(refused).toMatchObject({ seq: 2, accepted: 0, reason: 'rate_limited', rateLimit: { limit: kIngestBurst, remaining: 2 } });
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    client.close();
    await server.handle.engine.drain();
    expect((await getJson(server.base, '/metrics/ws-rl/series?type=VIEW', keys.other)).body.totals.count).toBe(8);
  });

  it('shows the caller its quota and the backpressure per shard at /status/limits', async () => {
    const status = await getJson(server.base, '/status/limits', keys.ingest);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ tier: 'basic', key: { scopes: ['ingest'] }, rateLimits: { enabled: true, ingest: { limit: kIngestBurst, perSecond: kPerSecond, unit: 'events' } } });
    expect(status.body.rateLimits.ingest.remaining).toBeLessThanOrEqual(3);
    expect(status.body.rateLimits.query).toBeUndefined();
    expect(status.body.backpressure.state).toBe('ok');
    expect(status.body.backpressure.shards).toHaveLength(server.config.shards);
    for (const s of status.body.backpressure.shards) expect(s).toMatchObject({ queueDepth: expect.any(Number), capacity: server.config.queue.capacity, state: 'ok' });
    // reading it costs nothing, and works even when the key's own bucket is empty
    const limitedRead = await getJson(server.base, '/status/limits', keys.read);
    expect(limitedRead.status).toBe(200);
    expect(limitedRead.body.rateLimits.query.remaining).toBe(0);
  });

  it('applies a new tier at once: the operator raises the tenant to enterprise', async () => {
    const tenantId = (await getJson(server.base, '/status/limits', keys.read)).body.tenantId;
    expect((await getJson(server.base, '/metrics/x/series?type=VIEW', keys.read)).status).toBe(429);
    const { status } = await postJson(server.base, '/config', { patch: { access: { rateLimits: { basic: { query: { perSecond: 1000, burst: 1000 } } } } }, reason: 'more room' });
    expect(status).toBe(201);
    const r = await getJson(server.base, '/metrics/x/series?type=VIEW', keys.read);
    expect(r.status).toBe(404);
    expect(rateHeaders(r.headers).limit).toBe(1000);
    expect(tenantId).toMatch(/^t_/);
  });
});
