/**
 * The quantile sketches a shard worker keeps while events arrive (issue 7: rollups from mergeable
 * sketches, no raw events kept). Per seller slot and sketched event type, `liveHours` ways, one
 * per hour (way = hour mod liveHours): an event lands in its hour's way; an event for a newer hour
 * closes the older hour that held the way (its sketch goes to the outbox); an event older than every
 * open hour is only counted (`late`) — its count and sum are in the rings, its value is not sketched.
 *
 *   per slot:  hours   Float64Array(types × ways)   hour index held by each way, -1 = free
 *              sketches (QuantileSketch | null)[]   allocated on the way's first event, then reused
 *              dirty   Uint8Array(types × ways)     values added since the last flush
 *
 * `flush()` (or `flushSlice()`, a slot range at a time) serialises every dirty sketch (and the closed
 * ones) as deltas for the main thread, which merges them into the stored hourly sketches (sketches
 * merge exactly). Adding allocates nothing;
 * a new slot or way allocates once, closing or flushing serialises (allocates) once per hour.
 */
import type { Config } from '../../config/index.js';
import { QuantileSketch } from './quantile-sketch.js';
import { kTimestampF64, kUnitsF64 } from '../queue/layout.js';

export interface SketchDelta {
  slot: number;
  type: number;
  /** Hour index: floor(timestamp / hourly bucket ms). */
  hour: number;
  bytes: Uint8Array;
}

/** One slice of a flush (LiveSketches.flushSlice). */
export interface SketchFlushSlice {
  deltas: SketchDelta[];
  /** Where the next slice starts; -1 when the flush is complete. */
  nextSlot: number;
}

const kFree = -1;

export class LiveSketches {
  readonly #config: Readonly<Config>;
  readonly #ways: number;
  readonly #typeCount: number;
  readonly #hourMs: number;
  /** Bit t set: event type t is sketched. */
  readonly #typeMask: number;
  readonly #hours: (Float64Array | undefined)[] = [];
  readonly #sketches: ((QuantileSketch | null)[] | undefined)[] = [];
  readonly #dirty: (Uint8Array | undefined)[] = [];
  #outbox: SketchDelta[] = [];
  /** Values too old for every open hour (counted in the rings, not sketched). */
  late = 0;
  /** Values the sketch refused (not a safe non-negative integer of units). */
  refused = 0;

  constructor(config: Readonly<Config>) {
    this.#config = config;
    this.#ways = config.rollup.liveHours;
    this.#typeCount = config.events.types.length;
    this.#hourMs = config.rollup.granularities.hourly;
    let mask = 0;
    config.events.types.forEach((t, i) => {
      if (config.rollup.sketchTypes.includes(t.name)) mask |= 1 << i;
    });
    this.#typeMask = mask;
  }

  /** Whether values of `type` are sketched (callers skip the call otherwise). */
  sketched(type: number): boolean {
    return ((this.#typeMask >>> type) & 1) === 1;
  }

  /**
   * Sketches the event at `src[at..]` (a queue record: timestamp, units). Numbers are read from the
   * array, never passed as arguments, so no double is boxed on this path (see ring-store.ts).
   */
  addFrom(slot: number, type: number, src: Float64Array, at: number): void {
    let hours = this.#hours[slot];
    if (hours === undefined) hours = this.#newSlot(slot);
    const hour = Math.floor(src[at + kTimestampF64] / this.#hourMs);
    const i = type * this.#ways + (hour % this.#ways);
    const held = hours[i];
    const sketches = this.#sketches[slot] as (QuantileSketch | null)[];
    const dirty = this.#dirty[slot] as Uint8Array;
    if (held !== hour) {
      if (held > hour) {
        this.late++;
        return;
      }
      if (held !== kFree && dirty[i] === 1) this.#close(slot, type, held, sketches[i] as QuantileSketch);
      hours[i] = hour;
      dirty[i] = 0;
      sketches[i]?.reset();
    }
    const sketch = sketches[i] ?? (sketches[i] = new QuantileSketch(this.#config.rollup.sketch));
    if (sketch.addFrom(src, at + kUnitsF64)) dirty[i] = 1;
    else this.refused++;
  }

  /** Every value sketched since the last flush, as deltas (closed hours first); resets what it hands over. */
  flush(): SketchDelta[] {
    return this.flushSlice(0, Infinity).deltas;
  }

  /**
   * A slice of a flush: the closed hours (with the first slice, fromSlot 0) and the dirty sketches of the
   * slots from `fromSlot` on, stopping after the slot at which `maxDeltas` is reached; `nextSlot` is where
   * the next slice starts, -1 when every slot was visited. Between slices the worker folds and answers
   * queries; a value folded meanwhile into a visited slot waits for the next flush.
   */
  flushSlice(fromSlot: number, maxDeltas: number): SketchFlushSlice {
    const out = fromSlot === 0 ? this.#outbox : [];
    if (fromSlot === 0) this.#outbox = [];
    for (let slot = fromSlot; slot < this.#hours.length; slot++) {
      const dirty = this.#dirty[slot];
      if (dirty === undefined) continue;
      const hours = this.#hours[slot] as Float64Array;
      const sketches = this.#sketches[slot] as (QuantileSketch | null)[];
      for (let i = 0; i < dirty.length; i++) {
        if (dirty[i] === 0) continue;
        const sketch = sketches[i] as QuantileSketch;
        out.push({ slot, type: Math.floor(i / this.#ways), hour: hours[i], bytes: sketch.serialize() });
        sketch.reset();
        dirty[i] = 0;
      }
      if (out.length >= maxDeltas && slot + 1 < this.#hours.length) return { deltas: out, nextSlot: slot + 1 };
    }
    return { deltas: out, nextSlot: -1 };
  }

  #close(slot: number, type: number, hour: number, sketch: QuantileSketch): void {
    this.#outbox.push({ slot, type, hour, bytes: sketch.serialize() });
  }

  #newSlot(slot: number): Float64Array {
    const n = this.#typeCount * this.#ways;
    const hours = new Float64Array(n).fill(kFree);
    this.#hours[slot] = hours;
    this.#sketches[slot] = new Array<QuantileSketch | null>(n).fill(null);
    this.#dirty[slot] = new Uint8Array(n);
    return hours;
  }
}
