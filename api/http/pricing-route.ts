/** GET /pricing/:seller/tier (issue 7): the recommended tier, why, and that tier's defaults. */
import { z } from 'zod';
import type { Engine } from '../../engine/index.js';
import type { AlertService } from '../../engine/alerts/alert-service.js';
import { sellerKey } from '../../engine/router/seller-directory.js';
import { recommendTier } from '../../engine/pricing/recommend-tier.js';
import type { ForecastResult } from '../../engine/analytics/index.js';
import { problem } from '../errors.js';
import { sendJson, sendProblem } from './reply.js';
import type { Router } from './router.js';
import { kSellerParam, problemResponses } from './docs.js';
import { kRead, pathParam, sellerNotFound } from './query.js';
import { kMsPerDay } from '../../engine/time-units.js';

const kDaysPerMonth = 30;
/** Alerts looked at per recommendation at most (a month of a very noisy seller). */
const kMaxAlerts = 10_000;

const tierEnum = z.enum(['basic', 'premium', 'enterprise']);
const pricingResponse = z.object({
  sellerId: z.string(), currentTier: tierEnum, recommendedTier: tierEnum,
  signals: z.array(z.object({ signal: z.string(), value: z.number().nullable(), tier: tierEnum, reason: z.string() })),
  defaults: z.object({ alertThreshold: z.number(), retentionDays: z.number(), insightDepth: z.string(), embedWatermark: z.string(), rateLimits: z.unknown() }),
  windowDays: z.number(), configVersion: z.number(),
});

export function registerPricingRoute(router: Router, engine: Engine, alerts: AlertService, now: () => number): void {
  router.route({
    method: 'get', path: '/pricing/:seller/tier', tag: 'analytics', access: kRead, params: kSellerParam,
    summary: 'Recommended pricing tier from alerts per month, severity, forecast error and event rate, with that tier\'s defaults',
    responses: { 200: { description: 'The recommendation', schema: pricingResponse }, ...problemResponses(401, 403, 404, 429, 503) },
  }, (res, req, state, principal) => {
    const sellerId = pathParam(req, 0, res, state, sellerNotFound);
    if (sellerId === null) return;
    const config = engine.config;
    const cfg = config.pricing;
    const type = Math.max(0, config.events.types.findIndex((t) => t.name === cfg.predictionType));
    const metric = config.events.types[type].defaultValue === null ? 'sum' : 'count';
    const tenant = principal.tenant;
    engine.analyse(sellerKey(tenant.id, sellerId), { kind: 'prediction', type, resolution: -1, metric, horizon: config.analytics.health.forecastHorizon, from: null, to: null }).then((out) => {
      if (out === undefined) return sendProblem(res, state, sellerNotFound());
      const since = now() - cfg.windowDays * kMsPerDay;
      const recent = alerts.list(tenant.id, { sellerId, from: since }, kMaxAlerts, undefined).items;
      const severe = recent.filter((a) => cfg.highSeverityLevels.includes(a.level)).length;
      const f = out.value.result as ForecastResult;
      const scale = f.values.reduce((s, v) => s + Math.abs(v), 0) / Math.max(1, f.values.length);
      const predictionError = f.status === 'sufficient' && scale > 0 ? f.fit.validationMae / scale : null;
      const { tier, verdicts } = recommendTier({
        alertsPerMonth: (recent.length * kDaysPerMonth) / cfg.windowDays,
        highSeverityShare: recent.length === 0 ? 0 : severe / recent.length,
        predictionError,
        eventsPerHour: out.value.tier.eventsPerHour,
      }, cfg);
      sendJson(res, state, 200, {
        sellerId, currentTier: tenant.tier, recommendedTier: tier, signals: verdicts,
        defaults: {
          alertThreshold: config.alerts.thresholds[tier], retentionDays: config.retention.periodsDays[tier],
          insightDepth: cfg.tierDefaults[tier].insightDepth, embedWatermark: cfg.tierDefaults[tier].embedWatermark, rateLimits: config.access.rateLimits[tier],
        },
        windowDays: cfg.windowDays, configVersion: engine.configVersion,
      });
    }, (err: Error) => sendProblem(res, state, problem('internal', err.message)));
  });
}
