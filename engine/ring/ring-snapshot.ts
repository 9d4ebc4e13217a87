/**
 * A seller's rings as a compact, layout-checked snapshot: only the buckets that hold data inside
 * their ring's window are kept, so a seller costs bytes in proportion to its activity, not to the
 * ring sizes. Restoring writes the same counts, sums (integer units) and stamps back, so every
 * read of the restored rings is bit-for-bit what it was.
 *
 *   Float64Array: [kFormat, resolutionCount, head_0 … head_{R-1}, (ring, index, stamp, count, units)…]
 *   ring = type × R + resolution; index = position in that ring.
 */
import type { RingStore } from './ring-store.js';
import { kBucketF64, kBucketU32, kSumF64, kCountU32, kStampU32 } from './layout.js';

const kFormat = 1;
const kEntryF64 = 5;
const kHeader = 2;

export class SnapshotFormatError extends Error {}

/** Whether the slot holds any data (a head at some resolution). */
function holdsData(rings: RingStore, slot: number): boolean {
  const R = rings.geometry.resolutionCount;
  for (let r = 0; r < R; r++) if (rings.heads[slot * R + r] !== 0) return true;
  return false;
}

/** Set bits in a 32-bit word. */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Upper bound of the slot's snapshot length in float64s (every occupied bucket kept), 0 when it holds nothing. */
export function snapshotBound(rings: RingStore, slot: number): number {
  if (!holdsData(rings, slot)) return 0;
  const { occ, occBase } = rings.chunkOf(slot);
  let n = 0;
  for (let w = 0; w < rings.occupancyWords; w++) n += popcount(occ[occBase + w]);
  return kHeader + rings.geometry.resolutionCount + n * kEntryF64;
}

/**
 * Writes the slot's non-empty in-window buckets into `out` from `at` (room for snapshotBound) and
 * returns where they end — `at` when the slot holds nothing. Visits only the buckets whose occupancy
 * bit is set, and clears the bits of buckets the rings have moved past. Allocates nothing.
 */
export function exportSlotInto(rings: RingStore, slot: number, out: Float64Array, at: number): number {
  if (!holdsData(rings, slot)) return at;
  const g = rings.geometry;
  const R = g.resolutionCount;
  const headBase = slot * R;
  const { f64, u32, base, occ, occBase } = rings.chunkOf(slot);
  out[at] = kFormat;
  out[at + 1] = R;
  for (let r = 0; r < R; r++) out[at + kHeader + r] = rings.heads[headBase + r];
  let e = at + kHeader + R;
  for (let w = 0; w < rings.occupancyWords; w++) {
    let bits = occ[occBase + w];
    while (bits !== 0) {
      const bit = 31 - Math.clz32(bits & -bits);
      bits &= bits - 1;
      const rel = w * 32 + bit;
      const t = Math.floor(rel / g.bucketsPerType);
      const within = rel - t * g.bucketsPerType;
      let r = R - 1;
      while (g.resolutionOffset[r] > within) r--;
      const b = base + rel;
      const head = rings.heads[headBase + r];
      const window = g.window[r];
      const stamp = u32[b * kBucketU32 + kStampU32];
      const count = u32[b * kBucketU32 + kCountU32];
      if (count === 0 || stamp === 0 || stamp > head || stamp + window <= head) {
        occ[occBase + w] &= ~(1 << bit);
        continue;
      }
      out[e] = t * R + r;
      out[e + 1] = within - g.resolutionOffset[r];
      out[e + 2] = stamp;
      out[e + 3] = count;
      out[e + 4] = f64[b * kBucketF64 + kSumF64];
      e += kEntryF64;
    }
  }
  return e;
}

export interface SnapshotSliceRequest {
  /** Every seller (true), or only those folded into since their last export. */
  full: boolean;
  /** First slot to look at. */
  fromSlot: number;
  /** The slice ends once its blobs reach this many float64s (at least one seller); the rest wait for the next. */
  maxF64: number;
  /** Float64s left free before each blob (the store writes its record header there, no copy). */
  headerF64: number;
}

export interface SnapshotSlice {
  slots: Int32Array;
  /** Blob i is data[offsets[i] + headerF64 .. offsets[i + 1]) — one buffer to transfer. */
  offsets: Int32Array;
  data: Float64Array;
  /** Where the next slice starts; -1 when every slot has been looked at. */
  nextSlot: number;
}

/**
 * Exports the next slice of sellers (dirty ones, or all when full) and clears their dirty marks.
 * One buffer sized by snapshotBound first, so no blob is built and copied twice.
 */
export function exportSlice(rings: RingStore, req: SnapshotSliceRequest): SnapshotSlice {
  const picked: number[] = [];
  let bound = 0;
  let slot = req.fromSlot;
  for (; slot < rings.sellers && bound < req.maxF64; slot++) {
    if (!req.full && rings.dirty[slot] === 0) continue;
    const n = snapshotBound(rings, slot);
    rings.dirty[slot] = 0;
    if (n === 0) continue;
    picked.push(slot);
    bound += req.headerF64 + n;
  }
  const data = new Float64Array(bound);
  const slots = new Int32Array(picked.length);
  const offsets = new Int32Array(picked.length + 1);
  let at = 0;
  picked.forEach((s, i) => {
    slots[i] = s;
    offsets[i] = at;
    at = exportSlotInto(rings, s, data, at + req.headerF64);
    offsets[i + 1] = at;
  });
  return { slots, offsets, data, nextSlot: slot < rings.sellers ? slot : -1 };
}

/** Writes a snapshot into an empty slot (a fresh store, or after a move). */
export function importSlot(rings: RingStore, slot: number, snap: Float64Array): void {
  const g = rings.geometry;
  const R = g.resolutionCount;
  if (snap[0] !== kFormat || snap[1] !== R || (snap.length - kHeader - R) % kEntryF64 !== 0) {
    throw new SnapshotFormatError('snapshot does not match this ring layout');
  }
  const { f64, u32, base, occ, occBase } = rings.chunkOf(slot);
  for (let r = 0; r < R; r++) rings.heads[slot * R + r] = snap[kHeader + r];
  for (let e = kHeader + R; e < snap.length; e += kEntryF64) {
    const ring = snap[e];
    const t = Math.floor(ring / R);
    const r = ring % R;
    const index = snap[e + 1];
    if (t >= g.typeCount || index >= g.window[r]) throw new SnapshotFormatError('snapshot entry outside the ring layout');
    const rel = t * g.bucketsPerType + g.resolutionOffset[r] + index;
    const b = base + rel;
    occ[occBase + (rel >>> 5)] |= 1 << (rel & 31);
    u32[b * kBucketU32 + kStampU32] = snap[e + 2];
    u32[b * kBucketU32 + kCountU32] = snap[e + 3];
    f64[b * kBucketF64 + kSumF64] = snap[e + 4];
  }
  rings.dirty[slot] = 1;
}
