/**
 * Alerts (issue 6): GET /alerts (filters, paginated), POST /alerts/:id/ack, /resolve, /replay, and
 * the bulk POST /alerts/ack, /alerts/resolve {ids}. Another tenant's alert is a 404 like a missing one.
 */
import { z } from 'zod';
import { kAlertTypes } from '../../config/alerting-schema.js';
import { kAlertStates } from '../../engine/alerts/alert-record.js';
import type { AlertService } from '../../engine/alerts/alert-service.js';
import { problem } from '../errors.js';
import { sendJson, sendProblem } from './reply.js';
import { withDecodedBody, type BodyContext } from './decoded-body.js';
import type { Router } from './router.js';
import { kBodyMedia, problemResponses } from './docs.js';
import { kRead, kReadOnly, kMaxPathParamLength, parseBody, pathParam, readQuery } from './query.js';

const kDefaultPage = 50;
const kMaxPage = 500;

export const alertsQuery = z.object({
  state: z.enum(kAlertStates).optional(),
  level: z.enum(['info', 'warning', 'high', 'critical']).optional(),
  type: z.enum(kAlertTypes).optional(),
  sellerId: z.string().max(64).optional(),
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
  limit: z.coerce.number().int().min(1).max(kMaxPage).default(kDefaultPage),
  cursor: z.string().max(200).optional(),
}).strict();

const alertSchema = z.object({
  id: z.string(), sellerId: z.string(), eventType: z.string(), type: z.enum(kAlertTypes), level: z.string(), state: z.enum(kAlertStates),
  score: z.number(), threshold: z.number(), attribution: z.record(z.string(), z.number()),
  dataSufficiency: z.object({ status: z.enum(['sufficient', 'insufficient']), required: z.number(), available: z.number() }),
  timeWindow: z.object({ startTimestamp: z.number(), endTimestamp: z.number(), windowSize: z.number(), bucketMs: z.number() }),
  idempotencyKey: z.string(), history: z.array(z.object({ at: z.number(), state: z.enum(kAlertStates), by: z.string(), cause: z.string() })),
}).loose();

export function registerAlertRoutes(router: Router, alerts: AlertService, ctx: BodyContext, now: () => number): void {
  const bulkSchema = z.object({ ids: z.array(z.string().min(1).max(kMaxPathParamLength)).min(1).max(ctx.config().alerts.maxBulk) }).strict();
  const idParam = [{ name: 'id', description: 'alert id' }] as const;
  const notFound = () => problem('alert_not_found', 'no such alert', [{ path: 'path/id', message: 'unknown alert' }]);

  router.route({
    method: 'get', path: '/alerts', tag: 'alerts', access: kRead, query: alertsQuery,
    summary: 'Alert history of the caller\'s tenant, newest first (filters: state, level, type, sellerId, from, to; paginated)',
    responses: { 200: { description: 'A page of alerts', schema: z.object({ alerts: z.array(alertSchema), nextCursor: z.string().nullable() }) }, ...problemResponses(400, 401, 403, 429) },
  }, (res, req, state, principal) => {
    const q = readQuery(req, alertsQuery, res, state);
    if (q === null) return;
    const { limit, cursor, ...filter } = q;
    const page = alerts.list(principal.tenant.id, filter, limit, cursor);
    sendJson(res, state, 200, { alerts: page.items, nextCursor: page.nextCursor });
  });

  for (const [verb, target] of [['ack', 'acknowledged'], ['resolve', 'resolved']] as const) {
    router.route({
      method: 'post', path: `/alerts/:id/${verb}`, tag: 'alerts', access: kReadOnly, params: idParam,
      summary: verb === 'ack' ? 'Acknowledge an alert' : 'Resolve an alert (the next trigger after the cooldown raises a new one)',
      responses: { 200: { description: 'The alert', schema: alertSchema }, ...problemResponses(401, 403, 404, 429) },
    }, (res, req, state, principal) => {
      const id = pathParam(req, 0, res, state, notFound);
      if (id === null) return;
      alerts.setState(principal.tenant.id, id, target, principal.key.id, now()).then((r) => {
        if (r === 'not_found') sendProblem(res, state, notFound());
        else sendJson(res, state, 200, r === 'unchanged' ? alerts.get(principal.tenant.id, id) : r);
      }, (err: Error) => sendProblem(res, state, problem('internal', err.message)));
    });

    router.route({
      method: 'post', path: `/alerts/${verb}`, tag: 'alerts', access: kReadOnly, body: bulkSchema, bodyMedia: kBodyMedia,
      summary: `${verb === 'ack' ? 'Acknowledge' : 'Resolve'} alerts in bulk`,
      responses: { 200: { description: 'Per id: the new state, or not_found', schema: z.object({ results: z.array(z.object({ id: z.string(), state: z.string() })) }) }, ...problemResponses(400, 401, 403, 413, 415, 429) },
    }, (res, req, state, principal) => {
      withDecodedBody(ctx, res, req, state, ctx.config().limits.maxBodyBytes, (value) => {
        const body = parseBody(value, bulkSchema, res, state, 'invalid_request', 'send {ids: [...]}');
        if (body === null) return;
        (async () => {
          const results: { id: string; state: string }[] = [];
          for (const id of body.ids) {
            const r = await alerts.setState(principal.tenant.id, id, target, principal.key.id, now());
            results.push({ id, state: r === 'not_found' ? 'not_found' : r === 'unchanged' ? alerts.get(principal.tenant.id, id)!.state : r.state });
          }
          return results;
        })().then((results) => sendJson(res, state, 200, { results }), (err: Error) => sendProblem(res, state, problem('internal', err.message)));
      });
    });
  }

  router.route({
    method: 'post', path: '/alerts/:id/replay', tag: 'alerts', access: kReadOnly, params: idParam,
    summary: 'Re-deliver an alert to the tenant\'s webhooks and live feed with its original idempotency key',
    responses: { 202: { description: 'Queued for delivery', schema: alertSchema }, ...problemResponses(401, 403, 404, 429) },
  }, (res, req, state, principal) => {
    const id = pathParam(req, 0, res, state, notFound);
    if (id === null) return;
    const a = alerts.replay(principal.tenant.id, id);
    if (a === undefined) sendProblem(res, state, notFound());
    else sendJson(res, state, 202, a);
  });
}
