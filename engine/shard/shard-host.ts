/**
 * Main-thread handle of one shard: owns the ingest queue (so queued events survive a worker crash),
 * spawns the worker, sends control requests and restarts a crashed worker.
 */
import { Worker, MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Config, ConfigVersion } from '../../config/index.js';
import { allocateQueue, QueueProducer, type QueueBuffers } from '../queue/spsc-queue.js';
import type { ShardReply, ShardRequest, ShardWorkerData } from './messages.js';
import { kReadyMessage, drainsQueue } from './messages.js';
import { allocateRequestPriority, RequestPriorityRaiser } from './request-priority.js';
import type { DurableMessage } from './worker-wal.js';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };
type RequestBody = ShardRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class ShardError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** The refusal to raise a worker for requests is the same for every shard: said once per process. */
let requestPriorityRefusalLogged = false;

const kWorkerUrl = new URL('./shard-worker.js', import.meta.url);

export class ShardHost {
  readonly index: number;
  readonly producer: QueueProducer;
  readonly #queue: QueueBuffers;
  /** The config version in force (read at each use: versions change while the shard runs). */
  readonly #version: () => ConfigVersion;
  readonly #log: Logger;
  readonly #pending = new Map<number, Pending>();
  #worker: Worker | undefined;
  #port: MessagePort | undefined;
  #nextId = 1;
  #stopping = false;
  #ready: Promise<void> = Promise.resolve();
  restarts = 0;
  #walStart: RequestBody | undefined;
  /** Events written to this shard's queue since start: what a crash can lose. */
  enqueued = 0;
  readonly #requestPriority = allocateRequestPriority();
  readonly #raiser = new RequestPriorityRaiser(this.#requestPriority);

  readonly #onDurable: (upTo: number) => void;

  constructor(index: number, version: () => ConfigVersion, log: Logger, onDurable: (upTo: number) => void = () => {}) {
    this.index = index;
    this.#onDurable = onDurable;
    this.#version = version;
    const config = version().config;
    this.#log = log.child({ shard: index });
    this.#queue = allocateQueue(config.queue.capacity);
    // in wal mode every ack waits for the worker to fold and sync, so a parked worker is woken at
    // once (one futex wake per park); otherwise only a filling queue wakes it before parkMs
    this.producer = new QueueProducer(this.#queue, config.durability.mode === 'wal' ? 1 : config.queue.wakeDepth);
  }

  get #config(): Readonly<Config> {
    return this.#version().config;
  }

  get worker(): Worker | undefined {
    return this.#worker;
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  /**
   * Brings a restarted worker's rings back from the store before it folds anything new (set by the
   * persistence layer); without it a restarted worker starts empty.
   */
  recover: ((shard: number) => Promise<void>) | undefined;

  start(paused = false): Promise<void> {
    const { port1, port2 } = new MessageChannel();
    const workerData: ShardWorkerData & { port: MessagePort } = {
      index: this.index,
      config: this.#config,
      configVersion: this.#version().id,
      startPaused: paused,
      queue: this.#queue,
      requestPriority: this.#requestPriority,
      port: port2,
    };
    this.#raiser.reset();
    const worker = new Worker(kWorkerUrl, { workerData, transferList: [port2], name: `shard-${this.index}` });
    this.#worker = worker;
    this.#port = port1;
    this.#ready = new Promise<void>((resolve, reject) => {
      const onEarlyExit = (code: number) => reject(new Error(`shard ${this.index} exited during start-up (code ${code})`));
      worker.once('exit', onEarlyExit);
      port1.on('message', (msg: ShardReply | DurableMessage | typeof kReadyMessage) => {
        if (msg === kReadyMessage) {
          worker.off('exit', onEarlyExit);
          this.#reportRequestPriority();
          resolve();
          return;
        }
        if ('op' in msg) this.#onDurable(msg.upTo);
        else this.#settle(msg);
      });
    });
    worker.on('error', (err) => this.#log.error({ err }, 'shard worker error'));
    worker.on('exit', (code) => this.#onExit(worker, code));
    return this.#ready;
  }

  #reportRequestPriority(): void {
    const { workerNice, requestNice } = this.#config.shard;
    if (requestNice >= workerNice || this.#raiser.enabled || requestPriorityRefusalLogged) return;
    requestPriorityRefusalLogged = true;
    this.#log.warn(
      { workerNice, requestNice },
      `shard workers handle requests (queries, snapshot slices) at nice ${workerNice}, not ${requestNice}: this process may not raise a thread's priority ` +
        '(grant CAP_SYS_NICE, or an RLIMIT_NICE of at least 20 - requestNice, e.g. systemd LimitNICE=)',
    );
  }

  #settle(msg: ShardReply): void {
    const p = this.#pending.get(msg.id);
    if (!p) return;
    this.#pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.ok) p.resolve(msg.value);
    else p.reject(new ShardError(msg.code, msg.message));
  }

  #onExit(worker: Worker, code: number): void {
    if (worker !== this.#worker) return;
    // 'exit' and the port's last messages race: settle what the worker said before it went away
    const port = this.#port;
    if (port) {
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
        const msg = m.message as ShardReply | DurableMessage | typeof kReadyMessage;
        if (msg === kReadyMessage) continue;
        if ('op' in msg) this.#onDurable(msg.upTo);
        else this.#settle(msg);
      }
      port.close();
    }
    for (const [id, p] of this.#pending) {
      clearTimeout(p.timer);
      p.reject(new ShardError('shard_unavailable', `shard ${this.index} stopped`));
      this.#pending.delete(id);
    }
    if (this.#stopping) return;
    this.restarts++;
    this.#log.error(
      { code, restarts: this.restarts, lostEvents: this.enqueued - this.#queueBacklog() },
      `shard ${this.index} worker exited unexpectedly: its in-memory rings are lost ` +
        `(about ${this.enqueued - this.#queueBacklog()} folded events since start); the new worker takes them back ` +
        'from the stored snapshot and, in wal mode, its log (snapshot mode: what came after the last snapshot is lost); ' +
        `events still queued are kept; restarting in ${this.#config.shard.restartDelayMs} ms`,
    );
    this.enqueued = this.#queueBacklog();
    this.#port = undefined;
    // requests made while the worker restarts wait for it (the queue keeps taking events meanwhile)
    this.#ready = new Promise<void>((resolve, reject) => {
      setTimeout(() => {
        if (this.#stopping) reject(new ShardError('shard_unavailable', `shard ${this.index} is stopping`));
        else {
          const recover = this.recover;
          this.start(recover !== undefined)
            // a restarted worker logs again (wal mode), then gets its stored rings back, before any
            // other request (they wait on this promise) reaches it
            .then(() => (this.#walStart ? this.#send(this.#walStart, this.#config.shard.queryTimeoutMs) : undefined))
            .then(() => (recover ? recover(this.index) : undefined))
            .then(() => {
              if (recover) this.#log.warn({ shard: this.index }, 'restarted shard recovered its rings from the store');
              resolve();
            }, reject);
        }
      }, this.#config.shard.restartDelayMs);
    });
    this.#ready.catch((err) => this.#log.error({ err }, 'shard restart failed'));
  }

  #queueBacklog(): number {
    return this.producer.depth();
  }

  /** Sends a control request; resolves with the worker's reply value. */
  async request<T>(body: RequestBody, timeoutMs = this.#config.shard.queryTimeoutMs): Promise<T> {
    await this.#ready;
    if (body.op === 'walStart') this.#walStart = body;
    return this.#send<T>(body, timeoutMs);
  }

  /** A request that does not wait for the worker to be ready (recovery of a restarted worker). */
  requestNow<T>(body: RequestBody, timeoutMs = this.#config.shard.queryTimeoutMs): Promise<T> {
    return this.#send<T>(body, timeoutMs);
  }

  #send<T>(body: RequestBody, timeoutMs: number): Promise<T> {
    const port = this.#port;
    if (!port || this.#stopping && body.op !== 'stop' && body.op !== 'drain' && body.op !== 'stats') {
      throw new ShardError('shard_unavailable', `shard ${this.index} is stopping`);
    }
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new ShardError('shard_timeout', `shard ${this.index} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      if (!drainsQueue(body)) this.#raiser.raise(this.#config.shard.requestNice);
      port.postMessage({ ...body, id });
      this.producer.wake();
    });
  }

  /** Folds everything queued, stops the worker and waits for it to exit. */
  async stop(): Promise<number> {
    if (!this.#worker) return 0;
    const worker = this.#worker;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    this.#stopping = true;
    let folded = 0;
    try {
      folded = await this.request<number>({ op: 'stop' }, this.#config.shard.drainTimeoutMs);
    } catch (err) {
      this.#log.warn({ err }, 'shard did not stop cleanly; terminating');
      await worker.terminate();
    }
    await exited;
    return folded;
  }
}
