/**
 * Gathers a report's data in-process (issue 7) — the same analyses the query endpoints run, through
 * the result cache — shapes them as the API answers them (`present`, injected from
 * api/http/analytics-routes.ts) and builds the ReportDocument. Expected failures are returned as
 * a code for the route to answer, not thrown.
 *
 *   request ─► type / resolution / horizon checks ─► pre-hook veto ─► engine.analyse + engine.series
 *           └─► insights.list (insights) · buildWeekly (weekly, injected)  ─► report-builders ─► doc
 */
import type { Engine, AnalysisKind, AnalysisReport } from '../index.js';
import type { InsightService } from '../insights/insight-service.js';
import { kNoLocation, sellerKey } from '../router/seller-directory.js';
import type { ReportDocument, ReportKind } from './report-document.js';
import type { AnalysisBody, AnomalyBody, BuildContext, HealthBody, PredictionBody, SeriesBody } from './report-inputs.js';
import { buildAnomalyReport, buildHealthReport, buildInsightsReport, buildPredictionReport } from './report-builders.js';
import { configSnapshot } from './config-snapshot.js';

export interface ReportRequest {
  kind: ReportKind;
  sellerId: string;
  type?: string;
  resolution?: string;
  metric?: 'count' | 'sum';
  horizon?: number;
}

/** api/http/analytics-routes.ts `present`: an analysis report as the API answers it. */
export type Present = (kind: AnalysisKind, sellerId: string, report: AnalysisReport, cache: { lastComputedAt: number; hit: boolean; ttlMs: number },
  o: { includeAttribution: boolean; includeBands: boolean }) => object;

/** The weekly report, made elsewhere; undefined when there is none for the seller. */
export type BuildWeekly = (tenantId: string, sellerId: string) => Promise<ReportDocument | undefined>;

export interface GatherDeps {
  engine: Engine;
  insights: InsightService;
  present: Present;
  /** Pre-hooks of anomaly and prediction queries apply to their reports too (a veto refuses the export). */
  hooks: { has(point: 'pre-anomaly' | 'pre-prediction'): boolean; run(point: 'pre-anomaly' | 'pre-prediction', context: unknown): Promise<{ veto: boolean; reason?: string | null }> };
  buildWeekly?: BuildWeekly;
  now: () => number;
}

export type GatherResult =
  | { ok: true; doc: ReportDocument }
  | { ok: false; code: 'seller_not_found' | 'report_not_found' | 'vetoed_by_hook' | 'invalid_query'; path: string; message: string };

const kPreHook = { anomaly: 'pre-anomaly', prediction: 'pre-prediction' } as const;

const fail = (code: Extract<GatherResult, { ok: false }>['code'], path: string, message: string): GatherResult => ({ ok: false, code, path, message });

export async function gatherReport(deps: GatherDeps, tenantId: string, r: ReportRequest): Promise<GatherResult> {
  const { engine } = deps;
  const config = engine.config;
  const key = sellerKey(tenantId, r.sellerId);
  if (engine.directory.find(key) === kNoLocation) return fail('seller_not_found', 'sellerId', 'no events have been received for this seller');
  const ctx: BuildContext = {
    generatedAt: deps.now(),
    configSnapshot: configSnapshot(config, engine.configVersion, config.export.redactKeys),
    historyBuckets: config.export.chartHistoryBuckets,
    maxTableRows: config.export.maxTableRows,
  };
  if (r.kind === 'weekly') {
    const doc = deps.buildWeekly === undefined ? undefined : await deps.buildWeekly(tenantId, r.sellerId);
    return doc === undefined ? fail('report_not_found', 'kind', 'no weekly report is available for this seller') : { ok: true, doc };
  }

  const insights = r.kind === 'insights' ? deps.insights.list(tenantId, r.sellerId, undefined, config.export.maxInsights, undefined).items : [];
  const typeName = r.type ?? insights[0]?.eventType ?? config.events.types[0].name;
  const type = config.events.types.findIndex((t) => t.name === typeName);
  if (type < 0) return fail('invalid_query', 'type', `one of ${config.events.types.map((t) => t.name).join(', ')}`);
  const resolutions = config.rings.resolutions;
  const resolution = r.resolution === undefined || r.resolution === 'auto' ? -1 : resolutions.findIndex((x) => x.name === r.resolution);
  if (resolution === -1 && r.resolution !== undefined && r.resolution !== 'auto') return fail('invalid_query', 'resolution', `auto or one of ${resolutions.map((x) => x.name).join(', ')}`);
  const horizon = r.horizon ?? config.analytics.health.forecastHorizon;
  if (horizon > config.analytics.forecast.maxHorizon) return fail('invalid_query', 'horizon', `at most ${config.analytics.forecast.maxHorizon} buckets`);
  // value-carrying types (no default value, e.g. SALE) are analysed by their sum, the others by count
  const metric = r.metric ?? (config.events.types[type].defaultValue === null ? 'sum' : 'count');
  const seriesAt = async (res: number): Promise<SeriesBody | undefined> => {
    const s = await engine.series(key, type, res);
    if (s === undefined) return undefined;
    const { timeWindow, counts, sums } = s;
    const buckets = Array.from(counts, (count, i) => ({ start: timeWindow.startTimestamp + i * timeWindow.bucketMs, count, sum: sums[i] }));
    return { sellerId: r.sellerId, type: typeName, resolution: resolutions[res].name, timeWindow, buckets, totals: { count: s.totalCount, sum: s.totalSum } };
  };

  if (r.kind === 'insights') {
    const bucketMs = insights.find((i) => i.eventType === typeName)?.timeWindow.bucketMs;
    const res = resolution >= 0 ? resolution : Math.max(0, resolutions.findIndex((x) => x.bucketMs === bucketMs));
    const series = await seriesAt(res);
    if (series === undefined) return fail('seller_not_found', 'sellerId', 'no events have been received for this seller');
    return { ok: true, doc: buildInsightsReport(r.sellerId, insights, series, metric, ctx) };
  }

  const kind = r.kind;
  if (kind !== 'health' && deps.hooks.has(kPreHook[kind])) {
    const pre = await deps.hooks.run(kPreHook[kind], { tenantId, sellerId: r.sellerId, kind, type: r.type ?? null, resolution: r.resolution ?? null, horizon: r.horizon ?? null, source: 'export' });
    if (pre.veto) return fail('vetoed_by_hook', 'kind', pre.reason ?? 'vetoed');
  }
  const out = await engine.analyse(key, { kind, type, resolution, metric, horizon: kind === 'prediction' ? horizon : 0, from: null, to: null });
  if (out === undefined) return fail('seller_not_found', 'sellerId', 'no events have been received for this seller');
  const body = deps.present(kind, r.sellerId, out.value, out, { includeAttribution: true, includeBands: true }) as AnalysisBody;
  const series = await seriesAt(resolutions.findIndex((x) => x.name === out.value.resolution));
  const doc = kind === 'anomaly' ? buildAnomalyReport(body as AnomalyBody, series, ctx)
    : kind === 'prediction' ? buildPredictionReport(body as PredictionBody, series, ctx)
      : buildHealthReport(body as HealthBody, series, ctx);
  return { ok: true, doc };
}
