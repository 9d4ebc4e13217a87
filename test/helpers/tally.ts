/** Expected per-seller, per-type, per-bucket counts and sums, kept in integer value units. */
export class Tally {
  readonly #buckets = new Map<string, Map<number, { count: number; units: number }>>();
  constructor(readonly bucketMs: number, readonly valueScale: number) {}

  add(sellerId: string, type: string, timestamp: number, value: number): void {
    const key = `${sellerId}|${type}`;
    let m = this.#buckets.get(key);
    if (!m) this.#buckets.set(key, (m = new Map()));
    const start = Math.floor(timestamp / this.bucketMs) * this.bucketMs;
    const b = m.get(start) ?? { count: 0, units: 0 };
    b.count++;
    b.units += Math.round(value * this.valueScale);
    m.set(start, b);
  }

  keys(): string[] {
    return [...this.#buckets.keys()];
  }

  /** Non-empty buckets of one series as {start: [count, sum]}. */
  expected(key: string): Record<number, [number, number]> {
    const out: Record<number, [number, number]> = {};
    for (const [start, b] of this.#buckets.get(key) ?? []) out[start] = [b.count, b.units / this.valueScale];
    return out;
  }

  total(): number {
    let n = 0;
    for (const m of this.#buckets.values()) for (const b of m.values()) n += b.count;
    return n;
  }
}

/** Deterministic PRNG (mulberry32) so a failing run can be reproduced. */
export { mulberry32 as prng } from '../../dist/bench/prng.js';
