/** Sections and chart data the report builders share (report-builders.ts). */
import type { ReportDocument, ReportKind, Section, TimeChart } from './report-document.js';
import type { AnalysisBody, BuildContext, SeriesBody, TimeWindowBody } from './report-inputs.js';
import { formatDurationMs, formatTime, formatWindow } from './report-format.js';

/** "SALE sum per 1 min". */
export function unitOf(type: string, metric: 'count' | 'sum', bucketMs: number): string {
  return `${type} ${metric} per ${formatDurationMs(bucketMs)}`;
}

/**
 * The history a chart draws: the series' buckets inside `window` (the analysed one, when given;
 * else every bucket but the newest, still filling — analyses leave it out too), the newest
 * `ctx.historyBuckets` of them, as the metric the analysis used.
 */
export function historyOf(series: SeriesBody | undefined, metric: 'count' | 'sum', window: TimeWindowBody | undefined, ctx: BuildContext): TimeChart['history'] {
  const timestamps: number[] = [];
  const values: number[] = [];
  if (series === undefined) return { timestamps, values };
  const from = window?.startTimestamp ?? -Infinity;
  const to = window?.endTimestamp ?? series.buckets[series.buckets.length - 1]?.start ?? Infinity;
  for (const b of series.buckets) {
    if (b.start < from || b.start >= to) continue;
    timestamps.push(b.start);
    values.push(metric === 'sum' ? b.sum : b.count);
  }
  const drop = Math.max(0, timestamps.length - ctx.historyBuckets);
  return { timestamps: timestamps.slice(drop), values: values.slice(drop) };
}

/** The provenance of an analytic answer: window, sufficiency, confidence, versions, hash. */
export function analysisSection(a: AnalysisBody): Section {
  const s = a.dataSufficiency;
  const keyValues: [string, string][] = [
    ['Event type', a.type],
    ['Metric', a.metric],
    ['Resolution', a.resolution],
    ['Time window', formatWindow(a.timeWindow)],
    ['Data sufficiency', `${s.status} (${s.available} of ${s.required} buckets required)`],
    ['Config version', String(a.configVersion)],
    ['Computed at', formatTime(a.lastComputedAt)],
    ['Reproducibility hash', a.reproducibilityHash],
  ];
  if (a.tier !== undefined) keyValues.splice(3, 0, ['Activity tier', `${a.tier.name} (${a.tier.eventsPerHour.toFixed(1)} events/h)`]);
  return { heading: 'Analysis details', paragraphs: [a.confidenceMessage], keyValues };
}

/** A table's rows, cut to `max` with a note of how many were left out. */
export function limitRows(rows: (string | number)[][], max: number): { rows: (string | number)[][]; note: string | null } {
  if (rows.length <= max) return { rows, note: null };
  return { rows: rows.slice(0, max), note: `The first ${max} of ${rows.length} rows are shown.` };
}

const kTitles: Record<ReportKind, string> = {
  anomaly: 'Anomaly report',
  prediction: 'Prediction report',
  health: 'Health report',
  weekly: 'Weekly report',
  insights: 'Insights report',
};

/** The document frame every builder fills. */
export function frame(kind: ReportKind, sellerId: string, detail: string, sections: Section[], ctx: BuildContext): ReportDocument {
  return {
    title: `${kTitles[kind]}: ${sellerId}`,
    subtitle: `${detail} · generated ${formatTime(ctx.generatedAt)}`,
    sellerId,
    kind,
    generatedAt: ctx.generatedAt,
    sections,
    configSnapshot: ctx.configSnapshot,
  };
}
