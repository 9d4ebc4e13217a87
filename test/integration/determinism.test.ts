/**
 * Acceptance (issue: analytics, determinism — DESIGN §9): the same event stream, replayed twice and
 * with a different shard count, gives identical anomaly, prediction and health bytes and hashes.
 */
import { describe, expect, it } from 'vitest';
import { startTestServer, postJson, getJson } from '../helpers/server.js';
import { prng } from '../helpers/tally.js';

const kSellers = 12;
const kTypes = ['SALE', 'CLICK', 'VIEW'];

function stream(now: number) {
  const rand = prng(7);
  const events = [];
  for (let i = 0; i < 30_000; i++) {
    events.push({
      sellerId: `det-${i % kSellers}`,
      timestamp: now - Math.floor(rand() * 20 * 3_600_000),
      type: kTypes[Math.floor(rand() * 3)],
      value: Math.round(rand() * 100_000) / 100,
    });
  }
  return events;
}

async function results(shards: number, events: object[], order: 'forward' | 'reverse') {
  const server = await startTestServer({ shards });
  try {
    const batches: object[][] = [];
    for (let i = 0; i < events.length; i += 1000) batches.push(events.slice(i, i + 1000));
    if (order === 'reverse') batches.reverse();
    for (const b of batches) expect((await postJson(server.base, '/events/batch', b)).status).toBe(202);
    const out: Record<string, unknown> = {};
    for (let s = 0; s < kSellers; s++) {
      for (const [path, q] of [['anomalies', 'type=SALE&resolution=1m'], ['predictions', 'type=SALE&resolution=1m&horizon=24'], ['health', 'type=CLICK&resolution=1h'], ['anomalies', 'type=VIEW']]) {
        const r = await getJson(server.base, `/metrics/det-${s}/${path}?${q}`);
        expect(r.status).toBe(200);
        const { lastComputedAt: _at, cache: _cache, ...stable } = r.body;
        out[`det-${s}/${path}?${q}`] = stable;
      }
    }
    return out;
  } finally {
    await server.close();
  }
}

describe('determinism', () => {
  it('same events + same config ⇒ the same bytes and hashes, on 1 or 3 shards, in any arrival order', async () => {
    const now = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 30 * 60_000;
    const events = stream(now);
    const a = await results(1, events, 'forward');
    const b = await results(3, events, 'reverse');
    const c = await results(2, events, 'forward');
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(c)).toBe(JSON.stringify(a));
    const hashes = Object.values(a).map((r: any) => r.reproducibilityHash);
    expect(new Set(hashes).size).toBe(hashes.length); // different inputs, different hashes
  });
});
