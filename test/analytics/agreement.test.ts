/**
 * WASM kernels vs the TS reference, carried through the analytics (tolerances in
 * support/implementations.ts), and bit-identical WASM results across instances and runs.
 */
import { describe, expect, it } from 'vitest';
import type { AnomalyResult, ForecastResult } from '../../engine/analytics/index.js';
import { analytics, host, kAgreementAbs, kAgreementRel, reference, schema, wasm } from './support/implementations.js';
import { close } from './support/checks.js';
import { kMinuteLayout, kScenarios, makeForecastSeries, makeHourlyClean, makeScenario } from './support/synthetic.js';

const cfg = schema.defaultAnalyticsConfig();
const RING = kMinuteLayout.warmup;

/** Windows ending just before, at, and after each scenario's onset (and an hourly ring). */
function windows(): { label: string; x: Float64Array }[] {
  const out: { label: string; x: Float64Array }[] = [];
  for (const kind of kScenarios) {
    const s = makeScenario(kind, 1);
    const onset = s.onset ?? RING + kMinuteLayout.lead;
    for (const end of [onset, onset + 10, onset + 45]) out.push({ label: `${kind}@${end}`, x: s.values.slice(end - RING, end) });
  }
  const h = makeHourlyClean(1);
  out.push({ label: 'clean-hourly', x: h.values.slice(h.values.length - 2160) });
  return out;
}

function expectAnomalyAgreement(a: AnomalyResult, b: AnomalyResult, label: string): void {
  expect(b.status, label).toBe(a.status);
  expect(b.seasonPeriod, label).toBe(a.seasonPeriod);
  expect(Math.abs(a.score - b.score), `${label} score`).toBeLessThanOrEqual(kAgreementAbs);
  for (const k of Object.keys(a.components) as (keyof AnomalyResult['components'])[]) {
    const [ca, cb] = [a.components[k], b.components[k]];
    expect(cb.available, `${label} ${k}`).toBe(ca.available);
    expect(Math.abs(ca.statistic - cb.statistic), `${label} ${k} statistic`).toBeLessThanOrEqual(kAgreementAbs * Math.max(1, ca.statistic));
    expect(Math.abs(ca.probability - cb.probability), `${label} ${k} probability`).toBeLessThanOrEqual(kAgreementAbs);
    expect(Math.abs(a.attribution[k] - b.attribution[k]), `${label} ${k} attribution`).toBeLessThanOrEqual(1);
  }
}

function expectForecastAgreement(a: ForecastResult, b: ForecastResult, label: string): void {
  expect([b.method, b.seasonPeriod, JSON.stringify(b.params)], label).toEqual([a.method, a.seasonPeriod, JSON.stringify(a.params)]);
  const scale = Math.max(1, ...a.upper);
  a.values.forEach((v, j) => {
    expect(close(v, b.values[j], kAgreementRel, kAgreementAbs * scale), `${label} value ${j}`).toBe(true);
    expect(close(a.lower[j], b.lower[j], kAgreementRel, kAgreementAbs * scale), `${label} lower ${j}`).toBe(true);
    expect(close(a.upper[j], b.upper[j], kAgreementRel, kAgreementAbs * scale), `${label} upper ${j}`).toBe(true);
  });
}

describe('wasm vs ts-reference agreement', () => {
  it(`anomaly scores agree within ${kAgreementAbs} (statistics, probabilities) and ±1 % (attribution)`, () => {
    for (const { label, x } of windows()) {
      expectAnomalyAgreement(analytics.scoreAnomaly(x, cfg, wasm.dsp), analytics.scoreAnomaly(x, cfg, reference.dsp), label);
    }
  });

  it(`forecasts agree within ${kAgreementRel} relative, health sub-scores within 0.1`, () => {
    for (const seed of [1, 2]) {
      for (const s of makeForecastSeries(seed)) {
        const [a, b] = [analytics.forecast(s.values, 48, cfg, wasm.dsp), analytics.forecast(s.values, 48, cfg, reference.dsp)];
        expectForecastAgreement(a, b, `${s.label} seed ${seed}`);
      }
    }
    const x = makeScenario('periodic-train', 2).values.slice(200, 200 + RING);
    const [ha, hb] = [analytics.computeHealth(x, cfg, wasm.dsp), analytics.computeHealth(x, cfg, reference.dsp)];
    expect(Math.abs(ha.score - hb.score)).toBeLessThanOrEqual(0.1);
    for (const k of Object.keys(ha.breakdown) as (keyof typeof ha.breakdown)[]) {
      expect(Math.abs(ha.breakdown[k].score - hb.breakdown[k].score), k).toBeLessThanOrEqual(0.1);
    }
  });
});

describe('wasm determinism', () => {
  it('two instances and two runs give byte-identical JSON (anomaly, forecast, health)', () => {
    const other = host.loadDsp();
    const x = makeScenario('irregular-burst', 3).values.slice(100, 100 + RING);
    const run = (dsp: typeof other): string =>
      JSON.stringify([analytics.scoreAnomaly(x, cfg, dsp), analytics.forecast(x, 60, cfg, dsp), analytics.computeHealth(x, cfg, dsp)]);
    const first = run(wasm.dsp);
    expect(run(wasm.dsp)).toBe(first);
    expect(run(other)).toBe(first);
  });
});
