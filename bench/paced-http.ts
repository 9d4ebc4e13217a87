/**
 * Open-loop HTTP GET load at a constant rate. Latency is measured from the moment the client was ready
 * to send the request (its pacing tick; a request that then waits for a free connection keeps counting,
 * so a slow server cannot hide behind a client that stops sending — no coordinated omission), and,
 * beside it, from the request's scheduled time (wrk2's definition, which adds the client's own timer
 * lateness: Node timers have a 1 ms granularity, and on this VM an idle client's timers run a few ms
 * late at the 99th percentile even against a server that answers in 0.2 ms).
 *
 * Why not autocannon here: its `overallRate` is a per-connection budget per second — each connection
 * sends closed-loop until it has made `rate` requests in the current second, then pauses until the next
 * one-second tick — so "1 000/s" arrives as a burst at the start of every second, and its
 * coordinated-omission correction assumes an interval of ceil(1 / rate) = 1 ms. wrk2, the tool made
 * for paced latency, is not packaged for Debian; this is its method in a few dozen lines over raw
 * keep-alive sockets (pre-built request bytes, a minimal Content-Length response reader — the server
 * under test always sends one), so the client stays cheap beside the server on a 2-core machine.
 * A connection carries one request at a time (no pipelining: uWS answers pipelined requests in order,
 * and an asynchronous answer holds the ones behind it); a request due while every connection is busy
 * waits in the client, and that wait counts in its latency.
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { appendFileSync } from 'node:fs';
import { Pacer } from './ws-pacer.js';
import { LatencyRecorder, type LatencySummary } from './latency-recorder.js';

export interface PacedHttpOptions {
  host: string;
  port: number;
  /** Request paths, used round-robin. */
  paths: readonly string[];
  headers: Readonly<Record<string, string>>;
  perSec: number;
  seconds: number;
  connections: number;
  /** Investigation: every answer slower than overMs is appended to file as `<wall-clock ms at the tick> <latency ms> <CLOCK_MONOTONIC ms at the tick>`. */
  slowLog?: { file: string; overMs: number };
}

export interface PacedHttpResult {
  /** Responses per second over the scheduled duration. */
  rate: number;
  sent: number;
  completed: number;
  non2xx: number;
  /** From the client's pacing tick: includes waiting for a free connection. */
  latency: LatencySummary;
  /** From the scheduled send time: adds the client's timer lateness. */
  fromSchedule: LatencySummary;
}

const kHeaderEnd = Buffer.from('\r\n\r\n');
const kContentLength = /\r\ncontent-length:\s*(\d+)/i;
const kStatusOffset = 'HTTP/1.1 '.length;
/** How long after the last scheduled request the client waits for answers before giving up. */
const kDrainTimeoutMs = 10_000;
const kNsPerMs = 1e6;

interface Due {
  scheduledAt: number;
  readyAt: number;
}

/** One keep-alive connection, one request at a time. */
class PacedConnection {
  readonly socket: Socket;
  #current: Due | null = null;
  #buffer: Buffer = Buffer.alloc(0);
  readonly #onResponse: (status: number, o: Due, at: number, conn: PacedConnection) => void;

  constructor(socket: Socket, onResponse: (status: number, o: Due, at: number, conn: PacedConnection) => void) {
    this.socket = socket;
    this.#onResponse = onResponse;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      try {
        this.#read(chunk);
      } catch (err) {
        socket.destroy(err as Error);
      }
    });
  }

  get idle(): boolean {
    return this.#current === null;
  }

  send(request: Buffer, due: Due): void {
    this.#current = due;
    this.socket.write(request);
  }

  #read(chunk: Buffer): void {
    const now = performance.now();
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const headerEnd = this.#buffer.indexOf(kHeaderEnd);
      if (headerEnd < 0) return;
      const head = this.#buffer.toString('latin1', 0, headerEnd);
      const length = kContentLength.exec(head);
      if (length === null) throw new Error(`response without Content-Length: ${head.slice(0, 80)}`);
      const end = headerEnd + kHeaderEnd.length + Number(length[1]);
      if (this.#buffer.length < end) return;
      const status = Number(head.slice(kStatusOffset, kStatusOffset + 3));
      const o = this.#current;
      if (o === null) throw new Error('response without a request');
      this.#current = null;
      this.#buffer = this.#buffer.subarray(end);
      this.#onResponse(status, o, now, this);
    }
  }
}

function open(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => resolve(socket)).once('error', reject);
  });
}

export async function pacedHttp(o: PacedHttpOptions): Promise<PacedHttpResult> {
  const headerLines = Object.entries(o.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const requests = o.paths.map((p) => Buffer.from(`GET ${p} HTTP/1.1\r\nHost: ${o.host}:${o.port}\r\n${headerLines}\r\n`, 'latin1'));
  const latency = new LatencyRecorder();
  const fromSchedule = new LatencyRecorder();
  let sent = 0;
  let completed = 0;
  let non2xx = 0;
  let allDone: () => void = () => {};
  const done = new Promise<void>((resolve) => (allDone = resolve));
  let pacing = true;
  const slow: string[] = [];
  // CLOCK_MONOTONIC of performance.now() 0, to set slow answers beside `perf sched record -k CLOCK_MONOTONIC`
  const monotonicOffsetMs = Number(process.hrtime.bigint()) / kNsPerMs - performance.now();
  /** Requests due while every connection was busy, oldest first. */
  const waiting: Due[] = [];
  const sendNext = (conn: PacedConnection, due: Due): void => {
    conn.send(requests[sent % requests.length], due);
    sent++;
  };
  const onResponse = (status: number, r: Due, at: number, conn: PacedConnection): void => {
    completed++;
    if (status < 200 || status > 299) non2xx++;
    latency.record(at - r.readyAt);
    if (o.slowLog !== undefined && at - r.readyAt > o.slowLog.overMs) slow.push(`${Math.round(performance.timeOrigin + r.readyAt)} ${(at - r.readyAt).toFixed(2)} ${(r.readyAt + monotonicOffsetMs).toFixed(3)}\n`);
    fromSchedule.record(at - r.scheduledAt);
    const next = waiting.shift();
    if (next !== undefined) sendNext(conn, next);
    else if (!pacing && completed === sent) allDone();
  };
  const sockets = await Promise.all(Array.from({ length: o.connections }, () => open(o.host, o.port)));
  const conns = sockets.map((s) => new PacedConnection(s, onResponse));
  let failure: Error | null = null;
  for (const s of sockets) s.on('error', (err) => { failure ??= err; allDone(); });
  const intervalMs = 1000 / o.perSec;
  const start = performance.now();
  const deadline = start + o.seconds * 1000;
  await new Promise<void>((resolve) => {
    const pacer = new Pacer(intervalMs, start, deadline, (scheduledAt) => {
      const due = { scheduledAt, readyAt: performance.now() };
      const idle = conns.find((c) => c.idle);
      if (idle === undefined) waiting.push(due);
      else sendNext(idle, due);
    });
    pacer.start();
    setTimeout(() => { pacer.stop(); resolve(); }, deadline - performance.now());
  });
  pacing = false;
  if (failure === null && (completed < sent || waiting.length > 0)) {
    const timeout = setTimeout(allDone, kDrainTimeoutMs);
    await done;
    clearTimeout(timeout);
  }
  for (const s of sockets) s.destroy();
  if (o.slowLog !== undefined) appendFileSync(o.slowLog.file, slow.join(''));
  if (failure !== null) throw failure;
  return { rate: completed / o.seconds, sent, completed, non2xx, latency: latency.summary(), fromSchedule: fromSchedule.summary() };
}
