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

/**
 * The slot's non-empty in-window buckets, or null when the slot holds nothing. Visits only the
 * buckets whose occupancy bit is set, and clears the bits of buckets the rings have moved past.
 */
export function exportSlot(rings: RingStore, slot: number): Float64Array | null {
  const g = rings.geometry;
  const R = g.resolutionCount;
  const headBase = slot * R;
  let any = false;
  for (let r = 0; r < R; r++) if (rings.heads[headBase + r] !== 0) any = true;
  if (!any) return null;
  const { f64, u32, base, occ, occBase } = rings.chunkOf(slot);
  const entries: number[] = [];
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
      entries.push(t * R + r, within - g.resolutionOffset[r], stamp, count, f64[b * kBucketF64 + kSumF64]);
    }
  }
  const out = new Float64Array(kHeader + R + entries.length);
  out[0] = kFormat;
  out[1] = R;
  for (let r = 0; r < R; r++) out[kHeader + r] = rings.heads[headBase + r];
  out.set(entries, kHeader + R);
  return out;
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
