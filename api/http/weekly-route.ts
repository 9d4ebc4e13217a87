/** GET /reports/:seller/weekly?week= (issue 7): the seller's weekly report (made now if missing). */
import { z } from 'zod';
import type { WeeklyReports } from '../../engine/weekly/weekly-service.js';
import { problem } from '../errors.js';
import { sendJson, sendProblem } from './reply.js';
import type { Router } from './router.js';
import { kSellerParam, problemResponses } from './docs.js';
import { kRead, pathParam, readQuery, sellerNotFound } from './query.js';

export const weeklyQuery = z.object({
  week: z.coerce.number().int().nonnegative().optional().describe('any epoch ms inside the week; default the last complete week'),
}).strict();

const weeklyResponse = z.object({
  sellerId: z.string(), week: z.object({ start: z.number(), end: z.number() }), generatedAt: z.number(), configVersion: z.number(),
  health: z.unknown(), anomalies: z.unknown(), trend: z.unknown(), predictions: z.unknown(), behaviour: z.unknown(),
  insights: z.object({ lifecycle: z.record(z.string(), z.number()), summaries: z.array(z.unknown()) }),
  recommendations: z.array(z.string()), configSnapshot: z.object({ version: z.number(), config: z.unknown() }),
}).loose();

export function registerWeeklyRoute(router: Router, weekly: WeeklyReports): void {
  router.route({
    method: 'get', path: '/reports/:seller/weekly', tag: 'reports', access: kRead, params: kSellerParam, query: weeklyQuery,
    summary: 'Weekly report: health, anomaly frequency and severity, trend and predictions, behaviour, insights and their lifecycle counts, recommendations, config snapshot',
    responses: { 200: { description: 'The report', schema: weeklyResponse }, ...problemResponses(400, 401, 403, 404, 429, 503) },
  }, (res, req, state, principal) => {
    const sellerId = pathParam(req, 0, res, state, sellerNotFound);
    if (sellerId === null) return;
    const q = readQuery(req, weeklyQuery, res, state);
    if (q === null) return;
    weekly.get(principal.tenant.id, sellerId, q.week).then((r) => {
      if (r === undefined) sendProblem(res, state, sellerNotFound());
      else sendJson(res, state, 200, r);
    }, (err: Error) => sendProblem(res, state, problem('internal', err.message)));
  });
}
