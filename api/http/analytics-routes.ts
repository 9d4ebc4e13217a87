/**
 * Analytics endpoints (DESIGN §4, §6): GET /metrics/:seller/anomalies, /predictions, /health and
 * POST /sell/anomaly, /sell/prediction. Every answer carries timeWindow, dataSufficiency,
 * confidenceMessage, reproducibilityHash and configVersion, plus lastComputedAt from the cache.
 */
import { z } from 'zod';
import type { Engine, AnalysisKind, AnalysisReport } from '../../engine/index.js';
import { ShardError } from '../../engine/shard/shard-host.js';
import type { HttpResponse, TemplatedApp } from '../uws.js';
import { problem, type ProblemFieldError } from '../errors.js';
import { ResponseState, sendJson, sendProblem } from './reply.js';
import { withDecodedBody, type BodyContext } from './decoded-body.js';

const kAdminBodyBytes = 64 * 1024;

interface Options {
  type?: string;
  resolution?: string;
  metric?: 'count' | 'sum';
  horizon?: number;
  from?: number;
  to?: number;
  includeAttribution: boolean;
  includeBands: boolean;
}

const querySchema = z.object({
  type: z.string().optional(),
  resolution: z.string().optional(),
  metric: z.enum(['count', 'sum']).optional(),
  horizon: z.coerce.number().int().min(1).optional(),
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
}).strict();

const common = {
  sellerId: z.string().min(1).max(64),
  type: z.string().optional(),
  resolution: z.string().optional(),
  metric: z.enum(['count', 'sum']).optional(),
};
export const sellAnomalySchema = z.object({
  ...common,
  timeRange: z.object({ from: z.number().int().nonnegative(), to: z.number().int().nonnegative() }).strict().refine((r) => r.from < r.to, 'from must be before to').optional(),
  includeAttribution: z.boolean().default(true),
}).strict();
export const sellPredictionSchema = z.object({
  ...common,
  predictionHorizon: z.number().int().min(1),
  includeConfidenceBands: z.boolean().default(true),
}).strict();

function issues(err: z.ZodError, prefix: string): ProblemFieldError[] {
  return err.issues.map((i) => ({ path: prefix + '/' + i.path.map(String).join('/'), message: i.message }));
}

/** The response body: the report's common fields, then the kind's own, shaped for the API. */
function present(kind: AnalysisKind, sellerId: string, report: AnalysisReport, cache: { lastComputedAt: number; hit: boolean; ttlMs: number }, o: Options) {
  const { result, ...common } = report;
  const base = { sellerId, ...common, lastComputedAt: cache.lastComputedAt, cache: { hit: cache.hit, ttlMs: cache.ttlMs } };
  // the analytics result types (engine/analytics) are checked where they are made; here they are shaped
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const r = result as Record<string, any>;
  if (kind === 'anomaly') {
    return {
      ...base, anomalyScore: r.score, isAnomaly: r.isAnomaly, threshold: r.threshold, direction: r.direction, status: r.status,
      ...(o.includeAttribution ? { attribution: r.attribution, components: r.components } : {}),
    };
  }
  if (kind === 'prediction') {
    const predictions = (r.values as number[]).map((value, j) => ({
      timestamp: r.timestamps[j], value, ...(o.includeBands ? { lower: r.lower[j], upper: r.upper[j] } : {}),
    }));
    return {
      ...base, historicalCutoff: r.historicalCutoff, horizon: r.horizon, method: r.method, seasonPeriod: r.seasonPeriod, status: r.status,
      ...(o.includeBands ? { confidenceLevel: r.level } : {}), predictions,
    };
  }
  return { ...base, healthScore: r.score, status: r.status, breakdown: r.breakdown };
}

export function registerAnalyticsRoutes(app: TemplatedApp, engine: Engine, ctx: BodyContext): void {
  function answer(res: HttpResponse, state: ResponseState, kind: AnalysisKind, sellerId: string, o: Options): void {
    const config = engine.config;
    const typeName = o.type ?? config.events.types[0].name;
    const type = config.events.types.findIndex((t) => t.name === typeName);
    if (type < 0) return sendProblem(res, state, problem('invalid_query', 'unknown event type', [{ path: 'type', message: `one of ${config.events.types.map((t) => t.name).join(', ')}` }]));
    const resolution = o.resolution === undefined || o.resolution === 'auto' ? -1 : config.rings.resolutions.findIndex((r) => r.name === o.resolution);
    if (resolution === -1 && o.resolution !== undefined && o.resolution !== 'auto') {
      return sendProblem(res, state, problem('invalid_query', 'unknown resolution', [{ path: 'resolution', message: `auto or one of ${config.rings.resolutions.map((r) => r.name).join(', ')}` }]));
    }
    const horizon = o.horizon ?? config.analytics.health.forecastHorizon;
    if (horizon > config.analytics.forecast.maxHorizon) {
      return sendProblem(res, state, problem('invalid_query', 'horizon too long', [{ path: 'horizon', message: `at most ${config.analytics.forecast.maxHorizon} buckets` }]));
    }
    // value-carrying types (no default value, e.g. SALE) are analysed by their sum, the others by count
    const metric = o.metric ?? (config.events.types[type].defaultValue === null ? 'sum' : 'count');
    engine.analyse(sellerId, { kind, type, resolution, metric, horizon: kind === 'prediction' ? horizon : 0, from: o.from ?? null, to: o.to ?? null }).then(
      (out) => {
        if (out === undefined) return sendProblem(res, state, problem('seller_not_found', 'no events have been received for this seller', [{ path: 'sellerId', message: 'unknown seller' }]));
        sendJson(res, state, 200, present(kind, sellerId, out.value, out, o));
      },
      (err: unknown) => {
        engine.log.error({ err }, 'analysis failed');
        sendProblem(res, state, problem(err instanceof ShardError ? 'shard_unavailable' : 'internal', err instanceof Error ? err.message : 'analysis failed'));
      },
    );
  }

  for (const [path, kind] of [['anomalies', 'anomaly'], ['predictions', 'prediction'], ['health', 'health']] as const) {
    app.get(`/metrics/:seller/${path}`, (res, req) => {
      const state = new ResponseState();
      res.onAborted(() => {
        state.done = true;
      });
      const sellerId = req.getParameter(0);
      const raw: Record<string, string> = Object.create(null);
      for (const [k, v] of new URLSearchParams(req.getQuery() ?? '')) if (v !== '') raw[k] = v;
      const q = querySchema.safeParse(raw);
      if (!q.success) return sendProblem(res, state, problem('invalid_query', 'invalid query parameters', issues(q.error, 'query')));
      answer(res, state, kind, sellerId, { ...q.data, includeAttribution: true, includeBands: true });
    });
  }

  app.post('/sell/anomaly', (res, req) => {
    withDecodedBody(ctx, res, req, kAdminBodyBytes, (value, state) => {
      const b = sellAnomalySchema.safeParse(value);
      if (!b.success) return sendProblem(res, state, problem('invalid_query', 'send {sellerId, timeRange?, includeAttribution?, type?, resolution?, metric?}', issues(b.error, '')));
      const d = b.data;
      answer(res, state, 'anomaly', d.sellerId, { type: d.type, resolution: d.resolution, metric: d.metric, horizon: undefined, from: d.timeRange?.from, to: d.timeRange?.to, includeAttribution: d.includeAttribution, includeBands: false });
    });
  });

  app.post('/sell/prediction', (res, req) => {
    withDecodedBody(ctx, res, req, kAdminBodyBytes, (value, state) => {
      const b = sellPredictionSchema.safeParse(value);
      if (!b.success) return sendProblem(res, state, problem('invalid_query', 'send {sellerId, predictionHorizon, includeConfidenceBands?, type?, resolution?, metric?}', issues(b.error, '')));
      const d = b.data;
      answer(res, state, 'prediction', d.sellerId, { type: d.type, resolution: d.resolution, metric: d.metric, horizon: d.predictionHorizon, from: undefined, to: undefined, includeAttribution: false, includeBands: d.includeConfidenceBands });
    });
  });
}
