/**
 * Memory map of a shard ingest queue: a single-producer single-consumer ring of fixed-size records
 * in two SharedArrayBuffers, written by the main thread and folded by the shard worker.
 *
 *   control SAB (Int32Array, one 64-byte cache line per slot so producer and consumer never share one)
 *   ┌────────────┬────────────┬────────────┐
 *   │ kHead @0   │ kTail @16  │ kParked @32│   head: next record the worker reads (worker writes)
 *   └────────────┴────────────┴────────────┘   tail: next record the main thread writes (main writes)
 *                                               parked: 1 while the worker sleeps in Atomics.wait
 *   records SAB (capacity × kRecordBytes)
 *   ┌──────────────── record i ────────────────┐
 *   │ f64 timestamp │ f64 value units │ u32 slot │ u32 type │
 *   └───────────────┴─────────────────┴──────────┴──────────┘
 *
 * head and tail are wrapping int32 counters; used = (tail - head) | 0; record index = counter & mask.
 */
export const kControlInts = 48;
export const kHead = 0;
export const kTail = 16;
export const kParked = 32;

export const kRecordBytes = 24;
/** Float64 slots per record. */
export const kRecordF64 = kRecordBytes / 8;
/** Uint32 slots per record. */
export const kRecordU32 = kRecordBytes / 4;
export const kTimestampF64 = 0;
export const kUnitsF64 = 1;
export const kSlotU32 = 4;
export const kTypeU32 = 5;
