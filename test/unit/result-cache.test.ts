import { describe, expect, it } from 'vitest';
import { ResultCache, type RecomputeEvent } from '../../dist/engine/cache/result-cache.js';

function setup(random = () => 0.5) {
  let now = 1_000;
  const events: RecomputeEvent[] = [];
  const cache = new ResultCache<number>({ beta: 1, maxEntries: 3, now: () => now, random, onRecompute: (e) => events.push(e) });
  let computed = 0;
  const compute = (ms = 10) => async () => {
    computed++;
    now += ms; // the computation takes `ms` on the injected clock
    return { value: computed, ttlMs: 100 };
  };
  return { cache, events, compute, tick: (ms: number) => (now += ms), computed: () => computed };
}

/** A computation that waits for release(); counts its calls. */
function gated(value: number) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let calls = 0;
  const compute = async () => {
    calls++;
    await gate;
    return { value, ttlMs: 100 };
  };
  return { compute, release: () => release(), calls: () => calls };
}

describe('ResultCache (XFetch)', () => {
  it('computes on a miss, serves hits with lastComputedAt, recomputes once expired', async () => {
    const { cache, events, compute, tick } = setup(() => 0); // u = 1 → ln u = 0: never early
    const a = await cache.get('anomaly', 's1', compute());
    expect(a).toMatchObject({ value: 1, lastComputedAt: 1_010, hit: false });
    tick(50);
    expect(await cache.get('anomaly', 's1', compute())).toMatchObject({ value: 1, lastComputedAt: 1_010, hit: true });
    tick(60); // past lastComputedAt + ttl
    expect(await cache.get('anomaly', 's1', compute())).toMatchObject({ value: 2, hit: false });
    expect(events.map((e) => e.reason)).toEqual(['miss', 'expired']);
    expect(cache.recomputations.get('anomaly:miss')).toBe(1);
    expect(cache.recomputations.get('anomaly:expired')).toBe(1);
  });

  it('refreshes early, in the background, with a probability that rises toward the TTL', async () => {
    // recomputeMs 10, beta 1, ttl 100: early iff −10·ln(u) ≥ 100 − age, i.e. P = e^−((100 − age)/10)
    const trials = 4000;
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const earlyShare = async (age: number) => {
      let early = 0;
      for (let i = 0; i < trials; i++) {
        const { cache, compute, tick, events } = setup(random);
        await cache.get('k', 'x', compute(10));
        tick(age);
        // answered from the entry either way (it is within its TTL): no query waits for an early refresh
        const answer = await cache.get('k', 'x', compute(10));
        expect(answer).toMatchObject({ value: 1, hit: true });
        await new Promise((resolve) => setImmediate(resolve));
        if (events.some((e) => e.reason === 'early')) early++;
      }
      return early / trials;
    };
    const young = await earlyShare(50);
    const old = await earlyShare(95);
    expect(young).toBeLessThan(0.03); // e^−5 ≈ 0.007
    expect(old).toBeGreaterThan(0.55); // e^−0.5 ≈ 0.61
    expect(old).toBeLessThan(0.67);
  });

  it('computes once for concurrent queries of the same stale key', async () => {
    const { cache, computed } = setup();
    const slow = gated(42);
    const all = Promise.all(Array.from({ length: 10 }, () => cache.get('anomaly', 's1', slow.compute)));
    slow.release();
    const results = await all;
    expect(slow.calls()).toBe(1);
    expect(results.every((r) => r.value === 42)).toBe(true);
    expect(computed()).toBe(0);
  });

  it('answers from the entry while its early refresh runs, then serves the refreshed value', async () => {
    const { cache, events, tick, compute } = setup(() => 1 - 1e-12); // u = 1e-12: −10·ln u ≈ 276 ms ≥ any remaining TTL, always early
    await cache.get('anomaly', 's1', compute(10));
    tick(10);
    const slow = gated(2);
    const during = await Promise.all(Array.from({ length: 5 }, () => cache.get('anomaly', 's1', slow.compute)));
    expect(during.map((r) => r.value)).toEqual([1, 1, 1, 1, 1]);
    expect(slow.calls()).toBe(1);
    slow.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(events.map((e) => e.reason)).toEqual(['miss', 'early']);
    const after = await cache.get('anomaly', 's1', async () => ({ value: 3, ttlMs: 100 }));
    expect(after.value).toBe(2);
  });

  it('keeps at most maxEntries, evicting the least recently stored', async () => {
    const { cache, compute } = setup(() => 0);
    for (const k of ['a', 'b', 'c', 'd']) await cache.get('kind', k, compute());
    expect(cache.size).toBe(3);
    expect((await cache.get('kind', 'a', compute())).hit).toBe(false);
  });
});
