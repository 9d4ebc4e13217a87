/** Webhooks, deliveries and delivery attempts as stored (LMDB, see ../store/schema.ts) and answered. */
import { randomBytes } from 'node:crypto';
import type { DeliveryEvent } from '../../config/delivery-schema.js';

export const kDeliveryStates = ['pending', 'delivered', 'dead'] as const;
export type DeliveryState = (typeof kDeliveryStates)[number];

/** A signing secret under AES-256-GCM (secret-box.ts); the webhook id is its associated data. */
export interface SealedSecret {
  iv: Uint8Array;
  tag: Uint8Array;
  data: Uint8Array;
}

export interface WebhookRecord {
  id: string;
  tenantId: string;
  url: string;
  events: DeliveryEvent[];
  secret: SealedSecret;
  createdAt: number;
  /** Kept until deleted. */
  expiresAt: null;
}

export interface DeliveryRecord {
  id: string;
  tenantId: string;
  webhookId: string;
  event: string;
  payload: unknown;
  /** The receiver deduplicates by it: a retry, a replay and a redelivery all carry the original's. */
  idempotencyKey: string;
  state: DeliveryState;
  /** Attempts made so far. */
  attempts: number;
  /** When the next attempt is due (pending only; null once delivered or dead). */
  nextAttemptAt: number | null;
  createdAt: number;
  deliveredAt: number | null;
  /** The delivery this one re-sends (redeliver), or null. */
  replayOf: string | null;
  expiresAt: number;
}

export interface AttemptRecord {
  deliveryId: string;
  /** 1-based. */
  attempt: number;
  at: number;
  durationMs: number;
  /** HTTP status when the receiver answered, else null. */
  status: number | null;
  /** Why there was no answer (timeout, connection refused, …), else null. */
  error: string | null;
  /** The wait before the next attempt; null when this one delivered or was the last. */
  nextDelayMs: number | null;
  expiresAt: number;
}

export function newDeliveryId(now: number): string {
  return `d_${now.toString(36).padStart(9, '0')}${randomBytes(6).toString('base64url')}`;
}

export function newWebhookId(): string {
  return `wh_${randomBytes(9).toString('base64url')}`;
}
