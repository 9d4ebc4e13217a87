/**
 * POST /events and POST /events/batch (DESIGN §4). Decode → guard → route → queue, synchronously
 * inside the last onData callback; answered 202 with counts, or a problem document.
 */
import type { Engine } from '../../engine/index.js';
import { IngestResult, problemOf } from '../../engine/index.js';
import type { HttpResponse, TemplatedApp } from '../uws.js';
import { problem, type Problem, type ProblemFieldError } from '../errors.js';
import type { BodyDecoder } from '../decode.js';
import { sendJson, sendProblem, type ResponseState } from './reply.js';
import { withDecodedBody } from './decoded-body.js';

export interface IngestContext {
  engine: Engine;
  decoder: BodyDecoder;
  isClosing: () => boolean;
}

const kAcceptedOne = JSON.stringify({ accepted: 1 });

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

export function registerIngestRoutes(app: TemplatedApp, ctx: IngestContext): void {
  const result = new IngestResult();
  const single: unknown[] = [undefined];

  app.post('/events', (res, req) => {
    withDecodedBody(ctx, res, req, ctx.engine.config.limits.maxBodyBytes, (value, state) => {
      if (Array.isArray(value)) {
        sendProblem(res, state, problem('invalid_event', 'POST /events takes one event object; send arrays to /events/batch',
          [{ path: '', message: 'must be an object' }]));
        return;
      }
      single[0] = value;
      ctx.engine.ingestEvents(single, Date.now(), result);
      single[0] = undefined;
      const retryAfterMs = ctx.engine.config.queue.retryAfterMs;
      if (result.queueFull) {
        sendProblem(res, state, queueFullProblem(retryAfterMs), retryHeaders(retryAfterMs));
      } else if (result.rejectedIndex.length > 0) {
        const p = problemOf(result.rejectedStatus[0]);
        sendProblem(res, state, problem('invalid_event', p.message, [{ path: p.path, message: p.message }]));
      } else {
        const body = result.accepted === 1 ? kAcceptedOne : JSON.stringify({ accepted: result.accepted, lateDropped: result.lateDropped, duplicates: result.duplicates });
        const send = () => {
          if (!state.done) res.cork(() => res.writeStatus('202 Accepted').writeHeader('content-type', 'application/json').end(body));
        };
        afterDurable(ctx, result, send, res, state);
      }
    });
  });

  app.post('/events/batch', (res, req) => {
    withDecodedBody(ctx, res, req, ctx.engine.config.limits.maxBodyBytes, (value, state) => {
      const events = Array.isArray(value) ? value
        : typeof value === 'object' && value !== null && Array.isArray((value as { events?: unknown }).events)
          ? (value as { events: unknown[] }).events : null;
      const prefix = Array.isArray(value) ? '' : '/events';
      if (events === null) {
        sendProblem(res, state, problem('invalid_batch', 'send an array of events or {"events": [...]}',
          [{ path: prefix || '', message: 'must be an array of events' }]));
        return;
      }
      if (events.length === 0) {
        sendProblem(res, state, problem('invalid_batch', 'the batch is empty', [{ path: prefix || '', message: 'must hold at least one event' }]));
        return;
      }
      const max = ctx.engine.config.limits.maxBatchEvents;
      if (events.length > max) {
        sendProblem(res, state, problem('batch_too_large', `${events.length} events; at most ${max} per batch`,
          [{ path: prefix || '', message: `at most ${max} events` }]));
        return;
      }
      ctx.engine.ingestEvents(events, Date.now(), result);
      const retryAfterMs = ctx.engine.config.queue.retryAfterMs;
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
    });
  });
}
