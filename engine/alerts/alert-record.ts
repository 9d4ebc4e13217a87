/** Alerts as stored (LMDB `alerts`) and answered. */
import type { AlertType } from '../../config/alerting-schema.js';
import type { TimeWindow } from '../query/series.js';
import type { AnalysisReport } from '../analysis/run-analysis.js';

export const kAlertStates = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof kAlertStates)[number];
export type AlertLevel = 'info' | 'warning' | 'high' | 'critical';

export interface AlertHistoryEntry {
  at: number;
  state: AlertState;
  /** Who or what: the monitor, or the key (id) that acknowledged or resolved it. */
  by: string;
  cause: string;
}

export interface AlertRecord {
  id: string;
  tenantId: string;
  sellerId: string;
  eventType: string;
  metric: string;
  type: AlertType;
  level: AlertLevel;
  state: AlertState;
  /** The trigger: anomaly score ≥ threshold (the tenant tier's), with sufficient data. */
  score: number;
  threshold: number;
  peakScore: number;
  tier: string;
  direction: string;
  dominantComponent: string;
  attribution: Record<string, number>;
  timeWindow: TimeWindow;
  dataSufficiency: AnalysisReport['dataSufficiency'];
  confidenceMessage: string;
  configVersion: number;
  reproducibilityHash: string;
  /** Receivers deduplicate deliveries (and replays) of this alert by it. */
  idempotencyKey: string;
  createdAt: number;
  updatedAt: number;
  lastSeenAt: number;
  /** Evaluations that found the trigger again while the alert was open (deduplicated into it). */
  occurrences: number;
  hookAnnotations: Record<string, unknown>;
  /** The seller's behaviour fingerprint when the alert was raised (context), if one was computed. */
  fingerprint: { classification: string; clusterId: number | null } | null;
  history: AlertHistoryEntry[];
  expiresAt: number;
}
