/**
 * Columnar frame for extreme-throughput producers: one object per frame, columns as msgpack bin
 * (little-endian typed arrays) or, in JSON, as plain number arrays.
 *
 *   { seq, sellerId | sellerIds + sellerIndex (u32[]), timestamps (f64[]), typeNames, types (u8[]), values (f64[]) }
 */
export interface ColumnarEvents {
  /** Distinct seller IDs of the frame. */
  sellerIds: readonly unknown[];
  /** Per event index into sellerIds (absent when there is one seller). */
  sellerIndex: Uint32Array | null;
  timestamps: Float64Array;
  typeNames: readonly unknown[];
  types: Uint8Array;
  values: Float64Array;
  length: number;
}
