/**
 * Report builders (issue 7): API answers → ReportDocument, one function per kind. The weekly
 * report is made elsewhere and handed over as a finished ReportDocument.
 */
import type { ReportDocument, Section, TimeChart } from './report-document.js';
import type { AnomalyBody, BuildContext, HealthBody, InsightBody, PredictionBody, SeriesBody, TimeWindowBody } from './report-inputs.js';
import { formatHealth, formatScore, formatShare, formatTime, formatValue, formatWindow } from './report-format.js';
import { analysisSection, frame, historyOf, limitRows, unitOf } from './report-sections.js';

const yesNo = (b: boolean) => (b ? 'yes' : 'no');
const detailOf = (a: { type: string; metric: string; resolution: string }) => `${a.type} ${a.metric} at ${a.resolution}`;

function historyChart(title: string, a: { type: string; metric: 'count' | 'sum'; timeWindow: TimeWindowBody }, series: SeriesBody | undefined, ctx: BuildContext): TimeChart {
  return { title, unit: unitOf(a.type, a.metric, a.timeWindow.bucketMs), history: historyOf(series, a.metric, a.timeWindow, ctx) };
}

/** Anomaly score, attribution by component, the analysed history with the flagged recent buckets. */
export function buildAnomalyReport(anomaly: AnomalyBody, series: SeriesBody | undefined, ctx: BuildContext): ReportDocument {
  const chart = historyChart('Analysed history', anomaly, series, ctx);
  const deviation = anomaly.components?.deviation;
  const suffix = Number(deviation?.details.suffixLength ?? 0);
  if (anomaly.isAnomaly && suffix > 0) {
    const from = anomaly.timeWindow.endTimestamp - suffix * anomaly.timeWindow.bucketMs;
    chart.anomalies = chart.history.timestamps.filter((t) => t >= from);
    chart.cutoff = from;
  }
  const sections: Section[] = [{
    heading: 'Anomaly score',
    keyValues: [
      ['Anomaly score', formatScore(anomaly.anomalyScore)],
      ['Threshold', formatScore(anomaly.threshold)],
      ['Anomalous', yesNo(anomaly.isAnomaly)],
      ['Direction', anomaly.direction],
      ['Status', anomaly.status],
    ],
    paragraphs: [anomaly.confidenceMessage],
  }];
  if (anomaly.attribution !== undefined) {
    const rows = Object.entries(anomaly.attribution).map(([name, share]) => {
      const c = anomaly.components?.[name];
      return [name, `${share}%`, c === undefined ? 'n/a' : formatScore(c.probability), c === undefined ? 'n/a' : formatValue(c.statistic), c === undefined ? 'n/a' : yesNo(c.available)];
    });
    sections.push({ heading: 'Attribution', table: { columns: ['Component', 'Share', 'Probability', 'Statistic', 'Available'], rows } });
  }
  sections.push({ heading: 'History', chart, ...(chart.anomalies?.length ? { paragraphs: ['Marked buckets: the recent stretch whose deviation from the expected level drove the score.'] } : {}) });
  sections.push(analysisSection(anomaly));
  return frame('anomaly', anomaly.sellerId, detailOf(anomaly), sections, ctx);
}

/** The forecast with its band after the historical cutoff, and the table of predicted values. */
export function buildPredictionReport(prediction: PredictionBody, series: SeriesBody | undefined, ctx: BuildContext): ReportDocument {
  const p = prediction.predictions;
  const hasBands = p.length > 0 && p.every((x) => x.lower !== undefined && x.upper !== undefined);
  const chart = historyChart('History and forecast', prediction, series, ctx);
  chart.cutoff = prediction.historicalCutoff;
  if (p.length > 0) {
    chart.prediction = {
      timestamps: p.map((x) => x.timestamp), values: p.map((x) => x.value),
      lower: p.map((x) => (hasBands ? x.lower! : x.value)), upper: p.map((x) => (hasBands ? x.upper! : x.value)),
    };
  }
  const mean = p.length === 0 ? null : p.reduce((s, x) => s + x.value, 0) / p.length;
  const all = p.map((x) => [formatTime(x.timestamp), formatValue(x.value), ...(hasBands ? [formatValue(x.lower), formatValue(x.upper)] : [])]);
  const { rows, note } = limitRows(all, ctx.maxTableRows);
  const sections: Section[] = [
    {
      heading: 'Forecast',
      keyValues: [
        ['Method', prediction.method],
        ['Season period', prediction.seasonPeriod === null ? 'none' : `${prediction.seasonPeriod} buckets`],
        ['Horizon', `${prediction.horizon} buckets`],
        ['Historical cutoff', formatTime(prediction.historicalCutoff)],
        ['Confidence level', prediction.confidenceLevel === undefined ? 'no bands' : formatShare(prediction.confidenceLevel)],
        ['First predicted value', formatValue(p[0]?.value)],
        ['Last predicted value', formatValue(p[p.length - 1]?.value)],
        ['Mean predicted value', formatValue(mean)],
        ['Status', prediction.status],
      ],
      paragraphs: [prediction.confidenceMessage],
    },
    { heading: 'History and forecast', chart, paragraphs: [hasBands ? 'The shaded band is the confidence interval of the forecast; the vertical line is the historical cutoff.' : 'The vertical line is the historical cutoff.'] },
    {
      heading: 'Predicted values',
      table: { columns: ['Bucket start', 'Predicted', ...(hasBands ? ['Lower', 'Upper'] : [])], rows },
      ...(note === null ? {} : { paragraphs: [note] }),
    },
    analysisSection(prediction),
  ];
  return frame('prediction', prediction.sellerId, detailOf(prediction), sections, ctx);
}

/** The health score and its four sub-scores with what each measured. */
export function buildHealthReport(health: HealthBody, series: SeriesBody | undefined, ctx: BuildContext): ReportDocument {
  const rows = Object.entries(health.breakdown).map(([name, c]) => [
    name, c.available ? formatHealth(c.score) : 'n/a', formatValue(c.weight), yesNo(c.available),
    Object.entries(c.measures).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : formatValue(v)}`).join(', '),
  ]);
  const sections: Section[] = [
    {
      heading: 'Health score',
      keyValues: [['Health score', `${formatHealth(health.healthScore)} / 100`], ['Status', health.status]],
      paragraphs: [health.confidenceMessage],
    },
    { heading: 'Breakdown', table: { columns: ['Component', 'Score', 'Weight', 'Available', 'Measures'], rows } },
    { heading: 'History', chart: historyChart('Analysed history', health, series, ctx) },
    analysisSection(health),
  ];
  return frame('health', health.sellerId, detailOf(health), sections, ctx);
}

/**
 * The seller's insights (newest first, at most ctx.maxTableRows in the table), their summaries and
 * recommendations, and the history of `series` with the end of each insight's window marked.
 */
export function buildInsightsReport(sellerId: string, insights: InsightBody[], series: SeriesBody | undefined, metric: 'count' | 'sum', ctx: BuildContext): ReportDocument {
  const all = insights.map((i) => [formatTime(i.createdAt), i.kind, i.state, i.eventType, formatScore(i.probability), formatScore(i.anomalyScore), i.observations]);
  const { rows, note } = limitRows(all, ctx.maxTableRows);
  const sections: Section[] = [{
    heading: 'Insights',
    keyValues: [['Insights', String(insights.length)], ['Live', String(insights.filter((i) => i.state === 'generated' || i.state === 'confirmed').length)]],
    ...(insights.length === 0 ? { paragraphs: ['No insights have been generated for this seller yet.'] }
      : { table: { columns: ['Created', 'Kind', 'State', 'Type', 'Probability', 'Score', 'Seen'], rows } }),
  }];
  if (note !== null) sections[0].paragraphs = [note];
  if (series !== undefined) {
    const chart: TimeChart = { title: `${series.type} history`, unit: unitOf(series.type, metric, series.timeWindow.bucketMs), history: historyOf(series, metric, undefined, ctx) };
    const ts = chart.history.timestamps;
    const [first, end] = ts.length === 0 ? [Infinity, -Infinity] : [ts[0], ts[ts.length - 1] + series.timeWindow.bucketMs];
    chart.anomalies = insights.filter((i) => i.eventType === series.type).map((i) => i.timeWindow.endTimestamp - 1).filter((t) => t >= first && t < end);
    sections.push({ heading: 'History', chart, paragraphs: ['Marked buckets: the last bucket of the window each insight was observed in.'] });
  }
  for (const i of insights.slice(0, ctx.maxTableRows)) {
    sections.push({
      heading: `${i.kind} (${i.state})`,
      paragraphs: [i.summary, `Recommendation: ${i.recommendation}`],
      keyValues: [['Probability', formatScore(i.probability)], ['Window', formatWindow(i.timeWindow)], ['Last observed', formatTime(i.lastObservedAt)], ['Insight id', i.id]],
    });
  }
  return frame('insights', sellerId, series === undefined ? 'all event types' : `${series.type} ${metric} at ${series.resolution}`, sections, ctx);
}
