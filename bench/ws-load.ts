/**
 * WebSocket load generator. Several connections, each with a window of in-flight slots; every
 * frame is pre-encoded before the timed part and a slot patches a fresh seq into its own copy.
 *
 * - Closed loop (eventsPerSec 0): a slot sends its next frame as soon as its ack arrives — the
 *   maximum sustainable rate; latency then is roughly in-flight events / throughput.
 * - Paced (eventsPerSec > 0): frames are due at a fixed rate (open loop); a due frame waits for a
 *   free slot if the window is full, and its latency counts from when it was due (no coordinated
 *   omission).
 *
 * An ack with retryAfterMs re-sends the same bytes (same seq) after the delay. Accepted events are
 * counted from the acks; the rate uses acks received before the deadline; frames in flight then get
 * a bounded grace period (counted in the totals used for the ring check).
 */
import { performance } from 'node:perf_hooks';
import { decode } from '@msgpack/msgpack';
import { benchConfig, kMsPerSec } from './bench-config.js';
import { LatencyRecorder, type LatencySummary } from './latency-recorder.js';
import { patchSeq, type WsFormat } from './ws-frames.js';
import { Connection, prepareTemplates, type Slot } from './ws-connection.js';
import { Pacer } from './ws-pacer.js';

export interface WsLoadJob {
  url: string;
  /** Producer ids are `${producerPrefix}c${connection}`. */
  producerPrefix: string;
  format: WsFormat;
  eventsPerFrame: number;
  /** Offered rate over all connections; 0 = closed loop (as fast as acks come back). */
  eventsPerSec: number;
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
  /** Paced mode: frames that were due but never sent before the deadline (window full). */
  missedFrames: number;
  errors: number;
  firstError: string | null;
  unackedAtEnd: number;
  ackLatency: LatencySummary;
  completionLatency: LatencySummary;
}

interface Ack {
  seq?: unknown;
  accepted?: unknown;
  retryAfterMs?: unknown;
  reason?: unknown;
  duplicate?: unknown;
  error?: unknown;
}

export class WsLoad {
  readonly #job: WsLoadJob;
  readonly #paced: boolean;
  readonly #connections: Connection[] = [];
  readonly #pacers: Pacer[] = [];
  readonly #ackLatency = new LatencyRecorder();
  readonly #completion = new LatencyRecorder();
  readonly #acceptedByType: number[];
  readonly #retryReasons: Record<string, number> = {};
  #deadline = Infinity;
  #acceptedInWindow = 0;
  #acceptedTotal = 0;
  #framesAcked = 0;
  #framesInWindow = 0;
  #partial = 0;
  #retries = 0;
  #errors = 0;
  #firstError: string | null = null;
  #onIdle: (() => void) | null = null;

  constructor(job: WsLoadJob) {
    this.#job = job;
    this.#paced = job.eventsPerSec > 0;
    this.#acceptedByType = benchConfig.fixtures.eventTypes.map(() => 0);
  }

  /** Builds the frames and opens the connections (before the timed part). */
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
    if (this.#paced) this.#startPacers(start);
    else for (const conn of this.#connections) for (const slot of conn.slots) this.#sendFresh(conn, slot, start);
    await new Promise<void>((resolve) => setTimeout(resolve, job.durationMs));
    const elapsedMs = performance.now() - start;
    onLoadEnded();
    for (const p of this.#pacers) p.stop();
    const missedFrames = this.#connections.reduce((n, c) => n + c.backlog.length, 0);
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
      elapsedMs, acceptedInWindow: this.#acceptedInWindow, acceptedTotal: this.#acceptedTotal, acceptedByType: this.#acceptedByType,
      framesAcked: this.#framesAcked, framesInWindow: this.#framesInWindow, partialFrames: this.#partial, retries: this.#retries,
      retryReasons: this.#retryReasons, missedFrames, errors: this.#errors, firstError: this.#firstError, unackedAtEnd: unacked,
      ackLatency: this.#ackLatency.summary(), completionLatency: this.#completion.summary(),
    };
  }

  #startPacers(start: number): void {
    const job = this.#job;
    const intervalMs = (job.connections * job.eventsPerFrame * kMsPerSec) / job.eventsPerSec;
    this.#connections.forEach((conn, c) => {
      conn.free.push(...conn.slots);
      const pacer = new Pacer(intervalMs, start + (c * intervalMs) / job.connections, this.#deadline, (due) => {
        const slot = conn.free.pop();
        if (slot) this.#sendFresh(conn, slot, due);
        else conn.backlog.push(due);
      });
      this.#pacers.push(pacer);
      pacer.start();
    });
  }

  #fail(message: string): void {
    this.#errors++;
    this.#firstError ??= message;
  }

  #checkIdle(): void {
    if (this.#onIdle && this.#connections.every((c) => c.idle)) this.#onIdle();
  }

  #transmit(conn: Connection, slot: Slot): void {
    conn.socket.send(slot.frame.bytes, { binary: slot.frame.binary });
  }

  /** Sends a new seq from `slot`; `intendedAt` is when it was due (latency counts from there). */
  #sendFresh(conn: Connection, slot: Slot, intendedAt: number): void {
    if (performance.now() >= this.#deadline || !conn.isOpen) {
      this.#checkIdle();
      return;
    }
    slot.seq = conn.nextSeq++;
    patchSeq(slot.frame, slot.seq);
    conn.inFlight.set(slot.seq, slot);
    slot.firstSentAt = intendedAt;
    slot.sentAt = intendedAt;
    this.#transmit(conn, slot);
  }

  /** The slot's frame is done (acked or failed): reuse the slot. */
  #release(conn: Connection, slot: Slot, now: number): void {
    if (!this.#paced) {
      this.#sendFresh(conn, slot, now);
      return;
    }
    const due = conn.backlog.shift();
    if (due !== undefined && now < this.#deadline) this.#sendFresh(conn, slot, due);
    else conn.free.push(slot);
    this.#checkIdle();
  }

  #retry(conn: Connection, slot: Slot, ack: Ack, now: number): void {
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
      if (conn.isOpen) {
        slot.sentAt = performance.now();
        this.#transmit(conn, slot);
      } else {
        conn.inFlight.delete(slot.seq);
      }
      this.#checkIdle();
    }, Number(ack.retryAfterMs));
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
      this.#retry(conn, slot, ack, now);
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
    this.#release(conn, slot, now);
  }
}

export async function runWsLoad(job: WsLoadJob, onReady: () => Promise<void>, onLoadEnded: () => void): Promise<WsLoadResult> {
  const load = new WsLoad(job);
  await load.prepare();
  await onReady();
  return load.run(onLoadEnded);
}
