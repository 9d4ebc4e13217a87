/**
 * Seller directory (main thread): seller ID → (shard, slot). A seller's shard is chosen by the
 * stable hash when it is first seen; its slot is the next free one on that shard. The worker only
 * ever sees slot numbers — seller IDs never cross into the shards.
 */
import { shardOf } from './seller-hash.js';

/** Encoded location: shard × kShardStride + slot. */
export const kShardStride = 1 << 24;
export const kNoLocation = -1;

export class SellerDirectory {
  readonly #locations = new Map<string, number>();
  /** Seller IDs by shard and slot (snapshots are keyed by seller, the worker knows slots). */
  readonly #ids: string[][];
  readonly #nextSlot: Int32Array;
  readonly #maxSlots: number;
  readonly shardCount: number;

  constructor(shardCount: number, maxSlotsPerShard: number) {
    this.shardCount = shardCount;
    this.#nextSlot = new Int32Array(shardCount);
    this.#maxSlots = maxSlotsPerShard;
    this.#ids = Array.from({ length: shardCount }, () => []);
  }

  /** New sellers are reported here (the durable directory in LMDB). */
  onAssign: (sellerId: string, location: number) => void = () => {};

  get size(): number {
    return this.#locations.size;
  }

  /** Location of a known seller, or kNoLocation. */
  find(sellerId: string): number {
    return this.#locations.get(sellerId) ?? kNoLocation;
  }

  /** Location of the seller, assigning a slot on first sight; kNoLocation when its shard is full. */
  locate(sellerId: string): number {
    const known = this.#locations.get(sellerId);
    if (known !== undefined) return known;
    const shard = shardOf(sellerId, this.shardCount);
    const slot = this.#nextSlot[shard];
    if (slot >= this.#maxSlots) return kNoLocation;
    this.#nextSlot[shard] = slot + 1;
    const location = shard * kShardStride + slot;
    this.#locations.set(sellerId, location);
    this.#ids[shard][slot] = sellerId;
    this.onAssign(sellerId, location);
    return location;
  }

  /** Puts a seller back where a snapshot had it (same shard count). */
  restore(sellerId: string, location: number): void {
    const shard = shardOfLocation(location);
    const slot = slotOfLocation(location);
    this.#locations.set(sellerId, location);
    this.#ids[shard][slot] = sellerId;
    if (slot >= this.#nextSlot[shard]) this.#nextSlot[shard] = slot + 1;
  }

  /**
   * Forgets a seller whose stored data expired: its next event gets a fresh slot (the old one keeps
   * only data older than every ring window, which reads as empty).
   */
  forget(sellerId: string): void {
    const location = this.#locations.get(sellerId);
    if (location === undefined) return;
    this.#locations.delete(sellerId);
    const ids = this.#ids[shardOfLocation(location)];
    if (ids[slotOfLocation(location)] === sellerId) delete ids[slotOfLocation(location)];
  }

  idAt(shard: number, slot: number): string | undefined {
    return this.#ids[shard][slot];
  }

  sellersOnShard(shard: number): number {
    return this.#nextSlot[shard];
  }

  /** All (sellerId, location) pairs; for snapshots and administration, never the hot path. */
  entries(): IterableIterator<[string, number]> {
    return this.#locations.entries();
  }
}

/** Locations are < 2^31 (shards ≤ 64, slots < 2^24), so integer bit operations are exact. */
const kShardShift = 24;
const kSlotMask = kShardStride - 1;

export function shardOfLocation(location: number): number {
  return location >>> kShardShift;
}

export function slotOfLocation(location: number): number {
  return location & kSlotMask;
}
