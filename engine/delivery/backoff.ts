/**
 * Retry delays: exponential backoff with (configurable, by default full) jitter. The random draw r
 * is injectable; with a configured seed it is a hash of (seed, delivery id, attempt), so it does not
 * depend on the order in which deliveries happen to be attempted, nor on restarts.
 */
import { createHash } from 'node:crypto';
import type { DeliveryConfig } from '../../config/delivery-schema.js';

/** A uniform draw in [0, 1) for one retry of one delivery. */
export type JitterSource = (deliveryId: string, attempt: number) => number;

/** 48 bits of a SHA-256 digest make the draw (exactly representable in a double). */
const kDrawBytes = 6;
const kDrawRange = 2 ** (8 * kDrawBytes);

export function seededJitter(seed: number): JitterSource {
  return (deliveryId, attempt) => createHash('sha256').update(`${seed}:${deliveryId}:${attempt}`).digest().readUIntBE(0, kDrawBytes) / kDrawRange;
}

export const randomJitter: JitterSource = () => Math.random();

/** The jitter source a config asks for. */
export function jitterFor(backoff: DeliveryConfig['backoff']): JitterSource {
  return backoff.seed === null ? randomJitter : seededJitter(backoff.seed);
}

/** The upper bound of the wait after `failed` failed attempts (≥ 1). */
export function backoffCap(backoff: DeliveryConfig['backoff'], failed: number): number {
  return Math.min(backoff.maxDelayMs, backoff.baseMs * backoff.factor ** (failed - 1));
}

/** The wait after `failed` failed attempts, for a draw r in [0, 1): in [cap·(1 − jitter), cap]. */
export function backoffDelay(backoff: DeliveryConfig['backoff'], failed: number, r: number): number {
  const cap = backoffCap(backoff, failed);
  return Math.floor(cap * (1 - backoff.jitter) + cap * backoff.jitter * r);
}
