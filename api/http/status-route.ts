/**
 * GET /status/limits: what the caller may still send — its key's rate-limit buckets (quota left,
 * refill rate, seconds to full) — and the engine's backpressure: each shard queue's depth and the
 * state producers should act on (ok, busy: the queue is deep, full: the next batch may be refused).
 */
import { z } from 'zod';
import type { Engine } from '../../engine/index.js';
import type { LimitClass, RateLimiter } from '../../engine/tenancy/rate-limiter.js';
import { sendJson } from './reply.js';
import type { Router } from './router.js';
import { problemResponses } from './docs.js';

const bucketView = z.object({ limit: z.number(), remaining: z.number(), resetSec: z.number(), perSecond: z.number(), unit: z.enum(['events', 'requests']) });
const limitsResponse = z.object({
  tenantId: z.string(), tier: z.string(),
  key: z.object({ id: z.string(), prefix: z.string(), scopes: z.array(z.string()) }),
  rateLimits: z.object({ enabled: z.boolean(), ingest: bucketView.optional(), query: bucketView.optional(), embed: bucketView.optional() }),
  backpressure: z.object({
    state: z.enum(['ok', 'busy', 'full']),
    retryAfterMs: z.number(),
    shards: z.array(z.object({ shard: z.number(), queueDepth: z.number(), capacity: z.number(), state: z.enum(['ok', 'busy', 'full']) })),
  }),
});

type Pressure = 'ok' | 'busy' | 'full';

export function registerStatusRoute(router: Router, engine: Engine, limiter: RateLimiter): void {
  router.route({
    method: 'get', path: '/status/limits', tag: 'operations', access: { kind: 'key' },
    summary: 'The caller\'s rate-limit status and remaining quota, and backpressure with the queue depth per shard',
    responses: { 200: { description: 'Limits and backpressure', schema: limitsResponse }, ...problemResponses(401, 403) },
  }, (res, _req, state, principal) => {
    const config = engine.config;
    const enabled = config.access.enabled;
    const tierLimits = config.access.rateLimits[principal.tenant.tier];
    const classes: LimitClass[] = [];
    if (principal.has('ingest')) classes.push('ingest');
    if (principal.has('read') || principal.has('admin')) classes.push('query');
    if (principal.has('embed')) classes.push('embed');
    const rateLimits: Record<string, unknown> = { enabled };
    for (const cls of classes) {
      rateLimits[cls] = { ...limiter.peek(principal.key.id, cls, tierLimits[cls]), unit: cls === 'ingest' ? 'events' : 'requests' };
    }
    let worst: Pressure = 'ok';
    const shards = engine.shards.map((s) => {
      const depth = s.producer.depth();
      const free = config.queue.capacity - depth;
      const p: Pressure = free < config.limits.maxBatchEvents ? 'full' : depth >= config.queue.wakeDepth ? 'busy' : 'ok';
      if (p === 'full' || (p === 'busy' && worst === 'ok')) worst = p;
      return { shard: s.index, queueDepth: depth, capacity: config.queue.capacity, state: p };
    });
    sendJson(res, state, 200, {
      tenantId: principal.tenant.id,
      tier: principal.tenant.tier,
      key: { id: principal.key.id, prefix: principal.key.prefix, scopes: principal.key.scopes },
      rateLimits,
      backpressure: { state: worst, retryAfterMs: worst === 'ok' ? 0 : config.queue.retryAfterMs, shards },
    });
  });
}
