/**
 * GET /metrics/:seller/buckets?type=&resolution=&limit=&cursor= (issue 8): the event log of the
 * dashboard — a seller's non-empty aggregated buckets of one ring, newest first, a page at a time.
 * `nextCursor` is the start of the last bucket returned; the next page holds the buckets that
 * start before it, so pages stay put while newer buckets arrive. Read from `engine.series`.
 */
import { z } from 'zod';
import type { Engine } from '../../engine/index.js';
import type { SeriesResult } from '../../engine/query/series.js';
import { ShardError } from '../../engine/shard/shard-host.js';
import { sellerKey } from '../../engine/router/seller-directory.js';
import { problem } from '../errors.js';
import { sendJson, sendProblem } from './reply.js';
import type { Router } from './router.js';
import { kSellerParam, problemResponses } from './docs.js';
import { kRead, pathParam, readQuery, sellerNotFound } from './query.js';

const bucketsQuery = z.object({
  type: z.string().optional().describe('event type (default: the first configured)'),
  resolution: z.string().optional().describe('resolution name or its bucketMs (default: the first configured)'),
  limit: z.coerce.number().int().min(1).optional().describe('buckets per page (default and maximum: config dashboard.bucketsPage)'),
  cursor: z.string().regex(/^\d{1,16}$/, 'the nextCursor of the previous page').optional(),
}).strict();

const bucketView = z.object({ start: z.number(), end: z.number(), count: z.number(), sum: z.number() });
const bucketsResponse = z.object({
  sellerId: z.string(), type: z.string(), resolution: z.string(),
  timeWindow: z.object({ startTimestamp: z.number(), endTimestamp: z.number(), windowSize: z.number(), bucketMs: z.number() }),
  configVersion: z.number().int(),
  buckets: z.array(bucketView),
  /** Non-empty buckets in the whole window. */
  nonEmpty: z.number().int(),
  nextCursor: z.string().nullable(),
});

type BucketView = z.infer<typeof bucketView>;

/** Up to `limit` non-empty buckets starting before `before`, newest first, and the cursor of the rest. */
export function bucketPage(series: SeriesResult, before: number, limit: number): { buckets: BucketView[]; nextCursor: string | null; nonEmpty: number } {
  const { timeWindow: w, counts, sums } = series;
  let nonEmpty = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) nonEmpty++;
  const buckets: BucketView[] = [];
  let more = false;
  const first = Math.min(counts.length - 1, Math.ceil((before - w.startTimestamp) / w.bucketMs) - 1);
  for (let i = first; i >= 0; i--) {
    if (counts[i] === 0) continue;
    if (buckets.length === limit) {
      more = true;
      break;
    }
    const start = w.startTimestamp + i * w.bucketMs;
    buckets.push({ start, end: start + w.bucketMs, count: counts[i], sum: sums[i] });
  }
  return { buckets, nonEmpty, nextCursor: more ? String(buckets[buckets.length - 1].start) : null };
}

export function registerBucketsRoute(router: Router, engine: Engine): void {
  router.route({
    method: 'get', path: '/metrics/:seller/buckets', tag: 'query', access: kRead, params: kSellerParam, query: bucketsQuery,
    summary: 'Event log: the non-empty buckets of one ring, newest first, paginated by cursor',
    responses: { 200: { description: 'A page of buckets', schema: bucketsResponse }, ...problemResponses(400, 401, 403, 404, 429, 503) },
  }, (res, req, state, principal) => {
    const sellerId = pathParam(req, 0, res, state, sellerNotFound);
    if (sellerId === null) return;
    const q = readQuery(req, bucketsQuery, res, state);
    if (q === null) return;
    const config = engine.config;
    const page = config.dashboard.bucketsPage;
    const typeName = q.type ?? config.events.types[0].name;
    const type = config.events.types.findIndex((t) => t.name === typeName);
    const resolutions = config.rings.resolutions;
    const resolution = q.resolution === undefined ? 0 : resolutions.findIndex((r) => r.name === q.resolution || String(r.bucketMs) === q.resolution);
    const limit = q.limit ?? page.default;
    const errors = [
      ...(type < 0 ? [{ path: 'query/type', message: `one of ${config.events.types.map((t) => t.name).join(', ')}` }] : []),
      ...(resolution < 0 ? [{ path: 'query/resolution', message: `one of ${resolutions.map((r) => r.name).join(', ')} (or its bucketMs)` }] : []),
      ...(limit > page.max ? [{ path: 'query/limit', message: `at most ${page.max}` }] : []),
    ];
    if (errors.length > 0) return sendProblem(res, state, problem('invalid_query', 'invalid query parameters', errors));
    engine.series(sellerKey(principal.tenant.id, sellerId), type, resolution).then((series) => {
      if (series === undefined) return sendProblem(res, state, sellerNotFound());
      const before = q.cursor === undefined ? Number.POSITIVE_INFINITY : Number(q.cursor);
      sendJson(res, state, 200, {
        sellerId, type: typeName, resolution: resolutions[resolution].name, timeWindow: series.timeWindow, configVersion: engine.configVersion,
        ...bucketPage(series, before, limit),
      });
    }, (err: unknown) => {
      engine.log.error({ err, trace_id: state.traceId }, 'bucket page query failed');
      sendProblem(res, state, problem(err instanceof ShardError ? 'shard_unavailable' : 'internal', err instanceof Error ? err.message : 'query failed'));
    });
  });
}
