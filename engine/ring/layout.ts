/**
 * Memory map of a shard's bucket rings (DESIGN §3).
 *
 *   slot table SAB: Uint32Array heads[slot × R + r] — the newest absolute bucket number seen for the
 *                   seller at resolution r, over all event types (0 = none yet)
 *   ring chunk SABs, each holding kSellersPerChunk sellers, allocated as sellers arrive:
 *
 *   seller s ─┬─ type 0 ─┬─ resolution 0: window[0] buckets
 *             │          ├─ resolution 1: window[1] buckets
 *             │          └─ …
 *             ├─ type 1 ─ …
 *   bucket (16 bytes): │ f64 sum (integer units of 1/valueScale) │ u32 count │ u32 stamp │
 *
 * A bucket's stamp is the absolute bucket number floor(timestamp / bucketMs) it holds; index in its
 * ring = stamp mod window. A bucket whose stamp is not the number a reader expects is empty (the
 * ring has moved past it); the writer resets it before reuse. Absolute bucket numbers fit in a u32
 * because bucketMs ≥ 1 s (config/schema.ts kMinBucketMs) — until the year 2106.
 */
import type { Config } from '../../config/index.js';

export const kBucketBytes = 16;
export const kBucketF64 = kBucketBytes / 8;
export const kBucketU32 = kBucketBytes / 4;
export const kSumF64 = 0;
export const kCountU32 = 2;
export const kStampU32 = 3;

/** Everything about ring shape that follows from config, as plain numbers. */
export class RingGeometry {
  readonly typeCount: number;
  readonly resolutionCount: number;
  readonly bucketMs: Float64Array;
  readonly window: Uint32Array;
  /** Bucket offset of resolution r inside one type block. */
  readonly resolutionOffset: Uint32Array;
  readonly bucketsPerType: number;
  readonly bucketsPerSeller: number;
  readonly sellersPerChunk: number;
  readonly chunkShift: number;
  readonly maxSellers: number;
  /** Longest time span any ring covers (ms). */
  readonly longestWindowMs: number;

  constructor(config: Readonly<Config>) {
    const res = config.rings.resolutions;
    this.typeCount = config.events.types.length;
    this.resolutionCount = res.length;
    this.bucketMs = Float64Array.from(res, (r) => r.bucketMs);
    this.window = Uint32Array.from(res, (r) => r.window);
    this.resolutionOffset = new Uint32Array(res.length);
    let offset = 0;
    let longest = 0;
    for (let r = 0; r < res.length; r++) {
      this.resolutionOffset[r] = offset;
      offset += res[r].window;
      longest = Math.max(longest, res[r].bucketMs * res[r].window);
    }
    this.bucketsPerType = offset;
    this.bucketsPerSeller = offset * this.typeCount;
    this.sellersPerChunk = config.shard.sellersPerChunk;
    this.chunkShift = Math.log2(config.shard.sellersPerChunk);
    this.maxSellers = config.shard.maxSellersPerShard;
    this.longestWindowMs = longest;
  }

  chunkBytes(): number {
    return this.sellersPerChunk * this.bucketsPerSeller * kBucketBytes;
  }

  /** Identifies a layout: rings can be shared or restored only between equal layouts. */
  signature(): string {
    return [this.typeCount, Array.from(this.bucketMs).join(','), Array.from(this.window).join(','), this.sellersPerChunk].join('|');
  }
}
