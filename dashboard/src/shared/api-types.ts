/** The shapes of the API answers the dashboard and widgets read (README "API"). */
export interface TimeWindow { startTimestamp: number; endTimestamp: number; windowSize: number; bucketMs: number }
export interface Sufficiency { status: 'sufficient' | 'insufficient'; required: number; available: number }

export interface Analytic {
  sellerId: string;
  timeWindow: TimeWindow;
  dataSufficiency: Sufficiency;
  confidenceMessage: string;
  reproducibilityHash: string;
  configVersion: number;
  resolution?: string;
  metric?: 'count' | 'sum';
  lastComputedAt: number;
}

export interface AnomalyResult extends Analytic {
  anomalyScore: number;
  isAnomaly: boolean;
  threshold: number;
  direction?: string;
  attribution?: Record<string, number>;
}

export interface PredictionPoint { timestamp: number; value: number; lower?: number; upper?: number }
export interface PredictionResult extends Analytic {
  historicalCutoff: number;
  method: string;
  confidenceLevel?: number;
  predictions: PredictionPoint[];
}

export interface HealthResult extends Analytic {
  healthScore: number;
  breakdown: Record<string, unknown>;
}

export interface Bucket { start: number; count: number; sum: number }
export interface SeriesResult {
  sellerId: string; type: string; resolution: string; timeWindow: TimeWindow; configVersion: number;
  buckets: Bucket[]; totals: { count: number; sum: number };
}

export interface BucketPage {
  sellerId: string; type: string; resolution: string; timeWindow: TimeWindow; configVersion: number;
  buckets: (Bucket & { end: number })[]; nonEmpty: number; nextCursor: string | null;
}

export interface AlertHistoryEntry { at: number; state: string; by: string; cause: string }
export interface Alert {
  id: string; sellerId: string; eventType: string; type: string; level: string; state: string;
  score: number; threshold: number; attribution: Record<string, number>;
  dataSufficiency: Sufficiency; timeWindow: TimeWindow; confidenceMessage?: string;
  createdAt: number; updatedAt?: number; occurrences?: number; history: AlertHistoryEntry[];
}

export interface Transition { from: string | null; to: string; at: number; cause: string }
export interface Insight {
  id: string; sellerId: string; eventType: string; kind: string; state: string; probability: number;
  summary: string; recommendation: string; transitions: Transition[]; configVersion: number;
}

export interface Fingerprint { classification: string; suspicious: boolean; sufficient: boolean; reasons: { message: string }[]; cluster: { id: number; size: number } | null }

export interface LimitBucket { limit: number; remaining: number; resetSec: number; perSecond: number; unit: string }
export interface Limits {
  tenantId: string; tier: string;
  key: { id: string; prefix: string; scopes: string[] };
  rateLimits: { enabled: boolean; ingest?: LimitBucket; query?: LimitBucket; embed?: LimitBucket };
  backpressure: { state: 'ok' | 'busy' | 'full'; retryAfterMs: number; shards: { shard: number; queueDepth: number; capacity: number; state: string }[] };
}

export interface ClientConfig {
  tenantId: string; tier: 'basic' | 'premium' | 'enterprise'; watermark: 'light' | 'reduced' | 'none'; theme: 'light' | 'dark' | 'auto';
  scopes: string[]; eventTypes: { name: string; metric: 'count' | 'sum' }[]; resolutions: { name: string; bucketMs: number; window: number }[];
  configVersion: number;
}

export interface FeedMessage { event: string; data: Record<string, unknown> }
