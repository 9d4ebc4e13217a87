/**
 * The delivery queue in LMDB (survives restarts): delivery records, the due index
 * [nextAttemptAt, id] → tenant id of pending deliveries, the per-webhook log index and the attempt
 * log. Each change of a delivery — enqueue, an attempt's outcome — is one transaction, so a crash
 * leaves it either before the attempt (attempted again: the receiver dedups by idempotency key) or
 * after it.
 */
import type { Store } from '../store/store.js';
import { pageOf, type Page } from '../store/paging.js';
import type { DeliveryConfig } from '../../config/delivery-schema.js';
import type { AttemptRecord, DeliveryRecord, DeliveryState } from './delivery-record.js';
import { backoffDelay } from './backoff.js';
import { isDelivered, type AttemptOutcome } from './send-attempt.js';

/** A delivery as listed: its state and every attempt, without the payload. */
export type DeliveryView = Omit<DeliveryRecord, 'payload' | 'tenantId'> & { log: AttemptRecord[] };

export interface DueEntry {
  at: number;
  id: string;
  tenantId: string;
}

/** An attempt's outcome applied to its delivery: the next record and the attempt's log entry. */
export function settle(d: DeliveryRecord, o: AttemptOutcome, backoff: DeliveryConfig['backoff'], r: number): { next: DeliveryRecord; attempt: AttemptRecord } {
  const attempts = d.attempts + 1;
  const ok = isDelivered(o);
  const retry = !ok && attempts < backoff.maxAttempts;
  const nextDelayMs = retry ? backoffDelay(backoff, attempts, r) : null;
  const state: DeliveryState = ok ? 'delivered' : retry ? 'pending' : 'dead';
  const done = o.at + o.durationMs;
  const next: DeliveryRecord = {
    ...d, attempts, state, nextAttemptAt: nextDelayMs === null ? null : done + nextDelayMs, deliveredAt: ok ? done : null,
  };
  const attempt: AttemptRecord = {
    deliveryId: d.id, attempt: attempts, at: o.at, durationMs: o.durationMs, status: o.status, error: o.error, nextDelayMs, expiresAt: d.expiresAt,
  };
  return { next, attempt };
}

export class DeliveryQueue {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  get(id: string): DeliveryRecord | undefined {
    return this.#store.deliveries.get(id);
  }

  /** Writes new pending deliveries, due at their nextAttemptAt. */
  async add(records: readonly DeliveryRecord[]): Promise<void> {
    const s = this.#store;
    await s.root.transaction(() => {
      for (const d of records) {
        void s.deliveries.put(d.id, d);
        void s.deliveryDue.put([d.nextAttemptAt!, d.id], d.tenantId);
        void s.deliveryIndex.put([d.webhookId, d.createdAt, d.id], d.id);
      }
    });
  }

  /** Pending deliveries, soonest first (a lazy range over the due index). */
  *due(): Generator<DueEntry> {
    for (const { key, value } of this.#store.deliveryDue.getRange()) {
      const k = key as [number, string];
      yield { at: k[0], id: k[1], tenantId: value };
    }
  }

  /** Stores an attempt and the delivery's new state in one transaction, moving its due entry. */
  async record(prev: DeliveryRecord, next: DeliveryRecord, attempt: AttemptRecord): Promise<void> {
    const s = this.#store;
    await s.root.transaction(() => {
      void s.deliveryAttempts.put([attempt.deliveryId, attempt.attempt], attempt);
      void s.deliveries.put(next.id, next);
      if (prev.nextAttemptAt !== null) void s.deliveryDue.remove([prev.nextAttemptAt, prev.id]);
      if (next.nextAttemptAt !== null) void s.deliveryDue.put([next.nextAttemptAt, next.id], next.tenantId);
    });
  }

  /** Removes a due entry that no longer matches a pending delivery. */
  async dropDue(at: number, id: string): Promise<void> {
    await this.#store.deliveryDue.remove([at, id]);
  }

  attempts(id: string): AttemptRecord[] {
    return [...this.#store.deliveryAttempts.getRange({ start: [id], end: [id, Number.MAX_SAFE_INTEGER] })].map((e) => e.value);
  }

  /** A webhook's deliveries, newest first, with their attempt logs; optionally only one state. */
  page(webhookId: string, state: DeliveryState | undefined, limit: number, cursor: string | undefined): Page<DeliveryView> {
    return pageOf(this.#store.deliveryIndex, [webhookId], limit, cursor, (id) => {
      const d = this.#store.deliveries.get(id);
      if (d === undefined || (state !== undefined && d.state !== state)) return undefined;
      const { payload: _p, tenantId: _t, ...shown } = d;
      return { ...shown, log: this.attempts(id) };
    });
  }
}
