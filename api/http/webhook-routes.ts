/**
 * Webhooks (issue "Insights, alerts, delivery"): POST /webhooks (the signing secret is in that
 * response only), GET /webhooks, DELETE /webhooks/:id, GET /webhooks/:id/deliveries (the delivery
 * log with every attempt, newest first, filter by state). Admin keys of the owning tenant only;
 * another tenant's webhook is the same 404 as a missing one.
 */
import { z } from 'zod';
import { kDeliveryEvents } from '../../config/delivery-schema.js';
import { kDeliveryStates } from '../../engine/delivery/delivery-record.js';
import type { DeliveryDispatcher } from '../../engine/delivery/dispatcher.js';
import { webhookView } from '../../engine/delivery/webhook-registry.js';
import { problem } from '../errors.js';
import { sendJson, sendProblem } from './reply.js';
import { withDecodedBody, type BodyContext } from './decoded-body.js';
import type { Router } from './router.js';
import { kBodyMedia, problemResponses } from './docs.js';
import { kAdmin, parseBody, pathParam, readQuery } from './query.js';

const webhookSchema = z.object({ id: z.string(), url: z.string(), events: z.array(z.enum(kDeliveryEvents)), createdAt: z.number() });
const attemptSchema = z.object({
  deliveryId: z.string(), attempt: z.number(), at: z.number(), durationMs: z.number(),
  status: z.number().nullable(), error: z.string().nullable(), nextDelayMs: z.number().nullable(), expiresAt: z.number(),
});
const deliverySchema = z.object({
  id: z.string(), webhookId: z.string(), event: z.string(), idempotencyKey: z.string(), state: z.enum(kDeliveryStates), attempts: z.number(),
  nextAttemptAt: z.number().nullable(), createdAt: z.number(), deliveredAt: z.number().nullable(), replayOf: z.string().nullable(),
  expiresAt: z.number(), log: z.array(attemptSchema),
});

export function registerWebhookRoutes(router: Router, deliveries: DeliveryDispatcher, ctx: BodyContext, now: () => number): void {
  const cfg = () => ctx.config().delivery;
  const boot = cfg();
  const createSchema = z.object({
    url: z.url({ protocol: /^https?$/ }).max(boot.maxUrlLength).describe('http or https URL the events are POSTed to'),
    events: z.array(z.enum(kDeliveryEvents)).min(1).max(kDeliveryEvents.length)
      .refine((e) => new Set(e).size === e.length, 'each event at most once'),
  }).strict();
  const listQuery = z.object({
    state: z.enum(kDeliveryStates).optional(),
    limit: z.coerce.number().int().min(1).max(boot.page.max).optional(),
    cursor: z.string().max(200).optional(),
  }).strict();
  const idParam = [{ name: 'id', description: 'webhook id' }] as const;
  const notFound = () => problem('webhook_not_found', 'no such webhook', [{ path: 'path/id', message: 'unknown webhook' }]);

  router.route({
    method: 'post', path: '/webhooks', tag: 'webhooks', access: kAdmin, body: createSchema, bodyMedia: kBodyMedia,
    summary: 'Register a webhook for the caller\'s tenant; the signing secret is in this response only',
    responses: {
      201: { description: 'The webhook and its secret, shown once', schema: webhookSchema.extend({ secret: z.string().describe('HMAC-SHA256 key of x-sellerpulse-signature: shown this once') }) },
      ...problemResponses(400, 401, 403, 413, 415, 429),
    },
  }, (res, req, state, principal) => {
    withDecodedBody(ctx, res, req, state, ctx.config().limits.maxBodyBytes, (value) => {
      const body = parseBody(value, createSchema, res, state, 'invalid_request', 'send {url: http(s) URL, events: [...]}');
      if (body === null) return;
      const c = cfg();
      deliveries.webhooks.create(principal.tenant.id, body.url, body.events, c.secretBytes, c.maxWebhooksPerTenant, now()).then((made) => {
        if (made === 'limit') {
          sendProblem(res, state, problem('webhook_limit', `a tenant may register at most ${c.maxWebhooksPerTenant} webhooks`, [{ path: 'body', message: 'too many webhooks; delete one first' }]));
        } else {
          sendJson(res, state, 201, { ...made.webhook, secret: made.secret });
        }
      }, (err: Error) => sendProblem(res, state, problem('internal', err.message)));
    });
  });

  router.route({
    method: 'get', path: '/webhooks', tag: 'webhooks', access: kAdmin, summary: 'The caller\'s tenant\'s webhooks (never their secrets)',
    responses: { 200: { description: 'Webhooks', schema: z.object({ webhooks: z.array(webhookSchema) }) }, ...problemResponses(401, 403, 429) },
  }, (res, _req, state, principal) => {
    sendJson(res, state, 200, { webhooks: deliveries.webhooks.list(principal.tenant.id).map(webhookView) });
  });

  router.route({
    method: 'del', path: '/webhooks/:id', tag: 'webhooks', access: kAdmin, params: idParam,
    summary: 'Delete a webhook: its pending deliveries become dead when they come due',
    responses: { 200: { description: 'The deleted webhook', schema: webhookSchema }, ...problemResponses(401, 403, 404, 429) },
  }, (res, req, state, principal) => {
    const id = pathParam(req, 0, res, state, notFound);
    if (id === null) return;
    deliveries.webhooks.remove(principal.tenant.id, id).then((w) => {
      if (w === undefined) sendProblem(res, state, notFound());
      else sendJson(res, state, 200, webhookView(w));
    }, (err: Error) => sendProblem(res, state, problem('internal', err.message)));
  });

  router.route({
    method: 'get', path: '/webhooks/:id/deliveries', tag: 'webhooks', access: kAdmin, params: idParam, query: listQuery,
    summary: 'A webhook\'s deliveries, newest first, each with its state and every attempt (status or error, duration, next delay); ?state=dead lists the dead letters',
    responses: { 200: { description: 'A page of deliveries', schema: z.object({ deliveries: z.array(deliverySchema), nextCursor: z.string().nullable() }) }, ...problemResponses(400, 401, 403, 404, 429) },
  }, (res, req, state, principal) => {
    const id = pathParam(req, 0, res, state, notFound);
    if (id === null) return;
    const q = readQuery(req, listQuery, res, state);
    if (q === null) return;
    const page = deliveries.deliveries(principal.tenant.id, id, q.state, Math.min(q.limit ?? cfg().page.default, cfg().page.max), q.cursor);
    if (page === undefined) sendProblem(res, state, notFound());
    else sendJson(res, state, 200, { deliveries: page.items, nextCursor: page.nextCursor });
  });
}
