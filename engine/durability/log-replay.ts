/** Reading write-ahead log files, and folding one straight into a shard's rings (crash recovery). */
import { readFileSync } from 'node:fs';
import type { RingStore } from '../ring/ring-store.js';
import { kRecordBytes, kRecordF64, kRecordU32, kSlotU32, kTypeU32, kTimestampF64, kUnitsF64 } from '../queue/layout.js';

export interface LogRecords {
  f64: Float64Array;
  u32: Uint32Array;
  /** Whole records; a torn last record (never acknowledged) is left out. */
  count: number;
}

/** A log file's records, aligned, in the queue record layout. */
export function readLogRecords(path: string): LogRecords {
  const bytes = readFileSync(path);
  const count = Math.floor(bytes.byteLength / kRecordBytes);
  const aligned = new Uint8Array(count * kRecordBytes);
  aligned.set(bytes.subarray(0, aligned.byteLength));
  return { f64: new Float64Array(aligned.buffer), u32: new Uint32Array(aligned.buffer), count };
}

/**
 * Returns the records folded, skipping those of sellers whose stored snapshot already covers this
 * generation (slotMinGeneration).
 */
export function replayLogFile(rings: RingStore, path: string, generation: number, slotMinGeneration: Int32Array): number {
  const { f64, u32, count: whole } = readLogRecords(path);
  let folded = 0;
  for (let i = 0; i < whole; i++) {
    const slot = u32[i * kRecordU32 + kSlotU32];
    if (slot < slotMinGeneration.length && generation < slotMinGeneration[slot]) continue;
    rings.fold(slot, u32[i * kRecordU32 + kTypeU32], f64[i * kRecordF64 + kTimestampF64], f64[i * kRecordF64 + kUnitsF64]);
    folded++;
  }
  return folded;
}
