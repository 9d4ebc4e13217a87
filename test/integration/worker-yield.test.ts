/**
 * Shard workers step off their core in the middle of a shallow backlog (queue.yieldAfterMs,
 * queue.yieldMs, queue.yieldBelowDepth): counted in /metrics, off when configured off or when the
 * backlog is deeper than the bound, switched live by a config version — and every event is folded
 * exactly once either way.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, postJson, getJson, type TestServer, authHeaders } from '../helpers/server.js';
import type { Config, DeepPartial } from '../../dist/config/index.js';

const kSellers = 40;
const kBatches = 6;
const kBatchEvents = 5_000;
/** Small fold batches: a worker looks at the clock (and may yield) after each. */
const kDrainBatch = 128;
/** Shorter than folding one batch of kDrainBatch records anywhere: every look after a batch finds it long. */
const kYieldAfterMs = 0.001;

async function yieldsOf(server: TestServer): Promise<number> {
  const text = await (await fetch(server.base + '/metrics', { headers: authHeaders() })).text();
  const shards = [...text.matchAll(/^sellerpulse_shard_yields\{shard="\d+"\} (\d+)$/gm)];
  expect(shards.length).toBe(server.config.shards);
  return shards.reduce((sum, m) => sum + Number(m[1]), 0);
}

/** Sends kBatches batches of CLICK events round-robin over the sellers (value i % 7) and checks every seller's 1m buckets. */
async function sendAndCheck(server: TestServer, prefix: string): Promise<void> {
  const now = Date.now();
  const expected = new Map<string, { count: number; sum: number }>();
  for (let b = 0; b < kBatches; b++) {
    const events = Array.from({ length: kBatchEvents }, (_, i) => {
      const sellerId = `${prefix}-${i % kSellers}`;
      const value = i % 7;
      const e = expected.get(sellerId) ?? { count: 0, sum: 0 };
      e.count++;
      e.sum += value;
      expected.set(sellerId, e);
      return { sellerId, timestamp: now, type: 'CLICK', value };
    });
    const r = await postJson(server.base, '/events/batch', events);
    expect(r.status).toBe(202);
    expect(r.body.accepted).toBe(kBatchEvents);
  }
  for (const [sellerId, e] of expected) {
    const series = await getJson(server.base, `/metrics/${sellerId}/series?type=CLICK&resolution=1m`);
    expect(series.status).toBe(200);
    const buckets = series.body.buckets as { count: number; sum: number }[];
    expect(buckets.reduce((n, x) => n + x.count, 0)).toBe(e.count);
    expect(buckets.reduce((n, x) => n + x.sum, 0)).toBe(e.sum);
  }
}

describe('shard workers yield their core in the middle of a shallow backlog', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const start = async (queue: DeepPartial<Config['queue']>) => {
    server = await startTestServer({ queue: { drainBatch: kDrainBatch, ...queue } });
    return server;
  };

  it('yields while folding a backlog past yieldAfterMs, counts every yield, folds every event once', async () => {
    const s = await start({ yieldAfterMs: kYieldAfterMs, yieldMs: 0.01, yieldBelowDepth: 1 << 20 });
    expect(await yieldsOf(s)).toBe(0);
    await sendAndCheck(s, 'y-on');
    expect(await yieldsOf(s)).toBeGreaterThan(0);
  });

  it('never yields with yieldAfterMs 0, or while the backlog is at least yieldBelowDepth', async () => {
    const off = await start({ yieldAfterMs: 0 });
    await sendAndCheck(off, 'y-off');
    expect(await yieldsOf(off)).toBe(0);
    await off.close();
    const deep = await start({ yieldAfterMs: kYieldAfterMs, yieldBelowDepth: 0 });
    await sendAndCheck(deep, 'y-deep');
    expect(await yieldsOf(deep)).toBe(0);
  });

  it('takes yieldAfterMs from a new config version live', async () => {
    const s = await start({ yieldAfterMs: 0, yieldBelowDepth: 1 << 20 });
    await sendAndCheck(s, 'y-before');
    expect(await yieldsOf(s)).toBe(0);
    const current = (await getJson(s.base, '/config')).body.id as number;
    const r = await postJson(s.base, '/config', { patch: { queue: { yieldAfterMs: kYieldAfterMs } }, reason: 'workers yield', author: 'ops', expectedVersion: current });
    expect(r.status).toBe(201);
    await sendAndCheck(s, 'y-after');
    expect(await yieldsOf(s)).toBeGreaterThan(0);
  });
});
