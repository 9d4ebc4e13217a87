/**
 * WebSocket load generator. Several connections, each keeping a window of frames in flight. Every
 * frame is pre-encoded before the timed part; a slot patches a fresh seq into its own copy, sends
 * it and waits for the ack. An ack with retryAfterMs re-sends the same bytes (same seq) after the
 * delay. Accepted events are counted from the acks; ack latency is measured per transmission,
 * completion latency from the first send of a seq to its final ack. The timed part ends at the
 * deadline; frames in flight then get a bounded grace period to be acked (counted in the totals
 * used for the ring check, not in the rate).
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { decode } from '@msgpack/msgpack';
import { benchConfig } from './bench-config.js';
import { LatencyRecorder, type LatencySummary } from './latency-recorder.js';
import { buildFrame, cloneFrame, patchSeq, type FrameTemplate, type WsFormat } from './ws-frames.js';

export interface WsLoadJob {
  url: string;
  /** Producer ids are `${producerPrefix}c${connection}`. */
  producerPrefix: string;
  format: WsFormat;
  eventsPerFrame: number;
  sellers: string[];
  nowMs: number;
  seed: number;
  connections: number;
  window: number;
  durationMs: number;
  graceMs: number;
  zeroMask: boolean;
}

export interface WsLoadResult {
  elapsedMs: number;
  /** Events accepted by acks received before the deadline. */
  acceptedInWindow: number;
  /** Events accepted including the grace period (what the rings must hold). */
  acceptedTotal: number;
  /** Accepted events per configured type, from fully accepted frames. */
  acceptedByType: number[];
  framesAcked: number;
  framesInWindow: number;
  partialFrames: number;
  retries: number;
  retryReasons: Record<string, number>;
  errors: number;
  firstError: string | null;
  unackedAtEnd: number;
  ackLatency: LatencySummary;
  completionLatency: LatencySummary;
}

interface Slot {
  frame: FrameTemplate;
  seq: number;
  firstSentAt: number;
  sentAt: number;
  timer: NodeJS.Timeout | null;
}

interface Ack {
  seq?: unknown;
  accepted?: unknown;
  retryAfterMs?: unknown;
  reason?: unknown;
  duplicate?: unknown;
  error?: unknown;
}

const zeroMask = (mask: Buffer) => mask.fill(0);

class Connection {
  readonly socket: WebSocket;
  readonly slots: Slot[];
  readonly inFlight = new Map<number, Slot>();
  nextSeq = 1;

  constructor(url: string, templates: FrameTemplate[], window: number, useZeroMask: boolean) {
    this.socket = new WebSocket(url, { perMessageDeflate: false, ...(useZeroMask ? { generateMask: zeroMask } : {}) });
    this.slots = Array.from({ length: window }, (_, i) => ({
      frame: cloneFrame(templates[i % templates.length]), seq: -1, firstSentAt: 0, sentAt: 0, timer: null,
    }));
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
  }
}

export function prepareTemplates(job: WsLoadJob, connection: number): FrameTemplate[] {
  const count = benchConfig.ws.distinctFrames;
  return Array.from({ length: count }, (_, k) => {
    const n = connection * count + k;
    return buildFrame({
      format: job.format, eventsPerFrame: job.eventsPerFrame, sellers: job.sellers, nowMs: job.nowMs,
      seed: job.seed + n, sellerOffset: n * job.eventsPerFrame,
    });
  });
}

/** Opens the connections and builds the frames; `run()` then does the timed part. */
export class WsLoad {
  readonly #job: WsLoadJob;
  readonly #connections: Connection[] = [];
  readonly #ackLatency = new LatencyRecorder();
  readonly #completion = new LatencyRecorder();
  readonly #acceptedByType: number[];
  #deadline = Infinity;
  #acceptedInWindow = 0;
  #acceptedTotal = 0;
  #framesAcked = 0;
  #framesInWindow = 0;
  #partial = 0;
  #retries = 0;
  readonly #retryReasons: Record<string, number> = {};
  #errors = 0;
  #firstError: string | null = null;
  #onIdle: (() => void) | null = null;

  constructor(job: WsLoadJob) {
    this.#job = job;
    this.#acceptedByType = benchConfig.fixtures.eventTypes.map(() => 0);
  }

  async prepare(): Promise<void> {
    const job = this.#job;
    for (let c = 0; c < job.connections; c++) {
      const url = `${job.url}?producer=${encodeURIComponent(`${job.producerPrefix}c${c}`)}`;
      const conn = new Connection(url, prepareTemplates(job, c), job.window, job.zeroMask);
      conn.socket.on('message', (data, isBinary) => this.#onMessage(conn, data as Buffer, isBinary));
      conn.socket.on('error', (err) => this.#fail(`socket error: ${err.message}`));
      conn.socket.on('close', (code) => {
        if (conn.inFlight.size > 0) this.#fail(`socket closed with ${conn.inFlight.size} frames in flight (code ${code})`);
        conn.inFlight.clear();
        this.#checkIdle();
      });
      this.#connections.push(conn);
    }
    await Promise.all(this.#connections.map((c) => c.opened()));
  }

  async run(onLoadEnded: () => void): Promise<WsLoadResult> {
    const job = this.#job;
    const start = performance.now();
    this.#deadline = start + job.durationMs;
    for (const conn of this.#connections) for (const slot of conn.slots) this.#sendNext(conn, slot);
    await new Promise<void>((resolve) => setTimeout(resolve, job.durationMs));
    const elapsedMs = performance.now() - start;
    onLoadEnded();
    await new Promise<void>((resolve) => {
      const grace = setTimeout(resolve, job.graceMs);
      this.#onIdle = () => {
        clearTimeout(grace);
        resolve();
      };
      this.#checkIdle();
    });
    let unacked = 0;
    for (const conn of this.#connections) {
      for (const slot of conn.slots) if (slot.timer) clearTimeout(slot.timer);
      unacked += conn.inFlight.size;
      conn.inFlight.clear();
      conn.socket.terminate();
    }
    return {
      elapsedMs,
      acceptedInWindow: this.#acceptedInWindow,
      acceptedTotal: this.#acceptedTotal,
      acceptedByType: this.#acceptedByType,
      framesAcked: this.#framesAcked,
      framesInWindow: this.#framesInWindow,
      partialFrames: this.#partial,
      retries: this.#retries,
      retryReasons: this.#retryReasons,
      errors: this.#errors,
      firstError: this.#firstError,
      unackedAtEnd: unacked,
      ackLatency: this.#ackLatency.summary(),
      completionLatency: this.#completion.summary(),
    };
  }

  #fail(message: string): void {
    this.#errors++;
    this.#firstError ??= message;
  }

  #checkIdle(): void {
    if (this.#onIdle && this.#connections.every((c) => c.inFlight.size === 0 && c.slots.every((s) => s.timer === null))) {
      this.#onIdle();
    }
  }

  #transmit(conn: Connection, slot: Slot): void {
    slot.sentAt = performance.now();
    conn.socket.send(slot.frame.bytes, { binary: slot.frame.binary });
  }

  #sendNext(conn: Connection, slot: Slot): void {
    if (performance.now() >= this.#deadline || conn.socket.readyState !== WebSocket.OPEN) {
      this.#checkIdle();
      return;
    }
    slot.seq = conn.nextSeq++;
    patchSeq(slot.frame, slot.seq);
    conn.inFlight.set(slot.seq, slot);
    this.#transmit(conn, slot);
    slot.firstSentAt = slot.sentAt;
  }

  #onMessage(conn: Connection, data: Buffer, isBinary: boolean): void {
    const now = performance.now();
    let ack: Ack;
    try {
      ack = (isBinary ? decode(data) : JSON.parse(data.toString('utf8'))) as Ack;
    } catch (err) {
      this.#fail(`undecodable ack: ${(err as Error).message}`);
      return;
    }
    const slot = typeof ack.seq === 'number' ? conn.inFlight.get(ack.seq) : undefined;
    if (slot === undefined) {
      this.#fail(`ack for an unknown seq: ${JSON.stringify(ack).slice(0, 200)}`);
      return;
    }
    this.#ackLatency.record(now - slot.sentAt);
    if (typeof ack.retryAfterMs === 'number' && ack.accepted === 0) {
      this.#retries++;
      const reason = String(ack.reason ?? 'unspecified');
      this.#retryReasons[reason] = (this.#retryReasons[reason] ?? 0) + 1;
      if (now >= this.#deadline) {
        conn.inFlight.delete(slot.seq); // not taken by the server, so nothing to count
        this.#checkIdle();
        return;
      }
      slot.timer = setTimeout(() => {
        slot.timer = null;
        if (conn.socket.readyState === WebSocket.OPEN) this.#transmit(conn, slot);
        else conn.inFlight.delete(slot.seq);
        this.#checkIdle();
      }, ack.retryAfterMs);
      return;
    }
    conn.inFlight.delete(slot.seq);
    if (ack.error !== undefined) {
      this.#fail(`error ack: ${JSON.stringify(ack.error).slice(0, 300)}`);
    } else if (ack.duplicate !== true) {
      const accepted = typeof ack.accepted === 'number' ? ack.accepted : 0;
      this.#framesAcked++;
      this.#acceptedTotal += accepted;
      if (now <= this.#deadline) {
        this.#acceptedInWindow += accepted;
        this.#framesInWindow++;
      }
      if (accepted === slot.frame.events) slot.frame.typeCounts.forEach((n, t) => (this.#acceptedByType[t] += n));
      else this.#partial++;
      this.#completion.record(now - slot.firstSentAt);
    }
    this.#sendNext(conn, slot);
  }
}

export async function runWsLoad(job: WsLoadJob, onReady: () => Promise<void>, onLoadEnded: () => void): Promise<WsLoadResult> {
  const load = new WsLoad(job);
  await load.prepare();
  await onReady();
  return load.run(onLoadEnded);
}
