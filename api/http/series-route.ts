/** GET /metrics/:seller/series?type=&resolution= (DESIGN §4). */
import { z } from 'zod';
import type { Engine } from '../../engine/index.js';
import { ShardError } from '../../engine/shard/shard-host.js';
import { sellerKey } from '../../engine/router/seller-directory.js';
import { problem } from '../errors.js';
import { sendJson, sendProblem } from './reply.js';
import type { Router } from './router.js';
import { kSellerParam, problemResponses } from './docs.js';
import { kRead, pathParam, readQuery, sellerNotFound } from './query.js';

const seriesResponse = z.object({
  sellerId: z.string(), type: z.string(), resolution: z.string(),
  timeWindow: z.object({ startTimestamp: z.number(), endTimestamp: z.number(), windowSize: z.number(), bucketMs: z.number() }),
  configVersion: z.number().int(),
  buckets: z.array(z.object({ start: z.number(), count: z.number(), sum: z.number() })),
  totals: z.object({ count: z.number(), sum: z.number() }),
});

export function registerSeriesRoute(router: Router, engine: Engine): void {
  const config = engine.config;
  const typeNames = config.events.types.map((t) => t.name) as [string, ...string[]];
  const resolutionNames = config.rings.resolutions.map((r) => r.name);
  const query = z.object({
    type: z.enum(typeNames).describe('event type'),
    resolution: z.string().optional().describe(`one of ${resolutionNames.join(', ')} (or its bucketMs); default ${resolutionNames[0]}`),
  }).strict();

  router.route({
    method: 'get', path: '/metrics/:seller/series', tag: 'query', access: kRead, params: kSellerParam, query,
    summary: 'One ring of a seller: buckets of count and sum over the ring window',
    responses: { 200: { description: 'The ring', schema: seriesResponse }, ...problemResponses(400, 401, 403, 404, 429, 503) },
  }, (res, req, state, principal) => {
    const sellerId = pathParam(req, 0, res, state, sellerNotFound);
    if (sellerId === null) return;
    const q = readQuery(req, query, res, state);
    if (q === null) return;
    const type = typeNames.indexOf(q.type);
    let resolution = 0;
    if (q.resolution !== undefined) {
      resolution = resolutionNames.indexOf(q.resolution);
      if (resolution < 0) resolution = config.rings.resolutions.findIndex((r) => String(r.bucketMs) === q.resolution);
      if (resolution < 0) {
        sendProblem(res, state, problem('invalid_query', 'unknown resolution',
          [{ path: 'query/resolution', message: `one of ${resolutionNames.join(', ')} (or its bucketMs)` }]));
        return;
      }
    }
    engine.series(sellerKey(principal.tenant.id, sellerId), type, resolution).then(
      (series) => {
        if (series === undefined) {
          sendProblem(res, state, sellerNotFound());
          return;
        }
        const { timeWindow, counts, sums } = series;
        const buckets = new Array<{ start: number; count: number; sum: number }>(counts.length);
        for (let i = 0; i < counts.length; i++) {
          buckets[i] = { start: timeWindow.startTimestamp + i * timeWindow.bucketMs, count: counts[i], sum: sums[i] };
        }
        sendJson(res, state, 200, {
          sellerId,
          type: q.type,
          resolution: resolutionNames[resolution],
          timeWindow,
          configVersion: engine.configVersion,
          buckets,
          totals: { count: series.totalCount, sum: series.totalSum },
        });
      },
      (err: unknown) => {
        const code = err instanceof ShardError ? 'shard_unavailable' : 'internal';
        engine.log.error({ err, trace_id: state.traceId }, 'series query failed');
        sendProblem(res, state, problem(code, err instanceof Error ? err.message : 'query failed'));
      },
    );
  });
}
