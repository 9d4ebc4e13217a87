/**
 * POST /events and POST /events/batch (DESIGN §4). Decode → rate limit (one token per event) →
 * guard → route → queue, synchronously inside the last onData callback; answered 202 with counts,
 * or a problem document. Events belong to the tenant of the key that sent them.
 */
import { z } from 'zod';
import type { Engine } from '../../engine/index.js';
import { IngestResult, problemOf } from '../../engine/index.js';
import type { TierEventCounters } from '../../engine/tenancy/tier-counters.js';
import type { Principal } from '../../engine/tenancy/tenant-registry.js';
import { makeEventSchema } from '../../engine/intake/event-schema.js';
import type { HttpResponse } from '../uws.js';
import { problem, type Problem, type ProblemFieldError } from '../errors.js';
import { sendJson, sendProblem, sendText, type ResponseState } from './reply.js';
import { withDecodedBody, type BodyContext } from './decoded-body.js';
import { BodyFormat } from './body.js';
import { JsonBody, type JsonEventReader } from '../json-event-reader.js';
import type { Router } from './router.js';
import { problemResponses, kBodyMedia } from './docs.js';

export interface IngestContext extends BodyContext {
  engine: Engine;
  tiers: TierEventCounters;
  /** JSON bodies of the common shape, read from their bytes (others are decoded). */
  jsonEvents: JsonEventReader;
}

const kAcceptedOne = JSON.stringify({ accepted: 1 });
const kIngest = { kind: 'scope', scopes: ['ingest'], limit: 'ingest' } as const;

function rejectedList(result: IngestResult, prefix: string): { index: number; errors: ProblemFieldError[] }[] {
  const out: { index: number; errors: ProblemFieldError[] }[] = [];
  for (let i = 0; i < result.rejectedIndex.length; i++) {
    const p = problemOf(result.rejectedStatus[i]);
    out.push({ index: result.rejectedIndex[i], errors: [{ path: `${prefix}/${result.rejectedIndex[i]}${p.path}`, message: p.message }] });
  }
  return out;
}

export function queueFullProblem(retryAfterMs: number): Problem {
  return problem('queue_full', 'a shard ingest queue is full; nothing from this request was taken', [], { retryAfterMs });
}

function retryHeaders(retryAfterMs: number): Record<string, string> {
  return { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) };
}

/** Sends the 202 now, or — in wal mode — once what was taken is durable (DESIGN §1, store issue). */
function afterDurable(ctx: IngestContext, result: IngestResult, send: () => void, res: HttpResponse, state: ResponseState): void {
  const durable = ctx.engine.whenDurable(result);
  if (durable === null) send();
  else durable.then(send, (err: unknown) => sendProblem(res, state, problem('internal', `not durable: ${(err as Error).message}`)));
}

const acceptedSchema = z.object({ accepted: z.number().int(), lateDropped: z.number().int().optional(), duplicates: z.number().int().optional() });
const batchAcceptedSchema = acceptedSchema.extend({
  rejected: z.array(z.object({ index: z.number().int(), errors: z.array(z.object({ path: z.string(), message: z.string() })) })),
});

export function registerIngestRoutes(router: Router, ctx: IngestContext): void {
  const result = new IngestResult();
  const single: unknown[] = [undefined];
  const { engine, jsonEvents } = ctx;
  const eventSchema = makeEventSchema(engine.config, engine.geometry.longestWindowMs, null);

  /**
   * Rate limit and ingest `count` events: the decoded `events`, or (null) the first `count` the JSON
   * reader read. False when the call was answered (429).
   */
  function ingest(res: HttpResponse, state: ResponseState, principal: Principal, events: readonly unknown[] | null, count: number): boolean {
    if (!router.access.limit(res, state, principal, 'ingest', count)) {
      ctx.tiers.refused(principal.tenant.tier, count);
      return false;
    }
    if (events === null) engine.ingestRowEvents(principal.tenant.id, jsonEvents.events, count, Date.now(), result);
    else engine.ingestEvents(principal.tenant.id, events, Date.now(), result);
    ctx.tiers.add(principal.tenant.tier, result, count);
    return true;
  }

  /** Answers one event taken by `ingest` (or not). */
  function answerOne(res: HttpResponse, state: ResponseState, principal: Principal, events: readonly unknown[] | null): void {
    if (!ingest(res, state, principal, events, 1)) return;
    const retryAfterMs = engine.config.queue.retryAfterMs;
    if (result.queueFull) {
      sendProblem(res, state, queueFullProblem(retryAfterMs), retryHeaders(retryAfterMs));
    } else if (result.rejectedIndex.length > 0) {
      const p = problemOf(result.rejectedStatus[0]);
      sendProblem(res, state, problem('invalid_event', p.message, [{ path: p.path, message: p.message }]));
    } else {
      const body = result.accepted === 1 ? kAcceptedOne : JSON.stringify({ accepted: result.accepted, lateDropped: result.lateDropped, duplicates: result.duplicates });
      afterDurable(ctx, result, () => sendText(res, state, 202, 'application/json', body), res, state);
    }
  }

  /** Checks the batch's size, ingests it and answers; `events` as for `ingest`, `prefix` the path of the list in the body. */
  function answerBatch(res: HttpResponse, state: ResponseState, principal: Principal, events: readonly unknown[] | null, count: number, prefix: string): void {
    if (count === 0) {
      sendProblem(res, state, problem('invalid_batch', 'the batch is empty', [{ path: prefix, message: 'must hold at least one event' }]));
      return;
    }
    const max = engine.config.limits.maxBatchEvents;
    if (count > max) {
      sendProblem(res, state, problem('batch_too_large', `${count} events; at most ${max} per batch`,
        [{ path: prefix, message: `at most ${max} events` }]));
      return;
    }
    if (!ingest(res, state, principal, events, count)) return;
    const retryAfterMs = engine.config.queue.retryAfterMs;
    if (result.queueFull) {
      sendProblem(res, state, queueFullProblem(retryAfterMs), retryHeaders(retryAfterMs));
      return;
    }
    const rejected = rejectedList(result, prefix);
    if (result.accepted + result.lateDropped + result.duplicates === 0) {
      sendProblem(res, state, problem('invalid_events', 'no event of the batch is valid', rejected.flatMap((r) => r.errors),
        { accepted: 0, rejected }));
      return;
    }
    const body = { accepted: result.accepted, lateDropped: result.lateDropped, duplicates: result.duplicates, rejected };
    afterDurable(ctx, result, () => sendJson(res, state, 202, body), res, state);
  }

  router.route({
    method: 'post', path: '/events', tag: 'ingest', access: kIngest,
    summary: 'Ingest one event',
    body: eventSchema, bodyMedia: kBodyMedia,
    responses: { 202: { description: 'Taken (durable in wal mode)', schema: acceptedSchema }, ...problemResponses(400, 401, 403, 408, 413, 415, 429, 503) },
  }, (res, req, state, principal) => {
    withDecodedBody(ctx, res, req, state, engine.config.limits.maxBodyBytes, (value) => {
      if (Array.isArray(value)) {
        sendProblem(res, state, problem('invalid_event', 'POST /events takes one event object; send arrays to /events/batch',
          [{ path: '', message: 'must be an object' }]));
        return;
      }
      single[0] = value;
      answerOne(res, state, principal, single);
      single[0] = undefined;
    }, (bytes, format) => {
      if (format !== BodyFormat.Json || !jsonEvents.tryRead(bytes, JsonBody.OneEvent)) return false;
      answerOne(res, state, principal, null);
      return true;
    });
  });

  router.route({
    method: 'post', path: '/events/batch', tag: 'ingest', access: kIngest,
    summary: 'Ingest a batch of events (each validated on its own; valid ones are taken)',
    body: z.union([z.array(eventSchema), z.object({ events: z.array(eventSchema) })]), bodyMedia: kBodyMedia,
    responses: { 202: { description: 'The valid events were taken', schema: batchAcceptedSchema }, ...problemResponses(400, 401, 403, 408, 413, 415, 429, 503) },
  }, (res, req, state, principal) => {
    withDecodedBody(ctx, res, req, state, engine.config.limits.maxBodyBytes, (value) => {
      const events = Array.isArray(value) ? value
        : typeof value === 'object' && value !== null && Array.isArray((value as { events?: unknown }).events)
          ? (value as { events: unknown[] }).events : null;
      const prefix = Array.isArray(value) ? '' : '/events';
      if (events === null) {
        sendProblem(res, state, problem('invalid_batch', 'send an array of events or {"events": [...]}',
          [{ path: prefix, message: 'must be an array of events' }]));
        return;
      }
      answerBatch(res, state, principal, events, events.length, prefix);
    }, (bytes, format) => {
      if (format !== BodyFormat.Json || !jsonEvents.tryRead(bytes, JsonBody.EventList)) return false;
      answerBatch(res, state, principal, null, jsonEvents.count, jsonEvents.wrapped ? '/events' : '');
      return true;
    });
  });
}
