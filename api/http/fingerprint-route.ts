/** GET /metrics/:seller/fingerprint (issue 7): the seller's behaviour fingerprint, class and cluster. */
import { z } from 'zod';
import type { Engine } from '../../engine/index.js';
import type { FingerprintService } from '../../engine/fingerprint/fingerprint-service.js';
import { sellerKey } from '../../engine/router/seller-directory.js';
import { kNoLocation } from '../../engine/router/seller-directory.js';
import { problem } from '../errors.js';
import { sendJson, sendProblem } from './reply.js';
import type { Router } from './router.js';
import { kSellerParam, problemResponses } from './docs.js';
import { kRead, pathParam, sellerNotFound } from './query.js';

const fingerprintResponse = z.object({
  sellerId: z.string(),
  classification: z.enum(['normal', 'bot_cluster', 'repeated_manipulation', 'sudden_strategy_change']),
  reasons: z.array(z.object({ message: z.string(), measure: z.string(), value: z.number().nullable(), threshold: z.number().nullable() }).loose()),
  sufficient: z.boolean(), suspicious: z.boolean(),
  features: z.record(z.string(), z.number().nullable()), signature: z.array(z.number()), halfDistance: z.number().nullable(),
  cluster: z.object({ id: z.number(), size: z.number(), members: z.array(z.string()) }).loose().nullable(),
  eventType: z.string(), population: z.object({ sellers: z.number(), computedAt: z.number() }), configVersion: z.number(),
});

export function registerFingerprintRoute(router: Router, engine: Engine, fingerprints: FingerprintService): void {
  router.route({
    method: 'get', path: '/metrics/:seller/fingerprint', tag: 'analytics', access: kRead, params: kSellerParam,
    summary: 'Behaviour fingerprint (FFT, fractal dimension, timing entropy, regularity) with its class and cluster, from aggregated counts only',
    responses: { 200: { description: 'The fingerprint', schema: fingerprintResponse }, ...problemResponses(400, 401, 403, 404, 429, 503) },
  }, (res, req, state, principal) => {
    const sellerId = pathParam(req, 0, res, state, sellerNotFound);
    if (sellerId === null) return;
    const tenantId = principal.tenant.id;
    if (engine.directory.find(sellerKey(tenantId, sellerId)) === kNoLocation) return sendProblem(res, state, sellerNotFound());
    fingerprints.population(tenantId).then((p) => {
      const v = p.verdicts.get(sellerId);
      if (v === undefined) return sendProblem(res, state, sellerNotFound());
      const members = v.cluster === null ? [] : [...p.verdicts.values()].filter((o) => o.cluster?.id === v.cluster!.id).map((o) => o.sellerId);
      sendJson(res, state, 200, {
        ...v, cluster: v.cluster === null ? null : { ...v.cluster, members },
        eventType: engine.config.fingerprints.eventType, population: { sellers: p.sellers, computedAt: p.computedAt }, configVersion: p.configVersion,
      });
    }, (err: Error) => sendProblem(res, state, problem('internal', err.message)));
  });
}
