/** Health score core checks, run against every kernel implementation. */
import { describe, expect, it } from 'vitest';
import type { HealthResult } from '../../engine/analytics/index.js';
import { analytics, type Implementation, implementations, schema } from './support/implementations.js';
import { expectFiniteDeep } from './support/checks.js';
import { makeScenario } from './support/synthetic.js';

const cfg = schema.defaultAnalyticsConfig();
const RING = 1440;

function expectContract(h: HealthResult): void {
  expectFiniteDeep(h);
  expect(h.score).toBeGreaterThanOrEqual(0);
  expect(h.score).toBeLessThanOrEqual(100);
  const b = h.breakdown;
  expect(Object.keys(b)).toEqual(['volatility', 'anomalyFrequency', 'predictiveRisk', 'dataConsistency']);
  for (const [k, c] of Object.entries(b)) {
    expect(c.weight).toBe(cfg.health.weights[k as keyof typeof cfg.health.weights]);
    expect(c.score).toBeGreaterThanOrEqual(0);
    expect(c.score).toBeLessThanOrEqual(100);
    expect(Math.round(c.score * 10) / 10).toBe(c.score);
  }
  const used = Object.values(b).filter((c) => c.available && c.weight > 0);
  const w = used.reduce((s, c) => s + c.weight, 0);
  if (w > 0) expect(Math.abs(h.score - used.reduce((s, c) => s + c.weight * c.score, 0) / w)).toBeLessThanOrEqual(0.1);
}

function healthSuite({ name, dsp }: Implementation): void {
  describe(`health [${name}]`, () => {
    it('rates a clean seller healthier than one with an anomalous last hours', () => {
      const clean = makeScenario('clean', 5).values;
      const burst = makeScenario('irregular-burst', 5).values;
      const end = 1440 + 60 + 90;
      const a = analytics.computeHealth(clean.subarray(end - RING, end), cfg, dsp);
      const b = analytics.computeHealth(burst.subarray(end - RING, end), cfg, dsp);
      expectContract(a);
      expectContract(b);
      expect(a.status).toBe('sufficient');
      expect(a.breakdown.anomalyFrequency.measures.windows).toBe(cfg.health.anomalyWindows);
      expect(a.breakdown.anomalyFrequency.score).toBeGreaterThan(b.breakdown.anomalyFrequency.score);
      expect(a.score).toBeGreaterThan(b.score);
    });

    it('handles empty, all-zero, constant and huge series', () => {
      const empty = analytics.computeHealth([], cfg, dsp);
      expect(empty.score).toBe(0);
      expect(empty.status).toBe('insufficient');
      expect(empty.breakdown.dataConsistency).toMatchObject({ available: true, score: 0 });
      expectContract(empty);
      const zeros = analytics.computeHealth(new Float64Array(RING), cfg, dsp);
      expect(zeros.breakdown.volatility.available).toBe(false);
      expectContract(zeros);
      for (const v of [3, 1e9]) {
        const h = analytics.computeHealth(new Float64Array(RING).fill(v), cfg, dsp);
        expect(h.breakdown.volatility.score).toBe(100);
        expect(h.breakdown.dataConsistency.score).toBe(100);
        expect(h.breakdown.anomalyFrequency.score).toBe(100);
        expectContract(h);
      }
    });

    it('combines given parts, leaving unavailable ones out of the mean', () => {
      const x = makeScenario('clean', 6).values.subarray(0, RING);
      const h = analytics.healthFromParts({ series: x, anomalies: [], forecast: null }, cfg, dsp);
      expect(h.breakdown.anomalyFrequency.available).toBe(false);
      expect(h.breakdown.predictiveRisk.available).toBe(false);
      expectContract(h);
      const anomalies = analytics.slidingAnomalies(x, cfg, dsp);
      expect(anomalies).toHaveLength(cfg.health.anomalyWindows);
      expect(anomalies[0].split.recentStart + anomalies[0].split.recentLength).toBe(RING);
      expect(anomalies[1].split.recentStart + anomalies[1].split.recentLength).toBe(RING - cfg.health.anomalyStride);
    });

    it('is deterministic: the same input twice gives byte-identical JSON', () => {
      const x = makeScenario('drop', 3).values.subarray(200, 200 + RING);
      expect(JSON.stringify(analytics.computeHealth(x, cfg, dsp))).toBe(JSON.stringify(analytics.computeHealth(x.slice(), cfg, dsp)));
    });
  });
}

for (const impl of implementations) healthSuite(impl);
