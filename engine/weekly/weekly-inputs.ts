/**
 * Gathers what a weekly report needs (on the main thread; the shards do the analyses): health,
 * anomaly and forecast of the seller's report type, its history at the activity resolution, the
 * week's alerts and insights, the weekly rollup comparison, the cached fingerprint and the config.
 */
import type { Engine } from '../index.js';
import type { Store } from '../store/store.js';
import type { AnalysisKind, AnalysisReport } from '../analysis/run-analysis.js';
import type { AlertService } from '../alerts/alert-service.js';
import type { InsightService } from '../insights/insight-service.js';
import type { AlertRecord } from '../alerts/alert-record.js';
import type { InsightRecord } from '../insights/insight-record.js';
import { sellerKey } from '../router/seller-directory.js';
import { periodComparison } from '../rollup/rollups.js';

/** Alerts and insights of one week considered at most. */
const kMaxItems = 10_000;

export interface WeeklyInputs {
  sellerId: string;
  eventType: string;
  week: { start: number; end: number };
  generatedAt: number;
  health: AnalysisReport | null;
  anomaly: AnalysisReport | null;
  prediction: AnalysisReport | null;
  history: { timestamps: number[]; values: number[]; bucketMs: number };
  alerts: Pick<AlertRecord, 'id' | 'level' | 'type' | 'createdAt' | 'score'>[];
  insights: Pick<InsightRecord, 'id' | 'kind' | 'state' | 'summary' | 'recommendation' | 'createdAt'>[];
  comparison: Awaited<ReturnType<typeof periodComparison>>;
  fingerprint: { classification: string; clusterId: number | null } | null;
  /** The config version in force; the report's config snapshot is attached from the stored version when answered. */
  configVersion: number;
  maxInsights: number;
}

export interface WeeklySources {
  engine: Engine;
  store: Store;
  alerts: AlertService;
  insights: InsightService;
  fingerprintOf: (tenantId: string, sellerId: string) => { classification: string; cluster: { id: number } | null } | undefined;
}

/** undefined when the seller is unknown. */
export async function gatherWeekly(src: WeeklySources, tenantId: string, sellerId: string, week: { start: number; end: number }, now: number): Promise<WeeklyInputs | undefined> {
  const { engine } = src;
  const config = engine.config;
  const key = sellerKey(tenantId, sellerId);
  const cfg = config.reports;
  const type = config.events.types.findIndex((t) => t.name === cfg.weeklyType);
  const metric = config.events.types[type].defaultValue === null ? 'sum' : 'count';
  const analyse = async (kind: AnalysisKind) => (await engine.analyse(key, { kind, type, resolution: -1, metric, horizon: kind === 'prediction' ? cfg.forecastHorizon : 0, from: null, to: null }))?.value ?? null;
  const health = await analyse('health');
  if (health === null && engine.directory.find(key) < 0) return undefined;
  const [anomaly, prediction] = [await analyse('anomaly'), await analyse('prediction')];
  const res = config.rings.resolutions.findIndex((r) => r.name === health?.resolution);
  const series = await engine.series(key, type, Math.max(0, res));
  const history = { timestamps: [] as number[], values: [] as number[], bucketMs: series?.timeWindow.bucketMs ?? 0 };
  if (series !== undefined) {
    for (let i = 0; i < series.counts.length; i++) {
      history.timestamps.push(series.timeWindow.startTimestamp + i * series.timeWindow.bucketMs);
      history.values.push(metric === 'sum' ? series.sums[i] : series.counts[i]);
    }
  }
  const alerts = src.alerts.list(tenantId, { sellerId, from: week.start, to: week.end }, kMaxItems, undefined).items
    .map((a) => ({ id: a.id, level: a.level, type: a.type, createdAt: a.createdAt, score: a.score }));
  const insights = src.insights.list(tenantId, sellerId, undefined, kMaxItems, undefined).items
    .filter((x) => x.createdAt < week.end && x.lastObservedAt >= week.start)
    .map((x) => ({ id: x.id, kind: x.kind, state: x.state, summary: x.summary, recommendation: x.recommendation, createdAt: x.createdAt }));
  const f = src.fingerprintOf(tenantId, sellerId);
  return {
    sellerId, eventType: cfg.weeklyType, week, generatedAt: now, health, anomaly, prediction, history, alerts, insights,
    comparison: await periodComparison(engine, src.store, key, 'weekly', week.end),
    fingerprint: f === undefined ? null : { classification: f.classification, clusterId: f.cluster?.id ?? null },
    configVersion: engine.configVersion, maxInsights: cfg.maxInsights,
  };
}
