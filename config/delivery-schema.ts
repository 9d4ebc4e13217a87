/**
 * Webhook delivery (issue "Insights, alerts, delivery"): registrations, the LMDB delivery queue, its
 * retries and isolation. Part of the one config schema (./schema.ts) as `delivery`. The dispatcher
 * reads these values at each use, so every one of them may change while the server runs.
 */
import { z } from 'zod';

/** What a webhook may subscribe to; a replay carries the type of the original. */
export const kDeliveryEvents = ['alert.created', 'alert.acknowledged', 'alert.resolved', 'insight.transition'] as const;
export type DeliveryEvent = (typeof kDeliveryEvents)[number];

const ms = z.number().int().min(1);

export const deliverySchema = z
  .object({
    /** Webhooks one tenant may register. */
    maxWebhooksPerTenant: z.number().int().min(1),
    maxUrlLength: z.number().int().min(16).max(8192),
    /** Random bytes of a signing secret (shown once at registration, stored AES-256-GCM encrypted). */
    secretBytes: z.number().int().min(16).max(128),
    /** Largest payload accepted by enqueue (bytes of its JSON). */
    maxPayloadBytes: z.number().int().min(1024),
    maxIdempotencyKeyLength: z.number().int().min(8).max(1024),
    /** One HTTP attempt (connect + answer) is aborted after this. */
    attemptTimeoutMs: ms,
    /**
     * Retry n (after n failed attempts) waits cap·(1 − jitter) + cap·jitter·r, r uniform in [0, 1),
     * cap = min(maxDelayMs, baseMs · factor^(n−1)); jitter 1 is "full jitter". After maxAttempts
     * failed attempts the delivery is dead (dead letter). seed: null draws r at random; a number makes
     * r a hash of (seed, delivery id, attempt) — reproducible, for tests.
     */
    backoff: z
      .object({
        baseMs: ms,
        factor: z.number().finite().min(1),
        maxDelayMs: ms,
        maxAttempts: z.number().int().min(1).max(100),
        jitter: z.number().finite().min(0).max(1),
        seed: z.number().int().nullable(),
      })
      .strict(),
    /** Attempts in flight at once: over all tenants, and per tenant (a hanging receiver holds only its tenant's slots). */
    concurrency: z.object({ global: z.number().int().min(1), perTenant: z.number().int().min(1) }).strict(),
    /** Due-queue entries looked at per dispatch pass (entries of tenants at their limit are skipped). */
    scanLimit: z.number().int().min(1),
    /** The dispatcher wakes at least this often even when nothing is due. */
    idlePollMs: ms,
    /** stop() waits this long for attempts in flight, then aborts them (they are attempted again on the next start). */
    stopTimeoutMs: ms,
    /** Delivery records and their attempt logs live this long (expiresAt). */
    retentionDays: z.number().positive(),
    /** GET /webhooks/:id/deliveries page size. */
    page: z.object({ default: z.number().int().min(1), max: z.number().int().min(1) }).strict(),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.backoff.maxDelayMs < d.backoff.baseMs) ctx.addIssue({ code: 'custom', path: ['backoff', 'maxDelayMs'], message: 'must be at least baseMs' });
    if (d.concurrency.perTenant > d.concurrency.global) ctx.addIssue({ code: 'custom', path: ['concurrency', 'perTenant'], message: 'must not exceed global' });
    if (d.page.default > d.page.max) ctx.addIssue({ code: 'custom', path: ['page', 'default'], message: 'must not exceed page.max' });
  });

export type DeliveryConfig = z.infer<typeof deliverySchema>;

const kSecond = 1000;
const kMinute = 60 * kSecond;
const kHour = 60 * kMinute;

export function defaultDeliveryConfig(): DeliveryConfig {
  return {
    maxWebhooksPerTenant: 20,
    maxUrlLength: 2048,
    secretBytes: 32,
    maxPayloadBytes: 256 * 1024,
    maxIdempotencyKeyLength: 256,
    attemptTimeoutMs: 10 * kSecond,
    backoff: { baseMs: 5 * kSecond, factor: 2, maxDelayMs: 1 * kHour, maxAttempts: 12, jitter: 1, seed: null },
    concurrency: { global: 64, perTenant: 4 },
    scanLimit: 1_000,
    idlePollMs: 5 * kSecond,
    stopTimeoutMs: 5 * kSecond,
    retentionDays: 30,
    page: { default: 50, max: 500 },
  };
}
