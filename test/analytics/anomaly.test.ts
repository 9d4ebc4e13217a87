/**
 * Anomaly scorer core checks, run against every kernel implementation: edge cases never throw and
 * stay NaN-free, the result contract holds, obvious anomalies are flagged with the right
 * direction and attribution, scale invariance, determinism.
 */
import { describe, expect, it } from 'vitest';
import type { AnomalyResult } from '../../engine/analytics/index.js';
import { analytics, type Implementation, implementations, schema } from './support/implementations.js';
import { expectFiniteDeep, expectValidAttribution } from './support/checks.js';
import { makeScenario } from './support/synthetic.js';

const cfg = schema.defaultAnalyticsConfig();
const RING = 1440;
/** A clean minute-level series of one ring, and its noise σ scale (√ of the mean). */
const clean = makeScenario('clean', 4).values.slice(0, RING);
const cleanSigma = Math.sqrt(clean.reduce((s, v) => s + v, 0) / RING);

function expectContract(r: AnomalyResult, n: number): void {
  expectFiniteDeep(r);
  expect(r.score).toBeGreaterThanOrEqual(0);
  expect(r.score).toBeLessThanOrEqual(1);
  expect(r.isAnomaly).toBe(r.status === 'sufficient' && r.score >= cfg.anomaly.alertThreshold);
  expectValidAttribution(r.attribution);
  expect(r.split.historyLength + r.split.recentLength).toBe(n);
  expect(r.split.recentStart).toBe(r.split.historyLength);
  expect(Object.keys(r.components)).toEqual(['deviation', 'periodic', 'complexity', 'trend']);
  for (const c of Object.values(r.components)) {
    expect(c.probability).toBeGreaterThanOrEqual(0);
    expect(c.probability).toBeLessThanOrEqual(1);
    expect(c.evidence).toBeGreaterThanOrEqual(0);
    if (!c.available) expect([c.statistic, c.probability, c.evidence]).toEqual([0, 0, 0]);
  }
}

function anomalySuite({ name, dsp }: Implementation): void {
  describe(`scoreAnomaly [${name}]`, () => {
    const score = (x: ArrayLike<number>): AnomalyResult => analytics.scoreAnomaly(x, cfg, dsp);

    it('flags too little data as insufficient (score 0, no anomaly, equal attribution) without throwing', () => {
      const cases: [string, ArrayLike<number>][] = [
        ['length 0', []],
        ['length 1', [5]],
        ['length 2', [5, 7]],
        ['all zeros', new Float64Array(RING)],
        ['shorter than the structural minimum', clean.slice(0, 250)],
        ['too few non-empty buckets', clean.map((v, i) => (i % 6 === 0 ? v : 0))],
        ['only non-finite values', new Float64Array(RING).fill(NaN)],
      ];
      for (const [label, x] of cases) {
        const r = score(x);
        expect(r.status, label).toBe('insufficient');
        expect(r.score, label).toBe(0);
        expect(r.isAnomaly, label).toBe(false);
        expect(r.attribution, label).toEqual({ deviation: 25, periodic: 25, complexity: 25, trend: 25 });
        expectContract(r, x.length);
      }
    });

    it('handles constant, huge and non-finite inputs on sufficient data', () => {
      const cases: [string, Float64Array, boolean][] = [
        ['constant 5', new Float64Array(RING).fill(5), false],
        ['constant 1e9', new Float64Array(RING).fill(1e9), false],
        ['1e9 + noise', clean.map((v) => 1e9 + 1e6 * v), false],
        ['NaN and Infinity buckets', clean.map((v, i) => (i % 97 === 0 ? NaN : i % 89 === 0 ? Infinity : v)), false],
        ['constant with a jump to 1e9 at the end', Float64Array.from({ length: RING }, (_, i) => (i === RING - 1 ? 1e9 : 5)), true],
      ];
      for (const [label, x, anomalous] of cases) {
        const r = score(x);
        expect(r.status, label).toBe('sufficient');
        expect(r.isAnomaly, label).toBe(anomalous);
        expectContract(r, x.length);
      }
    });

    it('scores a clean series low and flags a spike (direction up, attributed to the deviation)', () => {
      const base = score(clean);
      expect(base.isAnomaly).toBe(false);
      expect(base.score).toBeLessThan(0.2);
      const spiked = clean.slice();
      spiked[RING - 3] += 12 * cleanSigma;
      const r = score(spiked);
      expect(r.isAnomaly).toBe(true);
      expect(r.direction).toBe('up');
      expect(r.components.deviation.details.direction).toBe('up');
      expect(r.attribution.deviation).toBeGreaterThan(50);
      expectContract(r, RING);
    });

    it('flags a drop to zero with direction down', () => {
      const dropped = clean.slice();
      dropped.fill(0, RING - 20);
      const r = score(dropped);
      expect(r.isAnomaly).toBe(true);
      expect(r.direction).toBe('down');
      expectContract(r, RING);
    });

    it('is invariant to the unit of the series (× 1000), up to rounding', () => {
      const spiked = clean.slice();
      spiked[RING - 10] += 6 * cleanSigma;
      for (const x of [clean, spiked]) {
        const a = score(x);
        const b = score(x.map((v) => 1000 * v));
        expect(Math.abs(a.score - b.score)).toBeLessThan(1e-9);
        expect(b.attribution).toEqual(a.attribution);
      }
    });

    it('is deterministic: the same input twice gives byte-identical JSON', () => {
      const x = makeScenario('irregular-burst', 2).values.slice(150, 150 + RING);
      expect(JSON.stringify(score(x))).toBe(JSON.stringify(score(Float64Array.from(x))));
    });
  });
}

for (const impl of implementations) anomalySuite(impl);
