/**
 * Quality on labelled synthetic data (WASM kernels):
 *  - anomaly detection per scenario, online (the series ending at each point of a test region):
 *    precision, recall, detection delay, false alarms on clean controls, attribution;
 *  - prediction on held-out tails of clean series: MASE against the seasonal-naive forecast and
 *    the coverage of the 90 % bands.
 * The tables are printed (for the README); WRITE_QUALITY_REPORT=1 also writes quality-report.md.
 */
import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analytics, schema, wasm } from './support/implementations.js';
import { evaluateSeries, formatTable, type ScenarioRow, summarise } from './support/evaluate.js';
import { kHourlyLayout, kMinuteLayout, kScenarios, makeForecastSeries, makeHourlyClean, makeScenario, type ScenarioKind } from './support/synthetic.js';

const SEEDS = 10;
const HOURLY_SEEDS = 3;
const FORECAST_SEEDS = 12;
/** Held-out tail: two days of hourly buckets, one hour of minute buckets. */
const HOLDOUT = { hourly: 48, minute: 60 };

const cfg = schema.defaultAnalyticsConfig();
const influence = cfg.anomaly.recentWindow + cfg.anomaly.trend.historyWindow;
const score = (w: Float64Array) => analytics.scoreAnomaly(w, cfg, wasm.dsp);

const rows = new Map<ScenarioKind, ScenarioRow>();
function evaluateAll(): void {
  for (const kind of kScenarios) {
    const params = { layout: kMinuteLayout, recentWindow: cfg.anomaly.recentWindow, influence };
    rows.set(kind, summarise(kind, Array.from({ length: SEEDS }, (_, i) => evaluateSeries(makeScenario(kind, i + 1), params, score))));
  }
  const params = { layout: kHourlyLayout, recentWindow: cfg.anomaly.recentWindow, influence };
  rows.set('clean-hourly', summarise('clean-hourly', Array.from({ length: HOURLY_SEEDS }, (_, i) => evaluateSeries(makeHourlyClean(i + 1), params, score))));
}
const row = (kind: ScenarioKind): ScenarioRow => rows.get(kind) as ScenarioRow;

interface ForecastRow {
  label: string;
  series: number;
  mase: number;
  coverage: number;
  methods: string;
}

function forecastRows(): ForecastRow[] {
  const acc = new Map<string, { err: number; errNaive: number; inside: number; points: number; series: number; methods: Map<string, number> }>();
  for (let seed = 1; seed <= FORECAST_SEEDS; seed++) {
    for (const s of makeForecastSeries(seed)) {
      const h = s.comparatorPeriod === null ? HOLDOUT.minute : HOLDOUT.hourly;
      const train = s.values.subarray(0, s.values.length - h);
      const test = s.values.subarray(s.values.length - h);
      const f = analytics.forecast(train, h, cfg, wasm.dsp);
      const a = acc.get(s.label) ?? { err: 0, errNaive: 0, inside: 0, points: 0, series: 0, methods: new Map() };
      for (let j = 0; j < h; j++) {
        const m = s.comparatorPeriod;
        const naive = m === null ? train[train.length - 1] : train[train.length - m + (j % m)];
        a.err += Math.abs(test[j] - f.values[j]);
        a.errNaive += Math.abs(test[j] - naive);
        if (test[j] >= f.lower[j] && test[j] <= f.upper[j]) a.inside++;
        a.points++;
      }
      a.series++;
      const key = `${f.method}${f.seasonPeriod ? ` (m=${f.seasonPeriod})` : ''}`;
      a.methods.set(key, (a.methods.get(key) ?? 0) + 1);
      acc.set(s.label, a);
    }
  }
  const out: ForecastRow[] = [];
  let all = { err: 0, errNaive: 0, inside: 0, points: 0, series: 0 };
  for (const [label, a] of acc) {
    const methods = [...a.methods].map(([k, v]) => `${k} ×${v}`).join(', ');
    out.push({ label, series: a.series, mase: a.err / a.errNaive, coverage: a.inside / a.points, methods });
    all = { err: all.err + a.err, errNaive: all.errNaive + a.errNaive, inside: all.inside + a.inside, points: all.points + a.points, series: all.series + a.series };
  }
  out.push({ label: 'all', series: all.series, mase: all.err / all.errNaive, coverage: all.inside / all.points, methods: '' });
  return out;
}
let forecasts: ForecastRow[] = [];

function forecastTable(): string {
  const lines = [
    `| series (held-out tail) | series | MASE vs seasonal-naive | ${Math.round(100 * cfg.forecast.level)} % band coverage | models chosen |`,
    '|---|---:|---:|---:|---|',
  ];
  for (const r of forecasts) lines.push(`| ${r.label} | ${r.series} | ${r.mase.toFixed(3)} | ${(100 * r.coverage).toFixed(1)} % | ${r.methods} |`);
  return lines.join('\n');
}

describe('quality on labelled synthetic data (wasm)', () => {
  beforeAll(() => {
    evaluateAll();
    forecasts = forecastRows();
  });

  it('prints the tables (and writes quality-report.md when WRITE_QUALITY_REPORT=1)', () => {
    const anomalyTable = formatTable([...kScenarios, 'clean-hourly' as const].map(row));
    const report = `## Anomaly detection (online, minute buckets; ${SEEDS} series per scenario)\n\n${anomalyTable}\n\n## Prediction (${FORECAST_SEEDS} seeds)\n\n${forecastTable()}\n`;
    console.log(`\n${report}`);
    if (process.env.WRITE_QUALITY_REPORT === '1') writeFileSync(new URL('./quality-report.md', import.meta.url), report);
    expect(rows.size).toBe(kScenarios.length + 1);
  });

  it('detects spikes, drops and level shifts (recall >= 0.9, precision >= 0.9)', () => {
    for (const kind of ['spike', 'drop', 'level-shift'] as const) {
      expect(row(kind).recall, kind).toBeGreaterThanOrEqual(0.9);
      expect(row(kind).precision, kind).toBeGreaterThanOrEqual(0.9);
    }
    expect(row('spike').medianDelay).toBe(0);
  });

  it('detects bot trains and bursts (recall >= 0.8, precision >= 0.9)', () => {
    for (const kind of ['periodic-train', 'irregular-burst', 'additive-burst'] as const) {
      expect(row(kind).recall, kind).toBeGreaterThanOrEqual(0.8);
      expect(row(kind).precision, kind).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('keeps clean controls quiet (minute and seasonal hourly): <= 1 false run per 1000 evaluations, <= 0.5 % alarmed', () => {
    for (const kind of ['clean', 'clean-hourly'] as const) {
      expect(row(kind).falseRunsPerK, kind).toBeLessThanOrEqual(1);
      expect(row(kind).cleanAlarmRate, kind).toBeLessThanOrEqual(0.005);
    }
  });

  it('attributes each scenario to its characteristic component (spike: deviation, train: FFT, burst: HFD)', () => {
    expect(row('spike').top).toBe('deviation');
    expect(row('periodic-train').top).toBe('periodic');
    expect(row('irregular-burst').top).toBe('complexity');
  });

  it('predicts held-out tails better than the seasonal-naive forecast, with calibrated 90 % bands', () => {
    for (const r of forecasts) expect(r.mase, r.label).toBeLessThan(1);
    const all = forecasts[forecasts.length - 1];
    expect(all.coverage).toBeGreaterThanOrEqual(0.85);
    expect(all.coverage).toBeLessThanOrEqual(0.95);
  });
});
