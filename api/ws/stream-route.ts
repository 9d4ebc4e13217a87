/**
 * WebSocket /stream (DESIGN §5). Frames {seq, events:[...]} or columnar frames, msgpack (binary) or
 * JSON (text); every frame gets an ack {seq, accepted, lateDropped, duplicates, rejected} in the
 * frame's own encoding. Backpressure is application-level (uWS 20.30 has no pause): when the
 * socket's send buffer is over the soft limit or a shard queue is full, the frame is not taken and
 * the ack says retryAfterMs; a client that never reads is closed by uWS at maxBackpressure.
 * Frames are processed in turns between polls (./frame-turns.ts), so queries are not held up by a
 * burst of ingest; each frame is processed synchronously in its turn.
 */
import { z } from 'zod';
import type { Engine } from '../../engine/index.js';
import { IngestResult, problemOf, SellerTableMemo } from '../../engine/index.js';
import type { TemplatedApp, WebSocket } from '../uws.js';
import { problem, type Problem } from '../errors.js';
import type { Principal } from '../../engine/tenancy/tenant-registry.js';
import type { TierEventCounters } from '../../engine/tenancy/tier-counters.js';
import type { Router } from '../http/router.js';
import { sendProblem } from '../http/reply.js';
import { problemResponses } from '../http/docs.js';
import { beginUpgrade, upgraded } from './upgrade.js';
import { BodyDecoder, DecodeFailure } from '../decode.js';
import type { RowFrameReader } from '../row-frame-reader.js';
import { SellerTableBytes, type ColumnarFrameReader } from '../columnar-frame-reader.js';
import { ProducerRegistry, SeqState, type SeqWindow } from './seq-window.js';
import { decodeColumnar, FrameError, ColumnScratch } from './columnar-decode.js';
import { FrameTurns } from './frame-turns.js';

const kProducerPattern = /^[A-Za-z0-9_.:-]{1,64}$/;

interface RateLimitView {
  limit: number;
  remaining: number;
  reset: number;
}
/** WebSocket close code 1008: policy violation (RFC 6455 §7.4.1). */
const kClosePolicy = 1008;
/** WebSocket close code 1001: going away. */
export const kCloseGoingAway = 1001;

const kIngest = { kind: 'scope', scopes: ['ingest'], limit: 'ingest' } as const;

export interface StreamSocketData {
  producer: string;
  seqs: SeqWindow;
  principal: Principal;
  /** The connection's last columnar seller table, resolved (made on its first columnar frame). */
  sellerTable: SellerTableMemo | null;
  /** The connection's last msgpack columnar seller table, as bytes and strings (made on its first such frame). */
  sellerTableBytes: SellerTableBytes | null;
}

export interface StreamContext {
  engine: Engine;
  decoder: BodyDecoder;
  /** Reads msgpack rows frames without the decoder (shares its string table). */
  rowFrames: RowFrameReader;
  columnarFrames: ColumnarFrameReader;
  isClosing: () => boolean;
  sockets: Set<WebSocket<StreamSocketData>>;
  router: Router;
  tiers: TierEventCounters;
}

/** Registers /stream; `flush` processes every frame still waiting for its turn (before shutdown closes the sockets). */
export function registerStreamRoute(app: TemplatedApp, ctx: StreamContext): { flush: () => void } {
  const access = ctx.router.access;
  ctx.router.document({
    method: 'get', path: '/stream', tag: 'ingest', access: kIngest,
    summary: 'WebSocket upgrade: frames {seq, events} or columnar frames (msgpack or JSON), one ack {seq, accepted, rejected, rateLimit} per frame',
    query: z.object({ producer: z.string().regex(kProducerPattern).optional().describe('producer name: seq idempotency survives reconnects') }),
    responses: { 101: { description: 'Switching protocols' }, ...problemResponses(400, 401, 403, 503) },
  });
  const { engine, decoder, rowFrames, columnarFrames } = ctx;
  const boot = engine.config;
  const producers = new ProducerRegistry(boot.ws.maxProducers, boot.ws.seqWindow);
  const result = new IngestResult();
  const columns = new ColumnScratch(boot.queue.capacity);
  let connectionCounter = 0;

  function send(ws: WebSocket<StreamSocketData>, binary: boolean, message: unknown): void {
    // a view of the encoder's own buffer (no ArrayBuffer per ack): uWS copies what it sends or buffers
    if (binary) ws.send(decoder.encoder.encodeSharedRef(message), true);
    else ws.send(JSON.stringify(message), false);
  }

  function sendError(ws: WebSocket<StreamSocketData>, binary: boolean, seq: number | null, p: Problem): void {
    send(ws, binary, { seq, error: p });
  }

  function ackOf(seq: number, r: IngestResult, rateLimit: RateLimitView | undefined) {
    const rejected = [];
    for (let i = 0; i < r.rejectedIndex.length; i++) {
      const p = problemOf(r.rejectedStatus[i]);
      rejected.push({ index: r.rejectedIndex[i], errors: [{ path: `/events/${r.rejectedIndex[i]}${p.path}`, message: p.message }] });
    }
    return { seq, accepted: r.accepted, lateDropped: r.lateDropped, duplicates: r.duplicates, rejected, ...(rateLimit ? { rateLimit } : {}) };
  }

  /** The rate-limit view of the last frame checked (what its ack carries). */
  let lastLimit: RateLimitView | undefined;

  /** Takes the frame's events from the key's ingest bucket; when refused, acks with retryAfterMs and returns false. */
  function withinLimit(ws: WebSocket<StreamSocketData>, binary: boolean, seq: number, principal: Principal, cost: number): boolean {
    const v = access.take(principal, 'ingest', cost);
    if (v === null) {
      lastLimit = undefined;
      return true;
    }
    lastLimit = { limit: v.limit, remaining: v.remaining, reset: v.resetSec };
    if (v.allowed) return true;
    ctx.tiers.refused(principal.tenant.tier, cost);
    send(ws, binary, { seq, accepted: 0, rejected: [], retryAfterMs: v.retryAfterMs, reason: 'rate_limited', rateLimit: lastLimit });
    return false;
  }

  function onFrame(ws: WebSocket<StreamSocketData>, bytes: Uint8Array, binary: boolean): void {
    const config = engine.config;
    const principal = ws.getUserData().principal;
    // a key revoked or a tenant suspended while the socket is open: refused from the next frame on
    const refusal = access.enabled ? access.refusal(principal, kIngest) : null;
    if (refusal !== null) {
      sendError(ws, binary, null, refusal);
      ws.end(kClosePolicy, refusal.title);
      return;
    }
    const retryAfterMs = config.queue.retryAfterMs;
    // a msgpack rows frame is read straight into reused events; any other frame goes to the decoder
    let f: Record<string, unknown> | null = null;
    let seq: unknown;
    let events: unknown;
    let eventCount = 0;
    const rowsRead = binary && rowFrames.tryRead(bytes);
    if (rowsRead) {
      seq = rowFrames.seq;
      events = rowFrames.events;
      eventCount = rowFrames.count;
    } else {
      let frame: unknown;
      try {
        if (binary) {
          const data = ws.getUserData();
          frame = columnarFrames.tryRead(bytes, data.sellerTableBytes ??= new SellerTableBytes(config.ws.sellerTableBytes)) ?? decoder.msgpack(bytes);
        } else {
          frame = decoder.json(bytes);
        }
      } catch (err) {
        if (!(err instanceof DecodeFailure)) throw err;
        sendError(ws, binary, null, problem(binary ? 'invalid_msgpack' : 'invalid_json', err.message, [{ path: '', message: 'frame cannot be decoded' }]));
        return;
      }
      if (typeof frame !== 'object' || frame === null || Array.isArray(frame) || ArrayBuffer.isView(frame)) {
        sendError(ws, binary, null, problem('invalid_frame', 'a frame is an object {seq, events} or a columnar frame', [{ path: '', message: 'must be an object' }]));
        return;
      }
      f = frame as Record<string, unknown>;
      seq = f.seq;
      events = f.events;
      if (Array.isArray(events)) eventCount = events.length;
    }
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
      sendError(ws, binary, null, problem('invalid_frame', 'seq must be a non-negative integer', [{ path: '/seq', message: 'must be a non-negative integer' }]));
      return;
    }
    const seqs = ws.getUserData().seqs;
    const state = seqs.state(seq);
    if (state === SeqState.Acked) {
      // the first ack may still be waiting for the log: a repeat is not acked before it could be
      const repeat = { seq, ...seqs.recorded(seq), rejected: [], duplicate: true };
      const durable = engine.whenAllDurable();
      if (durable === null) send(ws, binary, repeat);
      else durable.then(() => ctx.sockets.has(ws) && send(ws, binary, repeat), (err: unknown) => engine.log.error({ err }, 'durable ack failed'));
      return;
    }
    if (state === SeqState.TooOld) {
      sendError(ws, binary, seq, problem('seq_too_old', `seq ${seq} is older than the last ${config.ws.seqWindow} frames; nothing was counted`,
        [{ path: '/seq', message: 'outside the idempotency window' }]));
      return;
    }
    if (ctx.isClosing()) {
      send(ws, binary, { seq, accepted: 0, rejected: [], retryAfterMs, reason: 'shutting_down' });
      return;
    }
    if (ws.getBufferedAmount() > config.ws.softBackpressureBytes) {
      send(ws, binary, { seq, accepted: 0, rejected: [], retryAfterMs, reason: 'backpressure' });
      return;
    }
    const now = Date.now();
    const tenantId = principal.tenant.id;
    const tier = principal.tenant.tier;
    if (events !== undefined) {
      if (!Array.isArray(events) || eventCount === 0) {
        sendError(ws, binary, seq, problem('invalid_frame', 'events must be a non-empty array', [{ path: '/events', message: 'must be a non-empty array' }]));
        return;
      }
      if (eventCount > config.limits.maxFrameEvents) {
        sendError(ws, binary, seq, problem('frame_too_large', `${eventCount} events; at most ${config.limits.maxFrameEvents} per frame`,
          [{ path: '/events', message: `at most ${config.limits.maxFrameEvents} events` }]));
        return;
      }
      if (!withinLimit(ws, binary, seq, principal, eventCount)) return;
      if (rowsRead) engine.ingestRowEvents(tenantId, rowFrames.events, eventCount, now, result);
      else engine.ingestEvents(tenantId, events, now, result);
      ctx.tiers.add(tier, result, eventCount);
    } else if (f !== null && f.timestamps !== undefined) {
      let cols;
      try {
        cols = decodeColumnar(f, config.limits.maxFrameEvents, config.limits.maxFrameSellers, columns);
      } catch (err) {
        if (!(err instanceof FrameError)) throw err;
        sendError(ws, binary, seq, problem('invalid_frame', err.message, err.errors));
        return;
      }
      if (!withinLimit(ws, binary, seq, principal, cols.length)) return;
      const data = ws.getUserData();
      data.sellerTable ??= new SellerTableMemo(config.limits.maxFrameSellers);
      engine.ingestColumnar(tenantId, cols, now, result, data.sellerTable);
      ctx.tiers.add(tier, result, cols.length);
    } else {
      sendError(ws, binary, seq, problem('invalid_frame', 'a frame needs events (rows) or timestamps (columnar)', [{ path: '/events', message: 'required' }]));
      return;
    }
    if (result.queueFull) {
      send(ws, binary, { seq, accepted: 0, rejected: [], retryAfterMs, reason: 'queue_full' });
      return;
    }
    seqs.record(seq, { accepted: result.accepted, lateDropped: result.lateDropped, duplicates: result.duplicates, rejected: result.rejectedIndex.length });
    const ack = ackOf(seq, result, lastLimit);
    const durable = engine.whenDurable(result);
    if (durable === null) send(ws, binary, ack);
    else {
      // wal mode: the ack goes once the frame's events are in the synced logs; a socket closed
      // meanwhile gets none (the producer re-sends the seq and is acked as a duplicate)
      durable.then(() => {
        if (ctx.sockets.has(ws)) send(ws, binary, ack);
      }, (err: unknown) => engine.log.error({ err }, 'durable ack failed'));
    }
  }

  const turns = new FrameTurns<WebSocket<StreamSocketData>>({
    turnMs: () => engine.config.ws.frameTurnMs,
    maxFrames: boot.ws.maxWaitingFrames,
    pooledFrameBytes: boot.ws.pooledFrameBytes,
    isOpen: (ws) => ctx.sockets.has(ws),
    beforeTurn: () => ctx.router.responseBatch.flush(),
    cork: (ws, work) => ws.cork(work),
    process: (ws, message, isBinary) => {
      try {
        onFrame(ws, message, isBinary);
      } catch (err) {
        engine.log.error({ err }, 'stream frame failed');
        ws.end(kClosePolicy, 'internal error');
      }
    },
  });

  app.ws<StreamSocketData>('/stream', {
    compression: 0,
    maxPayloadLength: boot.limits.maxFrameBytes,
    idleTimeout: boot.ws.idleTimeoutSec,
    maxBackpressure: boot.ws.maxBackpressureBytes,
    closeOnBackpressureLimit: 1,
    upgrade: (res, req, context) => {
      const requested = req.getQuery('producer') ?? '';
      const up = beginUpgrade(ctx.router, res, req, '/stream', kIngest, ctx.isClosing);
      if (up === null) return;
      const { state, principal, key, protocol, extensions } = up;
      if (requested !== '' && !kProducerPattern.test(requested)) {
        sendProblem(res, state, problem('invalid_query', 'producer must match ^[A-Za-z0-9_.:-]{1,64}$', [{ path: 'query/producer', message: 'invalid' }]));
        return;
      }
      // producer names are the tenant's own: two tenants' "p1" never share a seq window
      const producer = requested !== '' ? `p:${principal.tenant.id}:${requested}` : `c:${++connectionCounter}`;
      upgraded(state);
      res.upgrade<StreamSocketData>({ producer, seqs: producers.get(producer), principal, sellerTable: null, sellerTableBytes: null }, key, protocol, extensions, context);
    },
    open: (ws) => {
      ctx.sockets.add(ws);
    },
    message: (ws, message, isBinary) => turns.push(ws, message, isBinary),
    close: (ws) => {
      ctx.sockets.delete(ws);
    },
  });
  return { flush: () => turns.flush() };
}
