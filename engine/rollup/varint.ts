/**
 * Unsigned LEB128 varints for non-negative safe integers (< 2^53): 7 bits a byte, low groups
 * first, high bit set on every byte but the last. Arithmetic (not bitwise) so that values above
 * 2^32 survive. Used by the sketch codec (quantile-sketch.ts).
 */

const kGroup = 0x80;
const kGroupMask = 0x7f;
/** ceil(53 / 7): a safe integer never needs more bytes than this. */
export const kMaxVarintBytes = 8;

/** Encoded length of v. */
export function varintLength(v: number): number {
  let n = 1;
  while (v >= kGroup) {
    v = Math.floor(v / kGroup);
    n++;
  }
  return n;
}

/** Writes v at `offset`; returns the offset after it. The caller sized `out` with varintLength. */
export function writeVarint(out: Uint8Array, offset: number, v: number): number {
  while (v >= kGroup) {
    out[offset++] = (v % kGroup) | kGroup;
    v = Math.floor(v / kGroup);
  }
  out[offset++] = v;
  return offset;
}

/** A decoded varint and the offset after it; `next` is -1 when the input is truncated or too long. */
export interface VarintRead {
  value: number;
  next: number;
}

export function readVarint(bytes: Uint8Array, offset: number, into: VarintRead): VarintRead {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < kMaxVarintBytes && offset < bytes.length; i++) {
    const b = bytes[offset++];
    value += (b & kGroupMask) * scale;
    if ((b & kGroup) === 0) {
      into.value = value;
      into.next = Number.isSafeInteger(value) ? offset : -1;
      return into;
    }
    scale *= kGroup;
  }
  into.value = 0;
  into.next = -1;
  return into;
}
