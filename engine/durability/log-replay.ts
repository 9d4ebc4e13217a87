/** Folds one write-ahead log file straight into a shard's rings (crash recovery in the worker). */
import { readFileSync } from 'node:fs';
import type { RingStore } from '../ring/ring-store.js';
import { kRecordBytes, kRecordF64, kRecordU32, kSlotU32, kTypeU32, kTimestampF64, kUnitsF64 } from '../queue/layout.js';

/**
 * Returns the records folded; a torn last record (never acknowledged) is skipped, and so are the
 * records of sellers whose stored snapshot already covers this generation (slotMinGeneration).
 */
export function replayLogFile(rings: RingStore, path: string, generation: number, slotMinGeneration: Int32Array): number {
  const bytes = readFileSync(path);
  const whole = Math.floor(bytes.byteLength / kRecordBytes);
  const aligned = new Uint8Array(whole * kRecordBytes);
  aligned.set(bytes.subarray(0, aligned.byteLength));
  const f64 = new Float64Array(aligned.buffer);
  const u32 = new Uint32Array(aligned.buffer);
  let folded = 0;
  for (let i = 0; i < whole; i++) {
    const slot = u32[i * kRecordU32 + kSlotU32];
    if (slot < slotMinGeneration.length && generation < slotMinGeneration[slot]) continue;
    rings.fold(slot, u32[i * kRecordU32 + kTypeU32], f64[i * kRecordF64 + kTimestampF64], f64[i * kRecordF64 + kUnitsF64]);
    folded++;
  }
  return folded;
}
