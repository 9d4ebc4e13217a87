/** GET /insights/:seller/lifecycle and POST /insights/:id/feedback (issue 6). */
import { z } from 'zod';
import { kInsightStates } from '../../engine/insights/insight-record.js';
import type { InsightService } from '../../engine/insights/insight-service.js';
import { problem } from '../errors.js';
import { sendJson, sendProblem } from './reply.js';
import { withDecodedBody, type BodyContext } from './decoded-body.js';
import type { Router } from './router.js';
import { kBodyMedia, kSellerParam, problemResponses } from './docs.js';
import { kRead, kReadOnly, parseBody, pathParam, readQuery, sellerNotFound } from './query.js';

const insightNotFound = () => problem('insight_not_found', 'no such insight', [{ path: 'path/id', message: 'unknown insight' }]);

const kDefaultPage = 50;
const kMaxPage = 500;
const kCommentMax = 2000;

export const lifecycleQuery = z.object({
  state: z.enum(kInsightStates).optional(),
  limit: z.coerce.number().int().min(1).max(kMaxPage).default(kDefaultPage),
  cursor: z.string().max(200).optional(),
}).strict();

export const feedbackSchema = z.object({
  verdict: z.enum(['confirm', 'reject']).describe('confirm: Generated → Confirmed; reject: → Expired'),
  comment: z.string().max(kCommentMax).optional(),
}).strict();

const transitionSchema = z.object({ from: z.enum(kInsightStates).nullable(), to: z.enum(kInsightStates), at: z.number(), cause: z.string() });
const insightSchema = z.object({
  id: z.string(), sellerId: z.string(), eventType: z.string(), kind: z.string(), state: z.enum(kInsightStates), probability: z.number(),
  summary: z.string(), recommendation: z.string(),
  timeWindow: z.object({ startTimestamp: z.number(), endTimestamp: z.number(), windowSize: z.number(), bucketMs: z.number() }),
  dataSufficiency: z.object({ status: z.enum(['sufficient', 'insufficient']), required: z.number(), available: z.number() }),
  confidenceMessage: z.string(), configVersion: z.number(), transitions: z.array(transitionSchema),
}).loose();

export function registerInsightRoutes(router: Router, insights: InsightService, ctx: BodyContext, now: () => number): void {
  router.route({
    method: 'get', path: '/insights/:seller/lifecycle', tag: 'insights', access: kRead, params: kSellerParam, query: lifecycleQuery,
    summary: 'A seller\'s insights, newest first, with their state and transition history (filter by state, paginated)',
    responses: { 200: { description: 'A page of insights', schema: z.object({ sellerId: z.string(), insights: z.array(insightSchema), nextCursor: z.string().nullable() }) }, ...problemResponses(400, 401, 403, 429) },
  }, (res, req, state, principal) => {
    const sellerId = pathParam(req, 0, res, state, sellerNotFound);
    if (sellerId === null) return;
    const q = readQuery(req, lifecycleQuery, res, state);
    if (q === null) return;
    const page = insights.list(principal.tenant.id, sellerId, q.state, q.limit, q.cursor);
    sendJson(res, state, 200, { sellerId, insights: page.items, nextCursor: page.nextCursor });
  });

  router.route({
    method: 'post', path: '/insights/:id/feedback', tag: 'insights', access: kReadOnly, params: [{ name: 'id', description: 'insight id' }],
    body: feedbackSchema, bodyMedia: kBodyMedia,
    summary: 'Confirm or reject an insight (a transition with cause "user")',
    responses: { 200: { description: 'The insight', schema: insightSchema }, ...problemResponses(400, 401, 403, 404, 409, 413, 415, 429) },
  }, (res, req, state, principal) => {
    const id = pathParam(req, 0, res, state, insightNotFound);
    if (id === null) return;
    withDecodedBody(ctx, res, req, state, ctx.config().limits.maxBodyBytes, (value) => {
      const body = parseBody(value, feedbackSchema, res, state, 'invalid_request', 'send {verdict: confirm|reject, comment?}');
      if (body === null) return;
      insights.feedback(principal.tenant.id, id, body.verdict, body.comment ?? null, now()).then((r) => {
        if (r === 'not_found') sendProblem(res, state, insightNotFound());
        else if (r === 'closed') sendProblem(res, state, problem('insight_closed', 'the insight has expired or was superseded', [{ path: 'path/id', message: 'no longer live' }]));
        else sendJson(res, state, 200, r);
      }, (err: Error) => sendProblem(res, state, problem('internal', err.message)));
    });
  });
}
