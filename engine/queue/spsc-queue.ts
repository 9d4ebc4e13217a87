/**
 * SPSC ingest queue over SharedArrayBuffers (layout in ./layout.ts).
 *
 * Memory ordering: the producer writes record payloads with plain stores, then publishes with
 * Atomics.store(kTail) — a sequentially consistent store, so every payload store happens-before a
 * consumer's Atomics.load(kTail) that observes it. The consumer reads payloads, then releases the
 * slots with Atomics.store(kHead). Only the worker ever calls Atomics.wait (on kTail); the producer
 * notifies only when the worker has said it is parked and enough records wait, or when asked to.
 */
import {
  kControlInts, kHead, kTail, kParked, kRecordBytes, kRecordF64, kRecordU32, kTimestampF64, kUnitsF64, kSlotU32, kTypeU32,
} from './layout.js';

export interface QueueBuffers {
  control: SharedArrayBuffer;
  records: SharedArrayBuffer;
  capacity: number;
}

export function allocateQueue(capacity: number): QueueBuffers {
  return {
    control: new SharedArrayBuffer(kControlInts * Int32Array.BYTES_PER_ELEMENT),
    records: new SharedArrayBuffer(capacity * kRecordBytes),
    capacity,
  };
}

/** Main-thread side. `tail` is cached locally; only `publish` makes writes visible. */
export class QueueProducer {
  readonly capacity: number;
  readonly #mask: number;
  readonly #ctl: Int32Array;
  readonly #f64: Float64Array;
  readonly #u32: Uint32Array;
  readonly #wakeDepth: number;
  #tail: number;
  readonly #one = new Float64Array(2);

  constructor(buffers: QueueBuffers, wakeDepth: number) {
    this.capacity = buffers.capacity;
    this.#mask = buffers.capacity - 1;
    this.#ctl = new Int32Array(buffers.control);
    this.#f64 = new Float64Array(buffers.records);
    this.#u32 = new Uint32Array(buffers.records);
    this.#wakeDepth = wakeDepth;
    this.#tail = Atomics.load(this.#ctl, kTail);
  }

  /** The producer's counter: the position after the last record written. */
  get tail(): number {
    return this.#tail;
  }

  /** Records currently waiting (published or not yet published). */
  depth(): number {
    return (this.#tail - Atomics.load(this.#ctl, kHead)) | 0;
  }

  free(): number {
    return this.capacity - this.depth();
  }

  /**
   * Writes one record from `src[at]` (timestamp) and `src[at + 1]` (value units); the caller has
   * checked free() first. Not visible until publish(). The doubles are read here rather than
   * passed in, so they are never boxed.
   */
  writeFrom(src: Float64Array, at: number, slot: number, type: number): void {
    const i = this.#tail & this.#mask;
    this.#f64[i * kRecordF64 + kTimestampF64] = src[at];
    this.#f64[i * kRecordF64 + kUnitsF64] = src[at + 1];
    this.#u32[i * kRecordU32 + kSlotU32] = slot;
    this.#u32[i * kRecordU32 + kTypeU32] = type;
    this.#tail = (this.#tail + 1) | 0;
  }

  /** Writes one record from plain numbers (tests and tools; the ingest path uses writeFrom). */
  write(timestamp: number, units: number, slot: number, type: number): void {
    this.#one[0] = timestamp;
    this.#one[1] = units;
    this.writeFrom(this.#one, 0, slot, type);
  }

  /** Makes written records visible; wakes a parked worker once enough records wait. */
  publish(): void {
    Atomics.store(this.#ctl, kTail, this.#tail);
    // one notify per park: whoever flips parked 1 → 0 wakes the worker (a futex wake costs
    // microseconds; repeating it until the worker is scheduled would cost more than the events).
    // A worker that set parked but has not yet slept sees the new tail in Atomics.wait and returns.
    if (Atomics.load(this.#ctl, kParked) === 1 && this.depth() >= this.#wakeDepth && Atomics.compareExchange(this.#ctl, kParked, 1, 0) === 1) {
      Atomics.notify(this.#ctl, kTail, 1);
    }
  }

  /** Wakes the worker regardless of depth (a query or control message is waiting). */
  wake(): void {
    Atomics.store(this.#ctl, kParked, 0);
    Atomics.notify(this.#ctl, kTail, 1);
  }
}

/** Worker side. */
export class QueueConsumer {
  readonly #mask: number;
  readonly #ctl: Int32Array;
  readonly f64: Float64Array;
  readonly u32: Uint32Array;
  #head: number;

  constructor(buffers: QueueBuffers) {
    this.#mask = buffers.capacity - 1;
    this.#ctl = new Int32Array(buffers.control);
    this.f64 = new Float64Array(buffers.records);
    this.u32 = new Uint32Array(buffers.records);
    this.#head = Atomics.load(this.#ctl, kHead);
  }

  /** Published tail (acquire). */
  tail(): number {
    return Atomics.load(this.#ctl, kTail);
  }

  get head(): number {
    return this.#head;
  }

  /** Record index (not counter) of the counter value `n`. */
  index(n: number): number {
    return n & this.#mask;
  }

  /** Releases every record before counter `n` back to the producer. */
  release(n: number): void {
    this.#head = n;
    Atomics.store(this.#ctl, kHead, n);
  }

  /** Parks until the tail moves away from `seenTail`, a notify, or the timeout. */
  park(seenTail: number, timeoutMs: number): void {
    Atomics.store(this.#ctl, kParked, 1);
    if (Atomics.load(this.#ctl, kTail) === seenTail) Atomics.wait(this.#ctl, kTail, seenTail, timeoutMs);
    Atomics.store(this.#ctl, kParked, 0);
  }
}
