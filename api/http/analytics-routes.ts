/**
 * Analytics endpoints (DESIGN §4, §6): GET /metrics/:seller/anomalies, /predictions, /health and
 * POST /sell/anomaly, /sell/prediction. Every answer carries timeWindow, dataSufficiency,
 * confidenceMessage, reproducibilityHash and configVersion, plus lastComputedAt from the cache.
 */
import { z } from 'zod';
import type { Engine, AnalysisKind, AnalysisReport } from '../../engine/index.js';
import { ShardError } from '../../engine/shard/shard-host.js';
import { sellerKey } from '../../engine/router/seller-directory.js';
import type { HttpResponse } from '../uws.js';
import { problem } from '../errors.js';
import { type ResponseState, sendJson, sendProblem, sendText } from './reply.js';
import { PresentedAnswers } from './presented-answers.js';
import { withDecodedBody, type BodyContext } from './decoded-body.js';
import type { Router } from './router.js';
import type { HookRunner } from '../../engine/hooks/hook-runner.js';
import { kBodyMedia, kSellerParam, problemResponses } from './docs.js';
import { kRead, kReadOnly, parseBody, pathParam, readQuery, sellerNotFound } from './query.js';

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

/** The response body: the report's common fields, then the kind's own, shaped for the API. */
export function present(kind: AnalysisKind, sellerId: string, report: AnalysisReport, cache: { lastComputedAt: number; hit: boolean; ttlMs: number }, o: Options) {
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

const analysisCommon = {
  sellerId: z.string(),
  timeWindow: z.object({ startTimestamp: z.number(), endTimestamp: z.number(), windowSize: z.number(), bucketMs: z.number() }),
  dataSufficiency: z.object({ status: z.enum(['sufficient', 'insufficient']), required: z.number(), available: z.number() }),
  confidenceMessage: z.string(),
  reproducibilityHash: z.string(),
  configVersion: z.number().int(),
  lastComputedAt: z.number(),
};
const anomalyResponse = z.object({ ...analysisCommon, anomalyScore: z.number(), isAnomaly: z.boolean(), attribution: z.record(z.string(), z.number()).optional() }).loose();
const predictionResponse = z.object({
  ...analysisCommon, historicalCutoff: z.number(),
  predictions: z.array(z.object({ timestamp: z.number(), value: z.number(), lower: z.number().optional(), upper: z.number().optional() })),
}).loose();
const healthResponse = z.object({ ...analysisCommon, healthScore: z.number(), breakdown: z.record(z.string(), z.unknown()) }).loose();
const kResponses = { anomaly: anomalyResponse, prediction: predictionResponse, health: healthResponse } as const;

const kPreHook = { anomaly: 'pre-anomaly', prediction: 'pre-prediction' } as const;
const kPostHook = { anomaly: 'post-anomaly', prediction: 'post-prediction' } as const;

/** The seller's cached fingerprint (context of anomaly answers; never computed for them). */
export type FingerprintPeek = (tenantId: string, sellerId: string) => { classification: string; cluster: { id: number } | null } | undefined;

export function registerAnalyticsRoutes(router: Router, engine: Engine, ctx: BodyContext, hooks: HookRunner, fingerprintOf: FingerprintPeek): void {
  const answers = new PresentedAnswers();

  /** Runs the pre-hooks of the kind (veto → 403), the analysis, then the post-hooks (annotations). */
  function answer(res: HttpResponse, state: ResponseState, tenantId: string, kind: AnalysisKind, sellerId: string, o: Options): void {
    if (kind === 'health' || (!hooks.has(kPreHook[kind]) && !hooks.has(kPostHook[kind]))) {
      analyse(res, state, tenantId, kind, sellerId, o, null);
      return;
    }
    const context = { tenantId, sellerId, kind, type: o.type ?? null, resolution: o.resolution ?? null, horizon: o.horizon ?? null, source: 'query' };
    hooks.run(kPreHook[kind], context).then((pre) => {
      if (pre.veto) sendProblem(res, state, problem('vetoed_by_hook', pre.reason ?? 'vetoed'));
      else analyse(res, state, tenantId, kind, sellerId, o, kPostHook[kind]);
    }, (err: Error) => sendProblem(res, state, problem('internal', err.message)));
  }

  function analyse(res: HttpResponse, state: ResponseState, tenantId: string, kind: AnalysisKind, sellerId: string, o: Options, post: 'post-anomaly' | 'post-prediction' | null): void {
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
    engine.analyse(sellerKey(tenantId, sellerId), { kind, type, resolution, metric, horizon: kind === 'prediction' ? horizon : 0, from: o.from ?? null, to: o.to ?? null }).then(
      (out) => {
        if (out === undefined) return sendProblem(res, state, problem('seller_not_found', 'no events have been received for this seller', [{ path: 'sellerId', message: 'unknown seller' }]));
        const f = kind === 'anomaly' ? fingerprintOf(tenantId, sellerId) : undefined;
        const build = () => {
          const presented = present(kind, sellerId, out.value, out, o);
          if (kind === 'anomaly') {
            (presented as Record<string, unknown>).fingerprint = f === undefined ? null : { classification: f.classification, clusterId: f.cluster?.id ?? null };
          }
          return presented;
        };
        if (post === null || !hooks.has(post)) {
          if (!out.hit) return sendJson(res, state, 200, build());
          // everything the body holds besides the report: the answer's options and the seller's fingerprint
          const shape = `${o.includeAttribution ? 1 : 0}${o.includeBands ? 1 : 0}|${f?.classification ?? ''}|${f?.cluster?.id ?? ''}`;
          return sendText(res, state, 200, 'application/json', answers.body(out.value, shape, () => JSON.stringify(build())));
        }
        const body = build();
        hooks.run(post, { tenantId, result: body }).then((d) => sendJson(res, state, 200, { ...body, hookAnnotations: d.annotations }),
          () => sendJson(res, state, 200, body));
      },
      (err: unknown) => {
        engine.log.error({ err, trace_id: state.traceId }, 'analysis failed');
        sendProblem(res, state, problem(err instanceof ShardError ? 'shard_unavailable' : 'internal', err instanceof Error ? err.message : 'analysis failed'));
      },
    );
  }

  for (const [path, kind, summary] of [
    ['anomalies', 'anomaly', 'Anomaly score in [0,1] with its attribution'],
    ['predictions', 'prediction', 'Forecast with confidence bands and historicalCutoff'],
    ['health', 'health', 'Health score 0–100 with its breakdown'],
  ] as const) {
    router.route({
      method: 'get', path: `/metrics/:seller/${path}`, tag: 'analytics', access: kRead, params: kSellerParam, query: querySchema, summary,
      responses: { 200: { description: summary, schema: kResponses[kind] }, ...problemResponses(400, 401, 403, 404, 429, 503) },
    }, (res, req, state, principal) => {
      const sellerId = pathParam(req, 0, res, state, sellerNotFound);
      if (sellerId === null) return;
      const q = readQuery(req, querySchema, res, state);
      if (q === null) return;
      answer(res, state, principal.tenant.id, kind, sellerId, { ...q, includeAttribution: true, includeBands: true });
    });
  }

  router.route({
    method: 'post', path: '/sell/anomaly', tag: 'analytics', access: kReadOnly, body: sellAnomalySchema, bodyMedia: kBodyMedia,
    summary: 'Anomaly score of a seller over a time range',
    responses: { 200: { description: 'The anomaly result', schema: anomalyResponse }, ...problemResponses(400, 401, 403, 404, 413, 415, 429, 503) },
  }, (res, req, state, principal) => {
    withDecodedBody(ctx, res, req, state, ctx.config().limits.maxBodyBytes, (value) => {
      const d = parseBody(value, sellAnomalySchema, res, state, 'invalid_query', 'send {sellerId, timeRange?, includeAttribution?, type?, resolution?, metric?}');
      if (d === null) return;
      answer(res, state, principal.tenant.id, 'anomaly', d.sellerId, { type: d.type, resolution: d.resolution, metric: d.metric, horizon: undefined, from: d.timeRange?.from, to: d.timeRange?.to, includeAttribution: d.includeAttribution, includeBands: false });
    });
  });

  router.route({
    method: 'post', path: '/sell/prediction', tag: 'analytics', access: kReadOnly, body: sellPredictionSchema, bodyMedia: kBodyMedia,
    summary: 'Forecast of a seller for a horizon',
    responses: { 200: { description: 'The prediction', schema: predictionResponse }, ...problemResponses(400, 401, 403, 404, 413, 415, 429, 503) },
  }, (res, req, state, principal) => {
    withDecodedBody(ctx, res, req, state, ctx.config().limits.maxBodyBytes, (value) => {
      const d = parseBody(value, sellPredictionSchema, res, state, 'invalid_query', 'send {sellerId, predictionHorizon, includeConfidenceBands?, type?, resolution?, metric?}');
      if (d === null) return;
      answer(res, state, principal.tenant.id, 'prediction', d.sellerId, { type: d.type, resolution: d.resolution, metric: d.metric, horizon: d.predictionHorizon, from: undefined, to: undefined, includeAttribution: false, includeBands: d.includeConfidenceBands });
    });
  });
}
