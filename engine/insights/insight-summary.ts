/**
 * Insight wording: one concise, human-readable summary per kind that states what happened, its time
 * window, data sufficiency and confidence, and an actionable recommendation.
 */
import type { InsightKind } from '../../config/alerting-schema.js';
import type { AnomalyResult } from '../analytics/anomaly-types.js';
import type { InsightEvidence } from './insight-record.js';
import type { TimeWindow } from '../query/series.js';

const kMsPerSecond = 1000;
const kSecondsPerMinute = 60;
const kMinutesPerHour = 60;
const kPercent = 100;

export function formatDuration(ms: number): string {
  const s = ms / kMsPerSecond;
  if (s < kSecondsPerMinute) return `${+s.toFixed(1)} s`;
  const m = s / kSecondsPerMinute;
  if (m < kMinutesPerHour) return `${+m.toFixed(1)} min`;
  return `${+(m / kMinutesPerHour).toFixed(1)} h`;
}

const kRecommendations: Record<InsightKind, string> = {
  automated_traffic: 'Check the traffic sources of this seller (user agents, referrers, IP ranges) and consider bot filtering or rate limiting upstream.',
  spike: 'Confirm whether a campaign or listing change explains the rise; if not, inspect the sources for fraud or bot traffic.',
  drop: 'Check the seller\'s listings, stock and checkout for an outage or delisting.',
  rising_trend: 'Plan stock and capacity for the higher level; review pricing while demand rises.',
  declining_trend: 'Review recent price, ranking or listing changes; consider a promotion if the decline continues.',
  irregular_pattern: 'Look for a change in how traffic reaches this seller (new channel, scraper, campaign); monitor the next windows.',
};

function what(kind: InsightKind, eventType: string, r: AnomalyResult, e: InsightEvidence, bucketMs: number): string {
  const c = r.components;
  switch (kind) {
    case 'automated_traffic':
      return `${eventType} comes in volleys repeating every ${e.periodBuckets === null ? '?' : formatDuration(e.periodBuckets * bucketMs)} on top of more volume than expected (${c.deviation.details.suffixZ.toFixed(1)} σ) — a clock-like pattern typical of automated traffic`;
    case 'spike':
      return `${eventType} rose ${c.deviation.details.suffixZ.toFixed(1)} σ above its expected level`;
    case 'drop':
      return `${eventType} fell ${c.deviation.details.suffixZ.toFixed(1)} σ below its expected level`;
    case 'rising_trend':
      return `${eventType} is trending up faster than before (trend z ${c.trend.details.z.toFixed(1)})`;
    case 'declining_trend':
      return `${eventType} is trending down (trend z ${c.trend.details.z.toFixed(1)})`;
    case 'irregular_pattern':
      return `${eventType} became more irregular than usual (fractal dimension ${c.complexity.details.recentHfd?.toFixed(2) ?? 'n/a'})`;
  }
}

export interface SummaryInput {
  kind: InsightKind;
  eventType: string;
  result: AnomalyResult;
  evidence: InsightEvidence;
  probability: number;
  timeWindow: TimeWindow;
}

export function summarise(i: SummaryInput): { summary: string; recommendation: string } {
  const w = i.timeWindow;
  const s = i.result.dataSufficiency;
  const window = `${new Date(w.startTimestamp).toISOString()} – ${new Date(w.endTimestamp).toISOString()} (${w.windowSize} × ${formatDuration(w.bucketMs)} buckets)`;
  const summary = `${what(i.kind, i.eventType, i.result, i.evidence, w.bucketMs)}. Window ${window}; data ${s.status} (${s.available} of ${s.required} buckets needed); confidence ${Math.round(i.probability * kPercent)} %.`;
  return { summary, recommendation: kRecommendations[i.kind] };
}
