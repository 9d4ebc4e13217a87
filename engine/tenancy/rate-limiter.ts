/**
 * Per-key token buckets (DESIGN §8, issue 5): each key has one bucket per limit class — ingest
 * (events), query (requests), embed (requests) — sized by its tenant's tier in the config version in
 * force, so a tier change or a new version applies at the next request. A cost larger than the whole
 * bucket (a big WebSocket frame) is taken when the bucket is full and leaves it in debt, so it is
 * never refused forever and the long-run rate still holds.
 */
import type { BucketConfig } from '../../config/index.js';

export type LimitClass = 'ingest' | 'query' | 'embed';

export class TokenBucket {
  tokens: number;
  updatedMs: number;

  constructor(burst: number, nowMs: number) {
    this.tokens = burst;
    this.updatedMs = nowMs;
  }

  #refill(limit: BucketConfig, nowMs: number): void {
    const elapsed = nowMs - this.updatedMs;
    if (elapsed > 0) {
      this.tokens = Math.min(limit.burst, this.tokens + (elapsed * limit.perSecond) / 1000);
      this.updatedMs = nowMs;
    }
  }

  /** Takes `cost` tokens if they are there; false (nothing taken) otherwise. */
  take(cost: number, limit: BucketConfig, nowMs: number): boolean {
    this.#refill(limit, nowMs);
    if (this.tokens < Math.min(cost, limit.burst)) return false;
    this.tokens -= cost;
    return true;
  }

  /** Tokens left now (whole ones; 0 while in debt). */
  remaining(limit: BucketConfig, nowMs: number): number {
    this.#refill(limit, nowMs);
    return Math.max(0, Math.floor(this.tokens));
  }

  /** Milliseconds until `cost` could be taken (0: now). */
  waitMs(cost: number, limit: BucketConfig): number {
    const missing = Math.min(cost, limit.burst) - this.tokens;
    return missing <= 0 ? 0 : Math.ceil((missing * 1000) / limit.perSecond);
  }

  /** Milliseconds until the bucket is full again. */
  fullInMs(limit: BucketConfig): number {
    const missing = limit.burst - this.tokens;
    return missing <= 0 ? 0 : Math.ceil((missing * 1000) / limit.perSecond);
  }
}

/** The outcome of one check, as the X-RateLimit-* headers and WS acks report it. */
export class LimitVerdict {
  allowed = true;
  limit = 0;
  remaining = 0;
  /** Seconds until the bucket is full (X-RateLimit-Reset). */
  resetSec = 0;
  /** When refused: milliseconds until the cost could be taken. */
  retryAfterMs = 0;
}

export class RateLimiter {
  /** key id → bucket per class; buckets outlive principal-cache evictions. */
  readonly #buckets = new Map<string, Record<LimitClass, TokenBucket | undefined>>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** The last key looked up: a producer's requests come in runs, so most checks skip the map. */
  #lastKeyId = '';
  #lastForKey: Record<LimitClass, TokenBucket | undefined> | undefined;

  #bucket(keyId: string, cls: LimitClass, limit: BucketConfig, nowMs: number): TokenBucket {
    let forKey = keyId === this.#lastKeyId ? this.#lastForKey : this.#buckets.get(keyId);
    if (forKey === undefined) {
      forKey = { ingest: undefined, query: undefined, embed: undefined };
      this.#buckets.set(keyId, forKey);
    }
    this.#lastKeyId = keyId;
    this.#lastForKey = forKey;
    return (forKey[cls] ??= new TokenBucket(limit.burst, nowMs));
  }

  /** Tries to take `cost`; fills `out` either way. */
  check(keyId: string, cls: LimitClass, limit: BucketConfig, cost: number, out: LimitVerdict): LimitVerdict {
    const nowMs = this.#now();
    const bucket = this.#bucket(keyId, cls, limit, nowMs);
    out.allowed = bucket.take(cost, limit, nowMs);
    out.limit = limit.burst;
    out.remaining = Math.max(0, Math.floor(bucket.tokens));
    out.resetSec = Math.ceil(bucket.fullInMs(limit) / 1000);
    out.retryAfterMs = out.allowed ? 0 : bucket.waitMs(cost, limit);
    return out;
  }

  /** Current state without taking anything (GET /status/limits). */
  peek(keyId: string, cls: LimitClass, limit: BucketConfig): { limit: number; remaining: number; resetSec: number; perSecond: number } {
    const nowMs = this.#now();
    const bucket = this.#bucket(keyId, cls, limit, nowMs);
    return { limit: limit.burst, remaining: bucket.remaining(limit, nowMs), resetSec: Math.ceil(bucket.fullInMs(limit) / 1000), perSecond: limit.perSecond };
  }

  /** Drops the buckets of a revoked key. */
  forget(keyId: string): void {
    this.#buckets.delete(keyId);
    if (keyId === this.#lastKeyId) {
      this.#lastKeyId = '';
      this.#lastForKey = undefined;
    }
  }
}
