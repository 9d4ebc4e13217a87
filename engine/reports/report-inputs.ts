/**
 * What the report builders read: the JSON bodies the API answers (api/http/analytics-routes.ts
 * `present`, api/http/series-route.ts, GET /insights/:seller/lifecycle), typed as far as the
 * builders need them. Builders take these rather than engine internals, so a report can be made
 * from any recorded answer as well as from a live one.
 */
import type { InsightRecord } from '../insights/insight-record.js';

export interface TimeWindowBody {
  startTimestamp: number;
  endTimestamp: number;
  windowSize: number;
  bucketMs: number;
}

/** Fields every analytic answer carries. */
export interface AnalysisBody {
  sellerId: string;
  type: string;
  metric: 'count' | 'sum';
  resolution: string;
  configVersion: number;
  timeWindow: TimeWindowBody;
  dataSufficiency: { status: 'sufficient' | 'insufficient'; required: number; available: number };
  confidenceMessage: string;
  reproducibilityHash: string;
  lastComputedAt: number;
  tier?: { name: string; eventsPerHour: number };
}

export interface ComponentBody {
  available: boolean;
  statistic: number;
  probability: number;
  weight: number;
  details: Record<string, unknown>;
}

export interface AnomalyBody extends AnalysisBody {
  anomalyScore: number;
  isAnomaly: boolean;
  threshold: number;
  direction: string;
  status: string;
  attribution?: Record<string, number>;
  components?: Record<string, ComponentBody>;
}

export interface PredictionBody extends AnalysisBody {
  historicalCutoff: number;
  horizon: number;
  method: string;
  seasonPeriod: number | null;
  status: string;
  confidenceLevel?: number;
  predictions: { timestamp: number; value: number; lower?: number; upper?: number }[];
}

export interface HealthComponentBody {
  score: number;
  weight: number;
  available: boolean;
  measures: Record<string, number>;
}

export interface HealthBody extends AnalysisBody {
  healthScore: number;
  status: string;
  breakdown: Record<string, HealthComponentBody>;
}

/** GET /metrics/:seller/series. */
export interface SeriesBody {
  sellerId: string;
  type: string;
  resolution: string;
  timeWindow: TimeWindowBody;
  buckets: { start: number; count: number; sum: number }[];
  totals: { count: number; sum: number };
}

export type InsightBody = Pick<InsightRecord, 'id' | 'kind' | 'state' | 'eventType' | 'metric' | 'probability' | 'anomalyScore' | 'summary'
  | 'recommendation' | 'timeWindow' | 'createdAt' | 'lastObservedAt' | 'observations'>;

/** What every builder is given besides its answers. */
export interface BuildContext {
  generatedAt: number;
  configSnapshot: { version: number; config: object };
  /** export.chartHistoryBuckets and export.maxTableRows. */
  historyBuckets: number;
  maxTableRows: number;
}
