/**
 * Online evaluation of the anomaly scorer on labelled synthetic series.
 *
 * For every point t of the test region the scorer sees the ring the engine would hold: the
 * `warmup` buckets ending at t. Definitions (per scenario, over all its series):
 *   alarm run      maximal run of consecutive evaluations with score >= threshold;
 *   label window   [onset, end + influence), influence = recentWindow + trend.historyWindow: the
 *                  evaluations whose input still contains (or whose baseline still leans on) an
 *                  injected bucket. A run that STARTS inside it is a true alarm, any other run false;
 *   detected       some evaluation in [onset, end + recentWindow) alarms; delay = first one - onset;
 *   recall         detected events / events;  precision = true runs / all runs;
 *   false runs/1k  false runs per 1000 evaluations outside label windows;
 *   attribution    mean attribution over the alarmed evaluations of [onset, end + recentWindow).
 */
import type { AnomalyComponentName, AnomalyResult } from '../../../engine/analytics/index.js';
import type { LabelledSeries, ScenarioKind, ScenarioLayout } from './synthetic.js';

export const kComponents: readonly AnomalyComponentName[] = ['deviation', 'periodic', 'complexity', 'trend'];

export interface SeriesOutcome {
  kind: ScenarioKind;
  seed: number;
  /** The series carries an injected anomaly (false for clean controls). */
  hasEvent: boolean;
  detected: boolean;
  delay: number | null;
  trueRuns: number;
  falseRuns: number;
  /** Evaluations outside the label window, and how many of them alarmed. */
  cleanEvals: number;
  cleanAlarms: number;
  attributionSum: Record<AnomalyComponentName, number>;
  attributedEvals: number;
}

export interface EvaluationParams {
  layout: ScenarioLayout;
  recentWindow: number;
  influence: number;
}

export function evaluateSeries(s: LabelledSeries, p: EvaluationParams, score: (window: Float64Array) => AnomalyResult): SeriesOutcome {
  const { warmup } = p.layout;
  const onset = s.onset ?? Infinity;
  const end = s.end ?? Infinity;
  const labelEnd = end + p.influence;
  const detectEnd = end + p.recentWindow;
  const out: SeriesOutcome = {
    kind: s.kind,
    seed: s.seed,
    hasEvent: s.onset !== null,
    detected: false,
    delay: null,
    trueRuns: 0,
    falseRuns: 0,
    cleanEvals: 0,
    cleanAlarms: 0,
    attributionSum: { deviation: 0, periodic: 0, complexity: 0, trend: 0 },
    attributedEvals: 0,
  };
  let inRun = false;
  for (let t = warmup; t < s.values.length; t++) {
    const r = score(s.values.subarray(t + 1 - warmup, t + 1));
    const labelled = t >= onset && t < labelEnd;
    if (!labelled) {
      out.cleanEvals++;
      if (r.isAnomaly) out.cleanAlarms++;
    }
    if (r.isAnomaly && !inRun) {
      if (labelled) out.trueRuns++;
      else out.falseRuns++;
    }
    inRun = r.isAnomaly;
    if (r.isAnomaly && t >= onset && t < detectEnd) {
      if (!out.detected) {
        out.detected = true;
        out.delay = t - onset;
      }
      for (const c of kComponents) out.attributionSum[c] += r.attribution[c];
      out.attributedEvals++;
    }
  }
  return out;
}

export interface ScenarioRow {
  kind: ScenarioKind;
  series: number;
  events: number;
  detected: number;
  recall: number | null;
  precision: number | null;
  medianDelay: number | null;
  maxDelay: number | null;
  falseRunsPerK: number;
  cleanAlarmRate: number;
  /** Mean attribution (percent) over alarmed evaluations of the events; null without any. */
  attribution: Record<AnomalyComponentName, number> | null;
  top: AnomalyComponentName | null;
}

function medianOf(x: number[]): number | null {
  if (x.length === 0) return null;
  const v = [...x].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export function summarise(kind: ScenarioKind, outcomes: SeriesOutcome[]): ScenarioRow {
  const events = outcomes.filter((o) => o.hasEvent).length;
  const detected = outcomes.filter((o) => o.detected).length;
  const delays = outcomes.filter((o) => o.delay !== null).map((o) => o.delay as number);
  const trueRuns = outcomes.reduce((s, o) => s + o.trueRuns, 0);
  const falseRuns = outcomes.reduce((s, o) => s + o.falseRuns, 0);
  const cleanEvals = outcomes.reduce((s, o) => s + o.cleanEvals, 0);
  const cleanAlarms = outcomes.reduce((s, o) => s + o.cleanAlarms, 0);
  const attributed = outcomes.reduce((s, o) => s + o.attributedEvals, 0);
  let attribution: Record<AnomalyComponentName, number> | null = null;
  let top: AnomalyComponentName | null = null;
  if (attributed > 0) {
    const a = { deviation: 0, periodic: 0, complexity: 0, trend: 0 };
    for (const c of kComponents) a[c] = outcomes.reduce((s, o) => s + o.attributionSum[c], 0) / attributed;
    attribution = a;
    top = kComponents.reduce((best, c) => (a[c] > a[best] ? c : best), kComponents[0]);
  }
  return {
    kind,
    series: outcomes.length,
    events,
    detected,
    recall: events > 0 ? detected / events : null,
    precision: trueRuns + falseRuns > 0 ? trueRuns / (trueRuns + falseRuns) : null,
    medianDelay: medianOf(delays),
    maxDelay: delays.length > 0 ? Math.max(...delays) : null,
    falseRunsPerK: cleanEvals > 0 ? (1000 * falseRuns) / cleanEvals : 0,
    cleanAlarmRate: cleanEvals > 0 ? cleanAlarms / cleanEvals : 0,
    attribution,
    top,
  };
}

const fmt = (x: number | null, digits = 2): string => (x === null ? '—' : x.toFixed(digits));

export function formatTable(rows: ScenarioRow[]): string {
  const lines = [
    '| scenario | series | recall | precision | delay median / max (buckets) | false runs / 1k evals | alarmed share outside labels | mean attribution dev/fft/hfd/trend (%) | top |',
    '|---|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const r of rows) {
    const attr = r.attribution ? kComponents.map((c) => Math.round((r.attribution as Record<AnomalyComponentName, number>)[c])).join(' / ') : '—';
    const recall = r.recall === null ? '—' : `${fmt(r.recall)} (${r.detected}/${r.events})`;
    const delay = r.medianDelay === null ? '—' : `${fmt(r.medianDelay, 1)} / ${r.maxDelay}`;
    lines.push(
      `| ${r.kind} | ${r.series} | ${recall} | ${fmt(r.precision)} | ${delay} | ${fmt(r.falseRunsPerK)} | ${(100 * r.cleanAlarmRate).toFixed(2)} % | ${attr} | ${r.top ?? '—'} |`,
    );
  }
  return lines.join('\n');
}
