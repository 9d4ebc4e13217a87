/**
 * GET /embed/config (issue 8): what the dashboard and the embedded widgets need to know about the
 * caller before they draw — the tenant's tier and the watermark it gets (config
 * `pricing.tierDefaults.<tier>.embedWatermark`: basic light, premium reduced, enterprise none), the
 * theme, and the event types and resolutions the engine keeps. Read or embed keys.
 */
import { z } from 'zod';
import type { Engine } from '../../engine/index.js';
import { kEmbedThemes } from '../../config/dashboard-schema.js';
import { sendJson } from './reply.js';
import type { Router } from './router.js';
import { problemResponses } from './docs.js';
import { kRead, readQuery } from './query.js';

const embedQuery = z.object({
  theme: z.enum(kEmbedThemes).optional().describe('the theme the embedding page asks for; default config dashboard.embedTheme'),
}).strict();

const embedConfigResponse = z.object({
  tenantId: z.string(),
  tier: z.enum(['basic', 'premium', 'enterprise']),
  watermark: z.enum(['light', 'reduced', 'none']),
  theme: z.enum(kEmbedThemes),
  scopes: z.array(z.string()),
  eventTypes: z.array(z.object({ name: z.string(), metric: z.enum(['count', 'sum']) })),
  resolutions: z.array(z.object({ name: z.string(), bucketMs: z.number(), window: z.number() })),
  configVersion: z.number().int(),
});

export function registerEmbedRoutes(router: Router, engine: Engine): void {
  router.route({
    method: 'get', path: '/embed/config', tag: 'dashboard', access: kRead, query: embedQuery,
    summary: 'The caller\'s tier, watermark and theme, and the engine\'s event types and resolutions (for the dashboard and embedded widgets)',
    responses: { 200: { description: 'Widget settings', schema: embedConfigResponse }, ...problemResponses(400, 401, 403, 429) },
  }, (res, req, state, principal) => {
    const q = readQuery(req, embedQuery, res, state);
    if (q === null) return;
    const config = engine.config;
    const tier = principal.tenant.tier;
    sendJson(res, state, 200, {
      tenantId: principal.tenant.id,
      tier,
      watermark: config.pricing.tierDefaults[tier].embedWatermark,
      theme: q.theme ?? config.dashboard.embedTheme,
      scopes: principal.key.scopes,
      // value-carrying types (no default value, e.g. SALE) are analysed by their sum, the others by count
      eventTypes: config.events.types.map((t) => ({ name: t.name, metric: t.defaultValue === null ? 'sum' : 'count' })),
      resolutions: config.rings.resolutions.map((r) => ({ name: r.name, bucketMs: r.bucketMs, window: r.window })),
      configVersion: engine.configVersion,
    });
  });
}
