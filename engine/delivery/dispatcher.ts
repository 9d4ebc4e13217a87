/**
 * Reliable, tenant-scoped event delivery to webhooks.
 *
 *   enqueue(tenant, event, payload, key) ──one LMDB transaction──▶ deliveries + due index [at, id]
 *                                                                        │ pump (one unref'd timer)
 *   attempt ◀── due, under the global and per-tenant limits ─────────────┘
 *     │  signed POST, AbortSignal.timeout
 *     ├─ 2xx ─────────────▶ delivered
 *     ├─ else, attempts left ─▶ pending, due again after backoff (backoff.ts)
 *     └─ else ────────────▶ dead (dead letter)          every attempt logged (delivery-queue.ts)
 *
 * Only the enqueue write is ever awaited by a caller; attempts run beside everything else, and a
 * dead or hanging receiver holds at most its tenant's `concurrency.perTenant` slots until its
 * timeout. Pending deliveries survive restarts: start() picks them up (an attempt cut short by a
 * crash is made again — receivers deduplicate by the idempotency key).
 */
import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import type { DeliveryConfig } from '../../config/delivery-schema.js';
import type { Store } from '../store/store.js';
import type { Page } from '../store/paging.js';
import { newDeliveryId, type DeliveryRecord, type DeliveryState } from './delivery-record.js';
import { DeliveryQueue, settle, type DeliveryView, type DueEntry } from './delivery-queue.js';
import { WebhookRegistry } from './webhook-registry.js';
import { SecretBox } from './secret-box.js';
import { jitterFor, type JitterSource } from './backoff.js';
import { sendAttempt, type AttemptOutcome } from './send-attempt.js';
import { kMsPerDay } from '../time-units.js';

/** Idempotency keys travel in a header: visible ASCII only. */
const kKeyPattern = /^[\x21-\x7e]+$/;

export interface EnqueueRequest {
  tenantId: string;
  /** One of kDeliveryEvents; only webhooks subscribed to it get a delivery. */
  event: string;
  /** Any JSON value; sent as `data`. */
  payload: unknown;
  idempotencyKey: string;
}

export interface DispatcherOptions {
  store: Store;
  /** The server secret (engine/tenancy/server-secret.ts): signing secrets are sealed under a key derived from it. */
  serverSecret: Buffer;
  config: () => Readonly<Config>;
  log: Logger;
  /** Wall clock for records and schedules (default Date.now). */
  now?: () => number;
  /** Overrides the configured jitter draw (tests). */
  jitter?: JitterSource;
}

export class DeliveryDispatcher {
  readonly webhooks: WebhookRegistry;
  readonly queue: DeliveryQueue;
  readonly stats = { delivered: 0, failedAttempts: 0, dead: 0 };
  readonly #config: () => Readonly<Config>;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #jitter: JitterSource | undefined;
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #perTenant = new Map<string, number>();
  readonly #stop = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  #running = false;

  constructor(opts: DispatcherOptions) {
    this.webhooks = new WebhookRegistry(opts.store, new SecretBox(opts.serverSecret));
    this.queue = new DeliveryQueue(opts.store);
    this.#config = opts.config;
    this.#log = opts.log.child({ component: 'delivery' });
    this.#now = opts.now ?? Date.now;
    this.#jitter = opts.jitter;
  }

  /** Starts dispatching, beginning with whatever was pending when the server last stopped. */
  start(): void {
    this.#running = true;
    this.#wake(0);
  }

  /** One delivery per webhook of the tenant subscribed to `event`; resolves once they are stored. */
  async enqueue(req: EnqueueRequest): Promise<DeliveryRecord[]> {
    const hooks = this.webhooks.subscribers(req.tenantId, req.event);
    if (hooks.length === 0) return [];
    const cfg = this.#config().delivery;
    if (req.idempotencyKey.length > cfg.maxIdempotencyKeyLength || !kKeyPattern.test(req.idempotencyKey)) {
      throw new RangeError(`idempotency key must be 1–${cfg.maxIdempotencyKeyLength} visible ASCII characters`);
    }
    const bytes = Buffer.byteLength(JSON.stringify(req.payload ?? null));
    if (bytes > cfg.maxPayloadBytes) throw new RangeError(`payload of ${bytes} bytes exceeds delivery.maxPayloadBytes (${cfg.maxPayloadBytes})`);
    const now = this.#now();
    const records = hooks.map((w) => newDelivery(w.tenantId, w.id, req, null, now, cfg));
    await this.queue.add(records);
    this.#wake(0);
    return records;
  }

  /** Sends a past event again to the tenant's current subscribers, with the SAME idempotency key. */
  replay(tenantId: string, event: string, payload: unknown, idempotencyKey: string): Promise<DeliveryRecord[]> {
    return this.enqueue({ tenantId, event, payload, idempotencyKey });
  }

  /** Sends one past delivery again to its webhook (same event, payload and idempotency key); undefined if not the tenant's or its webhook is gone. */
  async redeliver(tenantId: string, deliveryId: string): Promise<DeliveryRecord | undefined> {
    const d = this.queue.get(deliveryId);
    if (d === undefined || d.tenantId !== tenantId || this.webhooks.get(tenantId, d.webhookId) === undefined) return undefined;
    const record = newDelivery(tenantId, d.webhookId, d, d.id, this.#now(), this.#config().delivery);
    await this.queue.add([record]);
    this.#wake(0);
    return record;
  }

  /** A webhook's deliveries (newest first, with attempt logs); undefined when the tenant has no such webhook. */
  deliveries(tenantId: string, webhookId: string, state: DeliveryState | undefined, limit: number, cursor: string | undefined): Page<DeliveryView> | undefined {
    if (this.webhooks.get(tenantId, webhookId) === undefined) return undefined;
    return this.queue.page(webhookId, state, limit, cursor);
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Stops dispatching; waits up to delivery.stopTimeoutMs for attempts in flight, then aborts them (they stay pending). */
  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const all = Promise.allSettled([...this.#inFlight.values()]);
    let bound: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((resolve) => (bound = setTimeout(resolve, this.#config().delivery.stopTimeoutMs)))]);
    clearTimeout(bound);
    this.#stop.abort();
    await all;
  }

  /** Runs the pump after `delayMs` unless it is already due sooner. */
  #wake(delayMs: number): void {
    if (!this.#running) return;
    const at = this.#now() + delayMs;
    if (this.#timer !== undefined && this.#timerAt <= at) return;
    clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = Infinity;
      this.#pump();
    }, delayMs);
    this.#timer.unref();
  }

  /** Starts every due attempt the limits allow, then sleeps until the next due time (or idlePollMs). */
  #pump(): void {
    if (!this.#running) return;
    const cfg = this.#config().delivery;
    const now = this.#now();
    let wakeAt = now + cfg.idlePollMs;
    let scanned = 0;
    for (const e of this.queue.due()) {
      if (e.at > now) {
        wakeAt = Math.min(wakeAt, e.at);
        break;
      }
      // a finishing attempt wakes the pump again
      if (this.#inFlight.size >= cfg.concurrency.global || ++scanned > cfg.scanLimit) break;
      if (this.#inFlight.has(e.id) || (this.#perTenant.get(e.tenantId) ?? 0) >= cfg.concurrency.perTenant) continue;
      this.#launch(e);
    }
    this.#wake(Math.max(0, wakeAt - now));
  }

  #launch(e: DueEntry): void {
    this.#perTenant.set(e.tenantId, (this.#perTenant.get(e.tenantId) ?? 0) + 1);
    let pause = 0;
    const p = this.#attempt(e)
      .catch((err: unknown) => {
        // the store failed: do not spin on the same entry
        pause = this.#config().delivery.idlePollMs;
        this.#log.error({ err, delivery: e.id }, 'delivery attempt could not be recorded');
      })
      .finally(() => {
        this.#inFlight.delete(e.id);
        const n = (this.#perTenant.get(e.tenantId) ?? 1) - 1;
        if (n === 0) this.#perTenant.delete(e.tenantId);
        else this.#perTenant.set(e.tenantId, n);
        this.#wake(pause);
      });
    this.#inFlight.set(e.id, p);
  }

  async #attempt(e: DueEntry): Promise<void> {
    const d = this.queue.get(e.id);
    if (d === undefined || d.state !== 'pending' || d.nextAttemptAt !== e.at) {
      await this.queue.dropDue(e.at, e.id);
      return;
    }
    const cfg = this.#config().delivery;
    let backoff = cfg.backoff;
    let outcome: AttemptOutcome | 'stopped';
    const w = this.webhooks.get(d.tenantId, d.webhookId);
    const secret = w === undefined ? undefined : this.#secret(w);
    if (w === undefined || secret === undefined) {
      // nothing to send to: dead at once, with the reason in its log
      outcome = { at: this.#now(), durationMs: 0, status: null, error: w === undefined ? 'webhook deleted' : 'signing secret cannot be opened' };
      backoff = { ...backoff, maxAttempts: 0 };
    } else {
      outcome = await sendAttempt(d, w.url, secret, cfg.attemptTimeoutMs, this.#stop.signal, this.#now);
      if (outcome === 'stopped') return;
    }
    const jitter = this.#jitter ?? jitterFor(cfg.backoff);
    const { next, attempt } = settle(d, outcome, backoff, jitter(d.id, d.attempts + 1));
    await this.queue.record(d, next, attempt);
    if (next.state === 'delivered') this.stats.delivered++;
    else this.stats.failedAttempts++;
    if (next.state === 'dead') this.stats.dead++;
  }

  #secret(w: Parameters<WebhookRegistry['secretOf']>[0]): string | undefined {
    try {
      return this.webhooks.secretOf(w);
    } catch (err) {
      this.#log.error({ err, webhook: w.id }, 'a webhook signing secret cannot be opened (was server.secret replaced?)');
      return undefined;
    }
  }
}

function newDelivery(tenantId: string, webhookId: string, src: { event: string; payload: unknown; idempotencyKey: string }, replayOf: string | null, now: number, cfg: DeliveryConfig): DeliveryRecord {
  return {
    id: newDeliveryId(now), tenantId, webhookId, event: src.event, payload: src.payload, idempotencyKey: src.idempotencyKey,
    state: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now, deliveredAt: null, replayOf, expiresAt: now + cfg.retentionDays * kMsPerDay,
  };
}
