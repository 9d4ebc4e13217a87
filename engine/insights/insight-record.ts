/** Insights as stored (LMDB `insights`) and answered; their lifecycle states and transitions. */
import type { InsightKind } from '../../config/alerting-schema.js';
import type { TimeWindow } from '../query/series.js';
import type { AnalysisReport } from '../analysis/run-analysis.js';

export const kInsightStates = ['generated', 'confirmed', 'expired', 'superseded'] as const;
export type InsightState = (typeof kInsightStates)[number];

export interface InsightTransition {
  from: InsightState | null;
  to: InsightState;
  at: number;
  cause: string;
}

export interface InsightEvidence {
  component: string;
  statistic: number;
  probability: number;
  /** Periodic insights: the period of the spectral peak, in buckets. */
  periodBuckets: number | null;
  sign: 'up' | 'down' | 'none';
}

export interface InsightRecord {
  id: string;
  tenantId: string;
  sellerId: string;
  /** Event type analysed (e.g. CLICK) and the metric (count or sum). */
  eventType: string;
  metric: string;
  kind: InsightKind;
  state: InsightState;
  /** Probability that the insight holds (rules plus the component probabilities). */
  probability: number;
  anomalyScore: number;
  summary: string;
  recommendation: string;
  evidence: InsightEvidence;
  timeWindow: TimeWindow;
  dataSufficiency: AnalysisReport['dataSufficiency'];
  confidenceMessage: string;
  configVersion: number;
  reproducibilityHash: string;
  createdAt: number;
  lastObservedAt: number;
  /** End of the latest window it was observed in (a re-observation must be of later data). */
  lastWindowEnd: number;
  observations: number;
  transitions: InsightTransition[];
  feedback: { at: number; verdict: 'confirm' | 'reject'; comment: string | null }[];
  /** Retention: removed after this (epoch ms). */
  expiresAt: number;
}

export function isLive(state: InsightState): boolean {
  return state === 'generated' || state === 'confirmed';
}
