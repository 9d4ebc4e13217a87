/** GET /metrics/:seller/series?type=&resolution= (DESIGN §4). */
import type { Engine } from '../../engine/index.js';
import { ShardError } from '../../engine/shard/shard-host.js';
import type { TemplatedApp } from '../uws.js';
import { problem } from '../errors.js';
import { ResponseState, sendJson, sendProblem } from './reply.js';

export function registerSeriesRoute(app: TemplatedApp, engine: Engine): void {
  const config = engine.config;
  const typeNames = config.events.types.map((t) => t.name);
  const resolutionNames = config.rings.resolutions.map((r) => r.name);

  app.get('/metrics/:seller/series', (res, req) => {
    const state = new ResponseState();
    res.onAborted(() => {
      state.done = true;
    });
    const sellerId = decodeURIComponent(req.getParameter(0));
    const typeName = req.getQuery('type') ?? '';
    const resolutionParam = req.getQuery('resolution') ?? '';
    const type = typeNames.indexOf(typeName);
    if (type < 0) {
      sendProblem(res, state, problem('invalid_query', 'type must be one of the configured event types',
        [{ path: 'query/type', message: `one of ${typeNames.join(', ')}` }]));
      return;
    }
    let resolution = 0;
    if (resolutionParam !== '') {
      resolution = resolutionNames.indexOf(resolutionParam);
      if (resolution < 0) resolution = config.rings.resolutions.findIndex((r) => String(r.bucketMs) === resolutionParam);
      if (resolution < 0) {
        sendProblem(res, state, problem('invalid_query', 'unknown resolution',
          [{ path: 'query/resolution', message: `one of ${resolutionNames.join(', ')} (or its bucketMs)` }]));
        return;
      }
    }
    engine.series(sellerId, type, resolution).then(
      (series) => {
        if (series === undefined) {
          sendProblem(res, state, problem('seller_not_found', 'no events have been received for this seller',
            [{ path: 'path/seller', message: 'unknown seller' }]));
          return;
        }
        const { timeWindow, counts, sums } = series;
        const buckets = new Array<{ start: number; count: number; sum: number }>(counts.length);
        for (let i = 0; i < counts.length; i++) {
          buckets[i] = { start: timeWindow.startTimestamp + i * timeWindow.bucketMs, count: counts[i], sum: sums[i] };
        }
        sendJson(res, state, 200, {
          sellerId,
          type: typeName,
          resolution: resolutionNames[resolution],
          timeWindow,
          configVersion: engine.configVersion,
          buckets,
          totals: { count: series.totalCount, sum: series.totalSum },
        });
      },
      (err: unknown) => {
        const code = err instanceof ShardError ? 'shard_unavailable' : 'internal';
        engine.log.error({ err }, 'series query failed');
        sendProblem(res, state, problem(code, err instanceof Error ? err.message : 'query failed'));
      },
    );
  });
}
