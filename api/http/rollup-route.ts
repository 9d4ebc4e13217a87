/** GET /metrics/:seller/rollups?granularity=&from=&to=&type= (issue 7): rollups and the period-over-period comparison. */
import { z } from 'zod';
import type { Engine } from '../../engine/index.js';
import type { Store } from '../../engine/store/store.js';
import type { SketchFlusher } from '../../engine/rollup/sketch-flusher.js';
import { periodComparison, rollupSeries, type RollupSeries } from '../../engine/rollup/rollups.js';
import { sellerKey } from '../../engine/router/seller-directory.js';
import { problem } from '../errors.js';
import { sendJson, sendProblem } from './reply.js';
import type { Router } from './router.js';
import { kSellerParam, problemResponses } from './docs.js';
import { kRead, pathParam, readQuery, sellerNotFound } from './query.js';

/** Buckets answered when no `from` is given. */
const kDefaultBuckets = 24;

export const rollupQuery = z.object({
  granularity: z.enum(['hourly', 'daily', 'weekly']).default('hourly'),
  from: z.coerce.number().int().nonnegative().optional().describe('epoch ms (inclusive; aligned down to a bucket start)'),
  to: z.coerce.number().int().nonnegative().optional().describe('epoch ms (exclusive; default now)'),
  type: z.string().max(32).optional().describe('one event type; default all'),
}).strict();

const bucket = z.object({
  start: z.number(), end: z.number(), count: z.number(), sum: z.number(), avg: z.number().nullable(),
  min: z.number().nullable(), max: z.number().nullable(), p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable(),
});
const figures = z.object({ start: z.number(), end: z.number(), revenue: z.number(), orders: z.number(), averageOrderValue: z.number().nullable(), conversionRate: z.number().nullable() });
const rollupResponse = z.object({
  sellerId: z.string(), granularity: z.string(), from: z.number(), to: z.number(), configVersion: z.number(),
  series: z.array(z.object({ type: z.string(), sketched: z.boolean(), buckets: z.array(bucket) })),
  comparison: z.object({ granularity: z.string(), current: figures, previous: figures, change: z.record(z.string(), z.number().nullable()) }),
});

export function registerRollupRoute(router: Router, engine: Engine, store: Store, flusher: SketchFlusher, now: () => number): void {
  router.route({
    method: 'get', path: '/metrics/:seller/rollups', tag: 'analytics', access: kRead, params: kSellerParam, query: rollupQuery,
    summary: 'Hourly, daily or weekly count, sum, avg, min, max, p50, p95, p99 per event type, and this period vs the previous one',
    responses: { 200: { description: 'Rollups', schema: rollupResponse }, ...problemResponses(400, 401, 403, 404, 429, 503) },
  }, (res, req, state, principal) => {
    const sellerId = pathParam(req, 0, res, state, sellerNotFound);
    if (sellerId === null) return;
    const q = readQuery(req, rollupQuery, res, state);
    if (q === null) return;
    const config = engine.config;
    const types = q.type === undefined ? config.events.types.map((_, i) => i) : [config.events.types.findIndex((t) => t.name === q.type)];
    if (types[0] < 0) return sendProblem(res, state, problem('invalid_query', 'unknown event type', [{ path: 'query/type', message: `one of ${config.events.types.map((t) => t.name).join(', ')}` }]));
    const g = config.rollup.granularities[q.granularity];
    const to = q.to ?? now();
    const from = q.from ?? to - kDefaultBuckets * g;
    if (from >= to) return sendProblem(res, state, problem('invalid_query', 'from must be before to', [{ path: 'query/from', message: 'must be before to' }]));
    if ((to - from) / g > config.rollup.maxBuckets) {
      return sendProblem(res, state, problem('invalid_query', `at most ${config.rollup.maxBuckets} buckets per answer`, [{ path: 'query/from', message: 'range too long for this granularity' }]));
    }
    const key = sellerKey(principal.tenant.id, sellerId);
    (async () => {
      await flusher.flush();
      const series: RollupSeries[] = [];
      for (const t of types) {
        const s = await rollupSeries(engine, store, key, t, q.granularity, from, to);
        if (s === undefined) return undefined;
        series.push(s);
      }
      return { series, comparison: await periodComparison(engine, store, key, q.granularity, to, series) };
    })().then((out) => {
      if (out === undefined) return sendProblem(res, state, sellerNotFound());
      sendJson(res, state, 200, { sellerId, granularity: q.granularity, from, to, configVersion: engine.configVersion, ...out });
    }, (err: Error) => sendProblem(res, state, problem('internal', err.message)));
  });
}
