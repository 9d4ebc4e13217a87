/**
 * Quantile sketch (engine/rollup/quantile-sketch.ts), compiled code: accuracy against exact sorted
 * quantiles on seeded distributions, exact count/sum/min/max, merge = sketch of the concatenated
 * stream (byte-identical, also when buckets collapse), merge associativity/commutativity (fast-check),
 * serialize round trip and malformed input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../dist/bench/prng.js';
import { defaultRollupConfig, rollupSchema } from '../../dist/config/rollup-schema.js';
import { QuantileSketch } from '../../dist/engine/rollup/quantile-sketch.js';

const cfg = defaultRollupConfig().sketch;
const kSamples = 100_000;
const kQuantiles = [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999];
/** The brief's bar: p50/p95/p99 within 1 % of the exact value (the sketch promises α = 0.5 %). */
const kMaxRelativeError = 0.01;

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Integer values in units of 1/10000 (what the rings and rollups hold). */
const kDistributions: Record<string, (rand: () => number) => number> = {
  lognormal: (r) => Math.round(Math.exp(Math.log(200_000) + gaussian(r))),
  uniform: (r) => 1 + Math.floor(r() * 1_000_000),
  pareto: (r) => Math.round(100 / (1 - r()) ** (1 / 1.2)),
  constant: () => 12_345,
  withZeros: (r) => (r() < 0.3 ? 0 : Math.round(Math.exp(Math.log(5_000) + 2 * gaussian(r)))),
  smallIntegers: (r) => Math.floor(r() * 12),
};

function sample(name: string, n: number, seed: number): number[] {
  const rand = mulberry32(seed);
  const draw = kDistributions[name];
  return Array.from({ length: n }, () => draw(rand));
}

function sketchOf(values: readonly number[], c = cfg): QuantileSketch {
  const s = new QuantileSketch(c);
  let accepted = 0;
  for (const v of values) if (s.add(v)) accepted++;
  expect(accepted).toBe(values.length);
  return s;
}

/** Exact quantile with the sketch's rank convention: the value at rank floor(q (n - 1)). */
function exactQuantile(sorted: Float64Array, q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))];
}

function relativeError(estimate: number, exact: number): number {
  return exact === 0 ? Math.abs(estimate) : Math.abs(estimate - exact) / exact;
}

describe('QuantileSketch accuracy', () => {
  const worst: Record<string, number> = {};

  for (const [i, name] of Object.keys(kDistributions).entries()) {
    it(`${name}: quantiles within α of exact, count and sum exact`, () => {
      const values = sample(name, kSamples, 1000 + i);
      const s = sketchOf(values);
      const sorted = Float64Array.from(values).sort();
      let max = 0;
      for (const q of kQuantiles) {
        const err = relativeError(s.quantile(q), exactQuantile(sorted, q));
        expect(err, `${name} q=${q}`).toBeLessThanOrEqual(cfg.relativeAccuracy * (1 + 1e-9));
        max = Math.max(max, err);
      }
      for (const q of [0.5, 0.95, 0.99]) expect(relativeError(s.quantile(q), exactQuantile(sorted, q))).toBeLessThan(kMaxRelativeError);
      worst[name] = max;
      expect(s.count).toBe(values.length);
      expect(BigInt(s.sum)).toBe(values.reduce((acc, v) => acc + BigInt(v), 0n));
      expect(s.min).toBe(sorted[0]);
      expect(s.max).toBe(sorted[sorted.length - 1]);
      expect(s.quantile(0)).toBe(sorted[0]);
      expect(s.quantile(1)).toBe(sorted[sorted.length - 1]);
    });
  }

  it('reports the worst relative errors', () => {
    console.log(`quantile sketch (α = ${cfg.relativeAccuracy}, ${kSamples} values, q ∈ {${kQuantiles.join(', ')}}): max relative error ` +
      Object.entries(worst).map(([k, v]) => `${k} ${(v * 100).toFixed(3)} %`).join(', '));
    expect(Object.keys(worst)).toHaveLength(Object.keys(kDistributions).length);
  });

  it('keeps the quantiles above the collapsed buckets accurate', () => {
    const small = { relativeAccuracy: cfg.relativeAccuracy, maxBuckets: 256 };
    const values = sample('lognormal', kSamples, 77);
    const s = sketchOf(values, small);
    const sorted = Float64Array.from(values).sort();
    const gamma = (1 + small.relativeAccuracy) / (1 - small.relativeAccuracy);
    // Keys below key(max) - maxBuckets + 1 are collapsed; values above γ^that keep their bucket.
    const boundary = gamma ** (Math.ceil(Math.log(s.max) / Math.log(gamma)) - small.maxBuckets + 1);
    const checked = kQuantiles.filter((q) => exactQuantile(sorted, q) > boundary);
    expect(checked).toContain(0.99);
    expect(checked).not.toContain(0.5); // the test really collapses
    for (const q of checked) expect(relativeError(s.quantile(q), exactQuantile(sorted, q))).toBeLessThanOrEqual(cfg.relativeAccuracy * (1 + 1e-9));
    expect(s.count).toBe(values.length);
    expect(s.quantile(0)).toBe(sorted[0]);
  });

  it('answers NaN when empty or q is out of range, and refuses invalid values', () => {
    const s = new QuantileSketch(cfg);
    expect(s.quantile(0.5)).toBeNaN();
    expect([s.count, s.sum]).toEqual([0, 0]);
    for (const bad of [-1, 1.5, NaN, Infinity, Number.MAX_SAFE_INTEGER + 1]) expect(s.add(bad)).toBe(false);
    expect(s.count).toBe(0);
    expect(s.add(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(s.add(1)).toBe(false); // the sum would pass 2^53
    expect([s.count, s.sum]).toEqual([1, Number.MAX_SAFE_INTEGER]);
    expect(s.quantile(-0.1)).toBeNaN();
    expect(s.quantile(1.1)).toBeNaN();
  });
});

describe('QuantileSketch merge', () => {
  for (const maxBuckets of [cfg.maxBuckets, 48]) {
    it(`merge of two sketches is byte-identical to the sketch of the concatenated stream (maxBuckets ${maxBuckets})`, () => {
      const c = { relativeAccuracy: cfg.relativeAccuracy, maxBuckets };
      const a = sample('lognormal', kSamples / 2, 5);
      const b = sample('withZeros', kSamples / 2, 6);
      const merged = sketchOf(a, c);
      merged.merge(sketchOf(b, c));
      const whole = sketchOf([...a, ...b], c);
      expect(merged.serialize()).toEqual(whole.serialize());
      expect([merged.count, merged.sum, merged.min, merged.max]).toEqual([whole.count, whole.sum, whole.min, whole.max]);
      for (const q of kQuantiles) expect(merged.quantile(q)).toBe(whole.quantile(q));
    });
  }

  it('refuses sketches with other parameters', () => {
    const a = new QuantileSketch(cfg);
    expect(() => a.merge(new QuantileSketch({ ...cfg, relativeAccuracy: 0.01 }))).toThrow(RangeError);
    expect(() => a.merge(new QuantileSketch({ ...cfg, maxBuckets: 64 }))).toThrow(RangeError);
  });

  // Small maxBuckets and values over nine decades so that collapsing is exercised.
  const small = { relativeAccuracy: 0.02, maxBuckets: 32 };
  const value = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 1_000_000_000 }));
  const stream = fc.array(value, { maxLength: 60 });
  const bytes = (values: number[][]): Uint8Array => {
    const s = new QuantileSketch(small);
    for (const part of values) s.merge(sketchOf(part, small));
    return s.serialize();
  };

  it('is commutative and associative, and equals the sketch of the concatenation (property)', () => {
    fc.assert(
      fc.property(stream, stream, stream, (a, b, c) => {
        const concat = sketchOf([...a, ...b, ...c], small).serialize();
        expect(bytes([a, b, c])).toEqual(concat);
        expect(bytes([c, a, b])).toEqual(concat);
        const ab = sketchOf(a, small);
        ab.merge(sketchOf(b, small));
        ab.merge(sketchOf(c, small));
        const bc = sketchOf(b, small);
        bc.merge(sketchOf(c, small));
        const aBc = sketchOf(a, small);
        aBc.merge(bc);
        expect(ab.serialize()).toEqual(aBc.serialize());
        expect(sketchOf([...c, ...b, ...a], small).serialize()).toEqual(concat);
      }),
      { numRuns: 300, seed: 20261122 },
    );
  });
});

describe('QuantileSketch serialization', () => {
  it('round-trips exactly (bytes, statistics, quantiles)', () => {
    for (const name of ['lognormal', 'withZeros', 'constant']) {
      const s = sketchOf(sample(name, 20_000, 9));
      const bytes = s.serialize();
      const back = QuantileSketch.deserialize(bytes);
      expect(back.serialize()).toEqual(bytes);
      expect([back.count, back.sum, back.min, back.max]).toEqual([s.count, s.sum, s.min, s.max]);
      for (const q of kQuantiles) expect(back.quantile(q)).toBe(s.quantile(q));
      expect(back.add(42)).toBe(true);
    }
    const empty = new QuantileSketch(cfg);
    const zerosOnly = sketchOf([0, 0, 0]);
    for (const s of [empty, zerosOnly]) expect(QuantileSketch.deserialize(s.serialize()).serialize()).toEqual(s.serialize());
  });

  it('is compact', () => {
    const s = sketchOf(sample('lognormal', kSamples, 3));
    const bytes = s.serialize();
    console.log(`lognormal sketch of ${kSamples} values: ${bytes.length} bytes`);
    expect(bytes.length).toBeLessThan(4 * cfg.maxBuckets);
  });

  it('throws on malformed bytes', () => {
    const bytes = sketchOf(sample('lognormal', 1000, 4)).serialize();
    expect(() => QuantileSketch.deserialize(bytes.subarray(0, 20))).toThrow(RangeError);
    expect(() => QuantileSketch.deserialize(bytes.subarray(0, bytes.length - 1))).toThrow(RangeError);
    expect(() => QuantileSketch.deserialize(Uint8Array.of(...bytes, 0))).toThrow(RangeError);
    const wrongVersion = bytes.slice();
    wrongVersion[0] = 99;
    expect(() => QuantileSketch.deserialize(wrongVersion)).toThrow(RangeError);
  });
});

describe('QuantileSketch.deserialize into a reused sketch', () => {
  it('gives what a fresh deserialize gives, whatever the reused sketch held — also after bytes that threw part way', () => {
    const rand = mulberry32(11);
    const names = Object.keys(kDistributions);
    const reused = new QuantileSketch(cfg);
    const wide = sketchOf(sample('uniform', 5000, 99));
    for (let i = 0; i < 60; i++) {
      const s = sketchOf(sample(names[i % names.length], 1 + Math.floor(rand() * 3000), 100 + i));
      const bytes = s.serialize();
      if (i % 3 === 0) {
        // another sketch's bytes whose bucket counts do not add up: thrown after its buckets were read
        const bad = sketchOf(sample(names[(i + 1) % names.length], 2000, 200 + i)).serialize();
        if (bad.length > 61 + 2) {
          bad[bad.length - 1] ^= 1;
          expect(() => QuantileSketch.deserialize(bad, reused)).toThrow(RangeError);
        }
      }
      const back = QuantileSketch.deserialize(bytes, reused);
      expect(back).toBe(reused);
      expect(back.serialize()).toEqual(bytes);
      for (const q of kQuantiles) expect(back.quantile(q)).toBe(s.quantile(q));
      // buckets outside the range read must be empty too: a merge over a wide range shows any left over
      const fresh = QuantileSketch.deserialize(bytes);
      fresh.merge(wide);
      back.merge(wide);
      expect(back.serialize()).toEqual(fresh.serialize());
    }
  });

  it('leaves a sketch of other parameters alone and returns a new one', () => {
    const other = new QuantileSketch({ relativeAccuracy: 0.01, maxBuckets: 512 });
    other.add(5);
    const bytes = sketchOf(sample('lognormal', 500, 5)).serialize();
    const back = QuantileSketch.deserialize(bytes, other);
    expect(back).not.toBe(other);
    expect(back.serialize()).toEqual(bytes);
    expect(other.count).toBe(1);
  });
});

describe('rollupSchema', () => {
  it('has defaults and is strict', () => {
    expect(rollupSchema.parse({})).toEqual(defaultRollupConfig());
    expect(defaultRollupConfig().granularities).toEqual({ hourly: 3_600_000, daily: 86_400_000, weekly: 604_800_000 });
    expect(rollupSchema.safeParse({ sketch: { relativeAccuracy: 0.005, extra: 1 } }).success).toBe(false);
    expect(rollupSchema.safeParse({ granularities: { hourly: 3_600_000, daily: 5_000_000 } }).success).toBe(false);
  });
});
