/**
 * Idempotency by eventId (DESIGN §2): remembers recent (tenant, seller, eventId) triples as 64-bit hashes in
 * two generations of open-addressed tables. A lookup checks both; when the current generation is
 * half full it becomes the previous one and a cleared table takes its place — so at least
 * capacity/2 of the most recent pairs are always remembered. No allocation per event.
 *
 * Two distinct pairs collide only if both 32-bit halves match (≈ n / 2^64 per lookup).
 */
import { fnv1a32, kFnvPrime } from '../router/seller-hash.js';

/** A second, independent seed for the high half of the 64-bit key. */
const kSeedHigh = 0x9747b28c;
const kSeparator = 0x1f;

class Generation {
  readonly lo: Uint32Array;
  readonly hi: Uint32Array;
  readonly used: Uint8Array;
  size = 0;
  constructor(capacity: number) {
    this.lo = new Uint32Array(capacity);
    this.hi = new Uint32Array(capacity);
    this.used = new Uint8Array(capacity);
  }
  clear(): void {
    this.used.fill(0);
    this.size = 0;
  }
}

export class EventIdMemory {
  readonly #mask: number;
  readonly #limit: number;
  #current: Generation;
  #previous: Generation;
  #lo = 0;
  #hi = 0;

  constructor(capacity: number) {
    this.#mask = capacity - 1;
    this.#limit = capacity >>> 1;
    this.#current = new Generation(capacity);
    this.#previous = new Generation(capacity);
  }

  #hash(tenantId: string, sellerId: string, eventId: string): void {
    let lo = fnv1a32(tenantId);
    lo = fnv1a32(sellerId, Math.imul(lo ^ kSeparator, kFnvPrime) >>> 0);
    this.#lo = fnv1a32(eventId, Math.imul(lo ^ kSeparator, kFnvPrime) >>> 0);
    let hi = fnv1a32(tenantId, kSeedHigh);
    hi = fnv1a32(sellerId, Math.imul(hi ^ kSeparator, kFnvPrime) >>> 0);
    this.#hi = fnv1a32(eventId, Math.imul(hi ^ kSeparator, kFnvPrime) >>> 0);
  }

  #find(g: Generation): number {
    let i = (this.#lo ^ (this.#hi >>> 7)) & this.#mask;
    while (g.used[i] === 1) {
      if (g.lo[i] === this.#lo && g.hi[i] === this.#hi) return i;
      i = (i + 1) & this.#mask;
    }
    return -1 - i;
  }

  has(tenantId: string, sellerId: string, eventId: string): boolean {
    this.#hash(tenantId, sellerId, eventId);
    return this.#find(this.#current) >= 0 || this.#find(this.#previous) >= 0;
  }

  /** Remembers the pair; returns false if it was already remembered. */
  add(tenantId: string, sellerId: string, eventId: string): boolean {
    this.#hash(tenantId, sellerId, eventId);
    if (this.#find(this.#previous) >= 0) return false;
    const at = this.#find(this.#current);
    if (at >= 0) return false;
    const i = -1 - at;
    const g = this.#current;
    g.used[i] = 1;
    g.lo[i] = this.#lo;
    g.hi[i] = this.#hi;
    if (++g.size >= this.#limit) {
      const old = this.#previous;
      old.clear();
      this.#previous = g;
      this.#current = old;
    }
    return true;
  }
}
