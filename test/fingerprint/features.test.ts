/**
 * Building blocks of the behaviour fingerprints (compiled): the features on signals whose answer is
 * known, the signature distance, and the single-linkage clustering.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../dist/bench/prng.js';
import { defaultFingerprintConfig } from '../../dist/config/fingerprint-schema.js';
import { referenceDsp } from '../../dist/dsp-wasm/reference/index.js';
import {
  allanFactor,
  extractFeatures,
  kPeriod,
  kPeriodConfidence,
  kSignatureLength,
  linkClusters,
  signatureDistance,
  toSignature,
  weightVector,
} from '../../dist/engine/fingerprint/index.js';

const cfg = defaultFingerprintConfig();
const weights = weightVector(cfg.weights);
const kN = 1024;

/** Poisson(λ) counts per bucket (Knuth). */
function poissonSeries(n: number, lambda: number, seed: number): Float64Array {
  const rand = mulberry32(seed);
  const limit = Math.exp(-lambda);
  return Float64Array.from({ length: n }, () => {
    let k = 0;
    for (let p = rand(); p > limit; p *= rand()) k++;
    return k;
  });
}

/** One click every `period` buckets. */
function clickTrain(n: number, period: number, offset = 0): Float64Array {
  return Float64Array.from({ length: n }, (_, t) => ((t + offset) % period === 0 ? 1 : 0));
}

describe('allanFactor', () => {
  it('is ≈ 1 for Poisson counts, 0 for clockwork, NaN without two blocks or events', () => {
    expect(allanFactor(poissonSeries(1 << 16, 0.5, 1), 32)).toBeCloseTo(1, 1);
    expect(allanFactor(clickTrain(kN, 8), 32)).toBe(0);
    expect(allanFactor(new Float64Array(40), 32)).toBeNaN();
    expect(allanFactor(new Float64Array(kN), 32)).toBeNaN();
  });
});

describe('extractFeatures', () => {
  const coarse = poissonSeries(1440, 20, 2);

  it('finds the period of a click train, with a peak far above the floor and regular counts', () => {
    for (const period of [5, 7, 13, 31]) {
      const f = extractFeatures(clickTrain(kN, period, 3), coarse, cfg.features, referenceDsp);
      expect(Math.abs(f.period - period) / period, `period ${period}`).toBeLessThan(0.02);
      expect(f.peakRatio, `period ${period}`).toBeGreaterThan(cfg.features.gateHigh);
      expect(f.periodicity, `period ${period}`).toBeGreaterThan(cfg.suspect.minPeriodicity);
      expect(f.allan, `period ${period}`).toBeLessThan(cfg.suspect.maxAllan);
      expect(f.timingEntropy, `period ${period}`).toBeLessThan(0.5);
    }
  });

  it('sees no believable period in Poisson traffic', () => {
    for (const seed of [3, 4, 5]) {
      const f = extractFeatures(poissonSeries(kN, 1.5, seed), coarse, cfg.features, referenceDsp);
      expect(f.periodicity).toBeLessThan(cfg.suspect.minPeriodicity);
      expect(f.peakRatio).toBeLessThan(cfg.suspect.minPeakRatio);
      expect(f.allan).toBeGreaterThan(cfg.suspect.maxAllan);
      expect(f.timingEntropy).toBeGreaterThan(0.9);
      expect(f.hfd).toBeGreaterThan(1.8);
      expect(f.coarseAllan).toBeGreaterThan(cfg.suspect.maxCoarseAllan);
    }
  });
});

describe('signatureDistance', () => {
  const a = toSignature(extractFeatures(clickTrain(kN, 7), new Float64Array(1440), cfg.features, referenceDsp), cfg.features);

  it('is 0 for a signature and itself, symmetric, and within [0, 1]', () => {
    const b = toSignature(extractFeatures(poissonSeries(kN, 1, 6), new Float64Array(1440), cfg.features, referenceDsp), cfg.features);
    expect(a).toHaveLength(kSignatureLength);
    expect(signatureDistance(a, a, weights)).toBe(0);
    expect(signatureDistance(a, b, weights)).toBe(signatureDistance(b, a, weights));
    expect(signatureDistance(a, b, weights)).toBeGreaterThan(0);
    expect(signatureDistance(a, b, weights)).toBeLessThanOrEqual(1);
  });

  it('compares periods only as far as both are believed', () => {
    const other = Float64Array.from(a);
    other[kPeriod] = a[kPeriod] / 2;
    expect(signatureDistance(a, other, weights)).toBeGreaterThan(0);
    const unsure = Float64Array.from(other);
    const sure = Float64Array.from(a);
    unsure[kPeriodConfidence] = 0;
    sure[kPeriodConfidence] = 0;
    expect(signatureDistance(sure, unsure, weights)).toBe(0);
  });
});

describe('linkClusters', () => {
  const point = (x: number): Float64Array => Float64Array.from({ length: kSignatureLength }, (_, i) => (i === 0 ? x : 0));
  const w = new Float64Array(kSignatureLength).fill(0);
  w[0] = 1;

  it('joins chains below the link distance, numbers components by first appearance', () => {
    const points = [0.9, 0, 0.05, 0.5, 0.1, 0.95].map(point);
    const { labels, sizes, nearest } = linkClusters(points, w, 0.06);
    expect(Array.from(labels)).toEqual([0, 1, 1, 2, 1, 0]);
    expect(sizes).toEqual([2, 3, 1]);
    expect(nearest[3]).toBeNaN();
    expect(nearest[1]).toBeCloseTo(0.05, 12);
  });

  it('does not depend on the order of the points', () => {
    const xs = [0.9, 0, 0.05, 0.5, 0.1, 0.95];
    const forward = linkClusters(xs.map(point), w, 0.06);
    const backward = linkClusters([...xs].reverse().map(point), w, 0.06);
    const members = (labels: Int32Array, order: number[]): string[] => {
      const groups = new Map<number, number[]>();
      labels.forEach((l, i) => groups.set(l, [...(groups.get(l) ?? []), order[i]]));
      return [...groups.values()].map((g) => g.sort((p, q) => p - q).join(',')).sort();
    };
    expect(members(backward.labels, [...xs].reverse())).toEqual(members(forward.labels, xs));
  });
});
