/** A weekly report as a ReportDocument (engine/reports/report-document.ts), for POST /export/pdf and /export/email. */
import type { ReportDocument, Section } from '../reports/report-document.js';
import { formatHealth, formatScore, formatShare, formatTime, formatValue } from '../reports/report-format.js';
import type { WeeklyReport } from './weekly-task.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the report's analysis parts are shaped where they are made */
export function weeklyDocument(r: WeeklyReport): ReportDocument {
  const sections: Section[] = [];
  const h = r.health as any;
  sections.push({
    heading: 'Health',
    keyValues: h === null ? [['Health', 'not enough data']] : [
      ['Health score', formatHealth(h.score)], ['Status', h.status],
      ...Object.entries(h.breakdown as Record<string, { score: number }>).map(([k, v]): [string, string] => [k, formatHealth(v.score)]),
    ],
    paragraphs: h === null ? [] : [h.confidenceMessage],
  });
  const a = r.anomalies;
  sections.push({
    heading: 'Anomalies',
    keyValues: [
      ['Alerts this week', String(a.alerts)], ['Current anomaly score', a.currentScore === null ? 'n/a' : formatScore(a.currentScore)],
      ...Object.entries(a.bySeverity).map(([k, v]): [string, string] => [`Severity ${k}`, String(v)]),
      ...Object.entries(a.byType).map(([k, v]): [string, string] => [`Type ${k}`, String(v)]),
    ],
  });
  const c = r.trend.comparison;
  sections.push({
    heading: 'Trend: this week vs the previous one',
    table: {
      columns: ['', 'this week', 'previous week', 'change'],
      rows: [
        ['Revenue', formatValue(c.current.revenue), formatValue(c.previous.revenue), c.change.revenue === null ? 'n/a' : formatShare(c.change.revenue)],
        ['Orders', c.current.orders, c.previous.orders, c.change.orders === null ? 'n/a' : formatShare(c.change.orders)],
        ['Average order value', formatValue(c.current.averageOrderValue), formatValue(c.previous.averageOrderValue), c.change.averageOrderValue === null ? 'n/a' : formatShare(c.change.averageOrderValue)],
        ['Conversion rate', c.current.conversionRate === null ? 'n/a' : formatShare(c.current.conversionRate), c.previous.conversionRate === null ? 'n/a' : formatShare(c.previous.conversionRate), c.change.conversionRate === null ? 'n/a' : formatShare(c.change.conversionRate)],
      ],
    },
  });
  const p = r.predictions as any;
  if (p !== null) {
    sections.push({
      heading: 'Forecast',
      paragraphs: [`${p.method}, ${Math.round(p.level * 100)} % band; ${p.confidenceMessage}`],
      chart: {
        title: `${r.eventType}: history and forecast`, unit: `${r.eventType} per ${p.bucketMs / 1000} s`,
        history: { timestamps: r.history.timestamps, values: r.history.values },
        prediction: {
          timestamps: (p.values as number[]).map((_: number, j: number) => p.historicalCutoff + j * p.bucketMs),
          values: p.values, lower: p.lower, upper: p.upper,
        },
        cutoff: p.historicalCutoff,
      },
    });
  }
  sections.push({ heading: 'Behaviour', keyValues: [['Fingerprint', r.behaviour === null ? 'not computed yet' : r.behaviour.classification]] });
  sections.push({
    heading: 'Insights',
    keyValues: Object.entries(r.insights.lifecycle).map(([k, v]): [string, string] => [k, String(v)]),
    paragraphs: r.insights.summaries.map((s) => `[${s.state}] ${s.summary}`),
  });
  sections.push({ heading: 'Recommendations', paragraphs: r.recommendations.length === 0 ? ['Nothing to act on this week.'] : r.recommendations });
  return {
    title: `Weekly report — ${r.sellerId}`,
    subtitle: `${formatTime(r.week.start)} – ${formatTime(r.week.end)}`,
    sellerId: r.sellerId,
    kind: 'weekly',
    generatedAt: r.generatedAt,
    sections,
    configSnapshot: r.configSnapshot,
  };
}
