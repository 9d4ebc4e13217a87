/** Forecast core checks, run against every kernel implementation. */
import { describe, expect, it } from 'vitest';
import type { ForecastResult } from '../../engine/analytics/index.js';
import { analytics, type Implementation, implementations, schema } from './support/implementations.js';
import { expectFiniteDeep } from './support/checks.js';
import { gauss, mulberry32 } from './support/synthetic.js';

const cfg = schema.defaultAnalyticsConfig();

function expectContract(f: ForecastResult, horizon: number): void {
  expectFiniteDeep(f);
  expect(f.horizon).toBe(horizon);
  for (const a of [f.values, f.lower, f.upper]) expect(a).toHaveLength(horizon);
  for (let j = 0; j < horizon; j++) {
    expect(f.lower[j]).toBeLessThanOrEqual(f.values[j]);
    expect(f.values[j]).toBeLessThanOrEqual(f.upper[j]);
    expect(f.lower[j]).toBeGreaterThanOrEqual(0);
    if (j > 0) expect(f.upper[j] - f.lower[j]).toBeGreaterThanOrEqual(f.upper[j - 1] - f.lower[j - 1] - 1e-9 * Math.abs(f.upper[j]));
  }
  expect(f.level).toBe(cfg.forecast.level);
}

/** 24-periodic signal with noise and a slow trend (hourly-like). */
function seasonal(n: number, seed: number): Float64Array {
  const rand = mulberry32(seed);
  return Float64Array.from({ length: n }, (_, t) => 100 + 0.02 * t + 30 * Math.sin((2 * Math.PI * t) / 24) + 5 * gauss(rand));
}

function forecastSuite({ name, dsp }: Implementation): void {
  describe(`forecast [${name}]`, () => {
    it('falls back to a flagged naive forecast on too little data, without throwing', () => {
      const cases: [ArrayLike<number>, number][] = [
        [[], 0],
        [[7], 7],
        [[3, 9], 9],
        [new Float64Array(500), 0],
        [Float64Array.from({ length: 30 }, (_, i) => i), 29],
      ];
      for (const [x, last] of cases) {
        const f = analytics.forecast(x, 5, cfg, dsp);
        expect(f.status).toBe('insufficient');
        expect(f.method).toBe('naive');
        expect(f.params).toBeNull();
        expect(f.values).toEqual([last, last, last, last, last]);
        expectContract(f, 5);
      }
    });

    it('floors and clamps the horizon to [0, maxHorizon]', () => {
      const x = seasonal(400, 1);
      expect(analytics.forecast(x, 0, cfg, dsp).values).toEqual([]);
      expect(analytics.forecast(x, -3, cfg, dsp).horizon).toBe(0);
      expect(analytics.forecast(x, 2.9, cfg, dsp).horizon).toBe(2);
      expect(analytics.forecast(x, NaN, cfg, dsp).horizon).toBe(0);
      expect(analytics.forecast(x, 1e9, cfg, dsp).horizon).toBe(cfg.forecast.maxHorizon);
    });

    it('detects a 24-bucket season and forecasts it (Holt-Winters), bands widening with the horizon', () => {
      const x = seasonal(24 * 30, 2);
      const f = analytics.forecast(x.subarray(0, 24 * 28), 48, cfg, dsp);
      expect(f.status).toBe('sufficient');
      expect(f.method).toBe('holt-winters-additive');
      expect(f.seasonPeriod).toBe(24);
      expect(f.params?.gamma).not.toBeNull();
      expectContract(f, 48);
      let err = 0;
      for (let j = 0; j < 48; j++) err += Math.abs(f.values[j] - x[24 * 28 + j]);
      expect(err / 48).toBeLessThan(8);
    });

    it('uses the damped trend when there is no season, and handles constant and huge series', () => {
      const rand = mulberry32(3);
      const trend = Float64Array.from({ length: 300 }, (_, t) => 50 + 0.5 * t + gauss(rand));
      const f = analytics.forecast(trend, 10, cfg, dsp);
      expect(f.method).toBe('damped-trend');
      expect(f.seasonPeriod).toBeNull();
      expect(f.values[0]).toBeGreaterThan(195);
      expectContract(f, 10);
      for (const x of [new Float64Array(300).fill(4), new Float64Array(300).fill(1e9), trend.map((v) => v * 1e9)]) {
        const g = analytics.forecast(x, 12, cfg, dsp);
        expect(g.status).toBe('sufficient');
        expectContract(g, 12);
      }
      expect(analytics.forecast(new Float64Array(300).fill(4), 3, cfg, dsp).values.map((v) => Math.round(v * 1e6) / 1e6)).toEqual([4, 4, 4]);
    });

    it('is deterministic: the same input twice gives byte-identical JSON', () => {
      const x = seasonal(600, 4);
      expect(JSON.stringify(analytics.forecast(x, 24, cfg, dsp))).toBe(JSON.stringify(analytics.forecast(x.slice(), 24, cfg, dsp)));
    });
  });
}

for (const impl of implementations) forecastSuite(impl);

describe('forecastTimestamps', () => {
  it('starts at the historical cutoff and advances one bucket per value', () => {
    expect(analytics.forecastTimestamps(1_700_000_000_000, 60_000, 3)).toEqual([1_700_000_000_000, 1_700_000_060_000, 1_700_000_120_000]);
    expect(analytics.forecastTimestamps(0, 1000, 0)).toEqual([]);
  });
});
