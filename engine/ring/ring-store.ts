/**
 * The rings of one shard (layout in ./layout.ts). Owned and written only by its shard worker; the
 * fold is the per-event hot path and allocates nothing. Reads run on the same thread between
 * folds, so a reader never sees a half-written bucket.
 */
import { RingGeometry, kBucketF64, kBucketU32, kSumF64, kCountU32, kStampU32 } from './layout.js';
import { kRecordF64, kRecordU32, kTimestampF64, kUnitsF64, kSlotU32, kTypeU32 } from '../queue/layout.js';
import type { LiveSketches } from '../rollup/live-sketches.js';
import type { FoldAhead } from './fold-ahead.js';

export const enum FoldStatus {
  Folded = 0,
  /** The slot is beyond the configured seller capacity (never produced by a correct router). */
  BadSlot = 1,
}

export class RingStore {
  readonly geometry: RingGeometry;
  readonly slotTable: SharedArrayBuffer;
  readonly heads: Uint32Array;
  readonly chunks: SharedArrayBuffer[] = [];
  readonly #f64: Float64Array[] = [];
  readonly #u32: Uint32Array[] = [];
  /**
   * Occupancy bits, one per bucket, per chunk: set when a bucket starts holding a new stamp, so a
   * snapshot visits only buckets that were ever written instead of every bucket of every ring.
   */
  readonly #occ: Uint32Array[] = [];
  readonly occupancyWords: number;
  /** Events older than a ring's window at fold time, per resolution (they still count in coarser rings). */
  readonly outOfWindow: Float64Array;
  #sellersSeen = 0;
  /** 1 for a slot folded into since the last snapshot export (snapshots are incremental). */
  readonly dirty: Uint8Array;
  /** Quantile sketches of values for the rollups (engine/rollup/live-sketches.ts); null: none kept. */
  sketches: LiveSketches | null = null;
  /** Staging for fold(): one record in queue layout. */
  readonly #one = new Float64Array(kRecordF64);

  constructor(geometry: RingGeometry) {
    this.geometry = geometry;
    this.slotTable = new SharedArrayBuffer(geometry.maxSellers * geometry.resolutionCount * 4);
    this.heads = new Uint32Array(this.slotTable);
    this.outOfWindow = new Float64Array(geometry.resolutionCount);
    this.dirty = new Uint8Array(geometry.maxSellers);
    this.occupancyWords = Math.ceil(geometry.bucketsPerSeller / 32);
  }

  get sellers(): number {
    return this.#sellersSeen;
  }

  /** Typed views of a slot's chunk (allocating it if needed) and the slot's bucket base in it. */
  chunkOf(slot: number): { f64: Float64Array; u32: Uint32Array; base: number; occ: Uint32Array; occBase: number } {
    const chunk = slot >>> this.geometry.chunkShift;
    if (chunk >= this.chunks.length) this.#ensureChunk(chunk);
    if (slot >= this.#sellersSeen) this.#sellersSeen = slot + 1;
    const inChunk = slot & (this.geometry.sellersPerChunk - 1);
    return { f64: this.#f64[chunk], u32: this.#u32[chunk], base: inChunk * this.geometry.bucketsPerSeller, occ: this.#occ[chunk], occBase: inChunk * this.occupancyWords };
  }

  #ensureChunk(chunk: number): void {
    while (this.chunks.length <= chunk) {
      const sab = new SharedArrayBuffer(this.geometry.chunkBytes());
      this.chunks.push(sab);
      this.#f64.push(new Float64Array(sab));
      this.#u32.push(new Uint32Array(sab));
      this.#occ.push(new Uint32Array(this.geometry.sellersPerChunk * this.occupancyWords));
    }
  }

  /**
   * Folds queue records [from, to) (wrapping counters, index = counter & mask), skipping the records a
   * query has already folded ahead (./fold-ahead.ts). The loop lives here, reading timestamps and values
   * straight from the queue's typed arrays: passing doubles as arguments to a non-inlined call would box
   * them into heap numbers — an allocation per event. Returns how many records had a slot beyond
   * capacity (never produced by a correct router).
   */
  foldRecords(f64: Float64Array, u32: Uint32Array, from: number, to: number, mask: number, ahead: FoldAhead | null = null): number {
    let bad = 0;
    if (ahead === null || !ahead.active) {
      for (let n = from; n !== to; n = (n + 1) | 0) {
        const i = n & mask;
        if (this.#foldAt(u32[i * kRecordU32 + kSlotU32], u32[i * kRecordU32 + kTypeU32], f64, i * kRecordF64) !== FoldStatus.Folded) bad++;
      }
      return bad;
    }
    for (let n = from; n !== to; n = (n + 1) | 0) {
      const i = n & mask;
      const slot = u32[i * kRecordU32 + kSlotU32];
      if (ahead.skips(slot, n)) continue;
      if (this.#foldAt(slot, u32[i * kRecordU32 + kTypeU32], f64, i * kRecordF64) !== FoldStatus.Folded) bad++;
    }
    ahead.passed(to);
    return bad;
  }

  /** Folds only `slot`'s records among queue records [from, to), in queue order (a fold-ahead); returns how many. */
  foldSlotRecords(f64: Float64Array, u32: Uint32Array, from: number, to: number, mask: number, slot: number): number {
    let folded = 0;
    for (let n = from; n !== to; n = (n + 1) | 0) {
      const i = n & mask;
      if (u32[i * kRecordU32 + kSlotU32] !== slot) continue;
      this.#foldAt(slot, u32[i * kRecordU32 + kTypeU32], f64, i * kRecordF64);
      folded++;
    }
    return folded;
  }

  /** Folds one event (tests and tools; the worker uses foldRecords). */
  fold(slot: number, type: number, timestamp: number, units: number): FoldStatus {
    this.#one[kTimestampF64] = timestamp;
    this.#one[kUnitsF64] = units;
    return this.#foldAt(slot, type, this.#one, 0);
  }

  #foldAt(slot: number, type: number, src: Float64Array, at: number): FoldStatus {
    const g = this.geometry;
    if (slot >= g.maxSellers) return FoldStatus.BadSlot;
    const chunk = slot >>> g.chunkShift;
    if (chunk >= this.chunks.length) this.#ensureChunk(chunk);
    if (slot >= this.#sellersSeen) this.#sellersSeen = slot + 1;
    this.dirty[slot] = 1;
    const timestamp = src[at + kTimestampF64];
    const units = src[at + kUnitsF64];
    const f64 = this.#f64[chunk];
    const u32 = this.#u32[chunk];
    const sellerBase = (slot & (g.sellersPerChunk - 1)) * g.bucketsPerSeller;
    const occBase = (slot & (g.sellersPerChunk - 1)) * this.occupancyWords;
    const typeBase = sellerBase + type * g.bucketsPerType;
    const headBase = slot * g.resolutionCount;
    for (let r = 0; r < g.resolutionCount; r++) {
      const bucket = Math.floor(timestamp / g.bucketMs[r]);
      const window = g.window[r];
      const head = this.heads[headBase + r];
      if (bucket > head) this.heads[headBase + r] = bucket;
      else if (bucket + window <= head) {
        this.outOfWindow[r]++;
        continue;
      }
      const b = typeBase + g.resolutionOffset[r] + (bucket % window);
      if (u32[b * kBucketU32 + kStampU32] !== bucket) {
        f64[b * kBucketF64 + kSumF64] = 0;
        u32[b * kBucketU32 + kCountU32] = 0;
        u32[b * kBucketU32 + kStampU32] = bucket;
        const rel = b - sellerBase;
        this.#occ[chunk][occBase + (rel >>> 5)] |= 1 << (rel & 31);
      }
      f64[b * kBucketF64 + kSumF64] += units;
      u32[b * kBucketU32 + kCountU32]++;
    }
    const sketches = this.sketches;
    if (sketches !== null && sketches.sketched(type)) sketches.addFrom(slot, type, src, at);
    return FoldStatus.Folded;
  }

  /** Newest absolute bucket of the seller at resolution r, or 0 if the seller has no data. */
  head(slot: number, resolution: number): number {
    if (slot >= this.geometry.maxSellers) return 0;
    return this.heads[slot * this.geometry.resolutionCount + resolution];
  }

  /**
   * Copies one ring into `counts`/`sums` (length ≥ window), oldest bucket first, ending at the
   * seller's head bucket. Returns the head (0 when the seller has no data; the outputs are zeroed).
   */
  read(slot: number, type: number, resolution: number, counts: Float64Array, sums: Float64Array): number {
    const g = this.geometry;
    const window = g.window[resolution];
    const head = this.head(slot, resolution);
    const chunk = slot >>> g.chunkShift;
    if (head === 0 || chunk >= this.chunks.length) {
      counts.fill(0, 0, window);
      sums.fill(0, 0, window);
      return 0;
    }
    const f64 = this.#f64[chunk];
    const u32 = this.#u32[chunk];
    const base = (slot & (g.sellersPerChunk - 1)) * g.bucketsPerSeller + type * g.bucketsPerType + g.resolutionOffset[resolution];
    const first = head - window + 1;
    for (let i = 0; i < window; i++) {
      const bucket = first + i;
      const b = base + (((bucket % window) + window) % window);
      if (bucket > 0 && u32[b * kBucketU32 + kStampU32] === bucket) {
        counts[i] = u32[b * kBucketU32 + kCountU32];
        sums[i] = f64[b * kBucketF64 + kSumF64];
      } else {
        counts[i] = 0;
        sums[i] = 0;
      }
    }
    return head;
  }
}
