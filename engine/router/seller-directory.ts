/**
 * Seller directory (main thread): seller key → (shard, slot). Sellers belong to tenants: a seller
 * key is `<tenant id>/<seller id>` (tenant ids hold no '/'), so tenant A's `s1` and tenant B's `s1`
 * are different sellers. Intake works through one tenant's TenantSellers (looked up once per call),
 * whose lookups take the plain seller ID — no string is built per event. A seller's shard is chosen
 * by the stable hash of its key when it is first seen; its slot is the next free one on that shard.
 * The worker only ever sees slot numbers — seller IDs never cross into the shards.
 */
import { shardOf } from './seller-hash.js';

export const kSellerKeySeparator = '/';

export function sellerKey(tenantId: string, sellerId: string): string {
  return tenantId + kSellerKeySeparator + sellerId;
}

export function splitSellerKey(key: string): { tenantId: string; sellerId: string } {
  const at = key.indexOf(kSellerKeySeparator);
  return { tenantId: key.slice(0, at), sellerId: key.slice(at + 1) };
}

/** One tenant's sellers: the view intake and queries use. */
export class TenantSellers {
  readonly tenantId: string;
  /** seller ID → location; written only by the directory. */
  readonly locations = new Map<string, number>();
  readonly #directory: SellerDirectory;

  constructor(tenantId: string, directory: SellerDirectory) {
    this.tenantId = tenantId;
    this.#directory = directory;
  }

  find(sellerId: string): number {
    return this.locations.get(sellerId) ?? kNoLocation;
  }

  /** Changes whenever a known seller's location changes or goes (see SellerDirectory.generation). */
  get generation(): number {
    return this.#directory.generation;
  }

  /** Location of the seller, assigning a slot on first sight; kNoLocation when its shard is full. */
  locate(sellerId: string): number {
    return this.locations.get(sellerId) ?? this.#directory.locate(sellerKey(this.tenantId, sellerId));
  }
}

/** Encoded location: shard × kShardStride + slot. */
export const kShardStride = 1 << 24;
export const kNoLocation = -1;

export class SellerDirectory {
  readonly #locations = new Map<string, number>();
  readonly #tenants = new Map<string, TenantSellers>();
  /** Seller keys by shard and slot (snapshots are keyed by seller, the worker knows slots). */
  readonly #ids: string[][];
  readonly #nextSlot: Int32Array;
  readonly #maxSlots: number;
  readonly shardCount: number;
  #generation = 0;

  constructor(shardCount: number, maxSlotsPerShard: number) {
    this.shardCount = shardCount;
    this.#nextSlot = new Int32Array(shardCount);
    this.#maxSlots = maxSlotsPerShard;
    this.#ids = Array.from({ length: shardCount }, () => []);
  }

  /** New sellers are reported here (the durable directory in LMDB). */
  onAssign: (sellerKey: string, location: number) => void = () => {};

  /** One tenant's sellers (created empty on first use). */
  /**
   * Bumped when a known seller is forgotten or put back (restore): a location remembered outside the
   * directory (SellerTableMemo) is valid only while this is unchanged. New sellers do not bump it.
   */
  get generation(): number {
    return this.#generation;
  }

  tenant(tenantId: string): TenantSellers {
    let t = this.#tenants.get(tenantId);
    if (t === undefined) {
      t = new TenantSellers(tenantId, this);
      this.#tenants.set(tenantId, t);
    }
    return t;
  }

  #remember(key: string, location: number): void {
    this.#locations.set(key, location);
    const { tenantId, sellerId } = splitSellerKey(key);
    this.tenant(tenantId).locations.set(sellerId, location);
    this.#ids[shardOfLocation(location)][slotOfLocation(location)] = key;
  }

  get size(): number {
    return this.#locations.size;
  }

  /** Location of a known seller (by key), or kNoLocation. */
  find(key: string): number {
    return this.#locations.get(key) ?? kNoLocation;
  }

  /** Location of the seller (by key), assigning a slot on first sight; kNoLocation when its shard is full. */
  locate(key: string): number {
    const known = this.#locations.get(key);
    if (known !== undefined) return known;
    const shard = shardOf(key, this.shardCount);
    const slot = this.#nextSlot[shard];
    if (slot >= this.#maxSlots) return kNoLocation;
    this.#nextSlot[shard] = slot + 1;
    const location = shard * kShardStride + slot;
    this.#remember(key, location);
    this.onAssign(key, location);
    return location;
  }

  /** Puts a seller back where a snapshot had it (same shard count). */
  restore(key: string, location: number): void {
    const shard = shardOfLocation(location);
    const slot = slotOfLocation(location);
    this.#generation++;
    this.#remember(key, location);
    if (slot >= this.#nextSlot[shard]) this.#nextSlot[shard] = slot + 1;
  }

  /**
   * Forgets a seller whose stored data expired: its next event gets a fresh slot (the old one keeps
   * only data older than every ring window, which reads as empty).
   */
  forget(key: string): void {
    const location = this.#locations.get(key);
    if (location === undefined) return;
    this.#generation++;
    this.#locations.delete(key);
    const { tenantId, sellerId } = splitSellerKey(key);
    this.#tenants.get(tenantId)?.locations.delete(sellerId);
    const ids = this.#ids[shardOfLocation(location)];
    if (ids[slotOfLocation(location)] === key) delete ids[slotOfLocation(location)];
  }

  idAt(shard: number, slot: number): string | undefined {
    return this.#ids[shard][slot];
  }

  sellersOnShard(shard: number): number {
    return this.#nextSlot[shard];
  }

  /** All (seller key, location) pairs; for snapshots and administration, never the hot path. */
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
