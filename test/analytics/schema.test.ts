/** The analytics config schema: defaults validate, every level is strict, cross-field rules hold. */
import { describe, expect, it } from 'vitest';
import { schema } from './support/implementations.js';

const { analyticsSchema, defaultAnalyticsConfig, anomalyStructuralMinimum } = schema;

function withChange(change: (c: ReturnType<typeof defaultAnalyticsConfig>) => void): unknown {
  const c = defaultAnalyticsConfig();
  change(c);
  return c;
}

function issuePaths(value: unknown): string[] {
  const r = analyticsSchema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
}

describe('analytics config schema', () => {
  it('accepts its defaults unchanged and returns a fresh object per call', () => {
    const d = defaultAnalyticsConfig();
    expect(analyticsSchema.parse(d)).toEqual(d);
    expect(defaultAnalyticsConfig()).not.toBe(d);
    expect(d.anomaly.minPoints).toBeGreaterThanOrEqual(anomalyStructuralMinimum(d));
  });

  it('rejects unknown keys at every level (strict)', () => {
    expect(issuePaths({ ...defaultAnalyticsConfig(), extra: 1 })).toEqual(['']);
    expect(issuePaths(withChange((c) => Object.assign(c.anomaly.deviation, { extra: 1 })))).toEqual(['anomaly.deviation']);
    expect(issuePaths(withChange((c) => Object.assign(c.forecast.grid, { extra: 1 })))).toEqual(['forecast.grid']);
    expect(issuePaths(withChange((c) => Object.assign(c.health.weights, { extra: 1 })))).toEqual(['health.weights']);
  });

  it('enforces the cross-field rules and reports every problem at once', () => {
    expect(issuePaths(withChange((c) => (c.anomaly.baseline.numtaps = 30)))).toEqual(['anomaly.baseline.numtaps']);
    expect(issuePaths(withChange((c) => (c.anomaly.complexity.kmax = 31)))).toEqual(['anomaly.complexity.kmax']);
    expect(issuePaths(withChange((c) => (c.anomaly.minPoints = 100)))).toEqual(['anomaly.minPoints']);
    expect(issuePaths(withChange((c) => (c.forecast.minPeriod = 5000)))).toEqual(['forecast.minPeriod']);
    const many = issuePaths(
      withChange((c) => {
        c.anomaly.alertThreshold = 1.5;
        c.forecast.level = 0;
        c.health.weights.volatility = -0.1;
      }),
    );
    expect(many.sort()).toEqual(['anomaly.alertThreshold', 'forecast.level', 'health.weights.volatility']);
    expect(issuePaths(withChange((c) => (c.health.weights = { volatility: 0, anomalyFrequency: 0, predictiveRisk: 0, dataConsistency: 0 })))).toEqual(['health.weights']);
  });
});
