/**
 * Stable seller → shard hash: 32-bit FNV-1a over the UTF-16 code units of the seller ID. Stable
 * across runs, processes and machines; allocation-free.
 */
const kFnvOffset = 0x811c9dc5;
export const kFnvPrime = 0x01000193;

export function fnv1a32(s: string, seed = kFnvOffset): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, kFnvPrime);
  }
  return h >>> 0;
}

/** Shard of a seller key (`<tenant>/<seller>`, see seller-directory.ts). */
export function shardOf(sellerKey: string, shardCount: number): number {
  return fnv1a32(sellerKey) % shardCount;
}
