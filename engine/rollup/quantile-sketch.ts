/**
 * Mergeable quantile sketch of non-negative integer values (event values in units of
 * 1/events.valueScale), after DDSketch (Masson, Rim & Lee, "DDSketch: a fast and fully-mergeable
 * quantile sketch with relative-error guarantees", VLDB 2019).
 *
 *   value 0      → zero counter
 *   value v ≥ 1  → bucket key k = ceil(ln v / ln γ), γ = (1 + α) / (1 - α): bucket k holds
 *                  (γ^(k-1), γ^k] and answers 2γ^k / (γ + 1), within relative error α of every
 *                  value in it
 *
 *   bins: Float64Array ring of 2^⌈log2 maxBuckets⌉ slots, slot = key & mask, live keys [lo, hi]
 *         (hi - lo < maxBuckets); every slot outside [lo, hi] is 0.
 *
 * Bounded: when a key above hi would stretch the range past maxBuckets, the lowest keys are
 * collapsed into the new lowest bucket (the "collapsing lowest" store), so only the smallest
 * quantiles lose accuracy. The live range is always lo = max(min key, max key - maxBuckets + 1),
 * a function of the multiset of values alone: adding in any order, or merging partial sketches,
 * gives the same state — merge(a, b) equals the sketch of the concatenated streams exactly.
 *
 * Exact integers: count and every bucket count are exact below 2^53 (Float64Array), and so is the
 * sum — add() refuses a value that would carry it past Number.MAX_SAFE_INTEGER.
 * add() allocates nothing; serialize() / deserialize() are the boundary (they allocate and throw).
 */
import { kMaxSketchBuckets, type SketchConfig } from '../../config/rollup-schema.js';
import { readVarint, type VarintRead, varintLength, writeVarint } from './varint.js';

/**
 * Serialized form v1, little-endian: a fixed header, then one varint count per key lo..hi
 * (none when there is no non-zero value).
 */
export const kFormatVersion = 1;
const kOffVersion = 0; // u8
const kOffAccuracy = 1; // f64 relativeAccuracy
const kOffMaxBuckets = 9; // u32
const kOffCount = 13; // f64 count (integer)
const kOffSum = 21; // f64 sum (integer)
const kOffZeros = 29; // f64 zero count (integer)
const kOffMin = 37; // f64 min (NaN when empty)
const kOffMax = 45; // f64 max (NaN when empty)
const kOffLo = 53; // i32 lowest live key
const kOffHi = 57; // i32 highest live key
export const kHeaderBytes = 61;

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

function corrupt(why: string): RangeError {
  return new RangeError(`corrupt quantile sketch: ${why}`);
}

export class QuantileSketch {
  readonly relativeAccuracy: number;
  readonly maxBuckets: number;
  /** γ and 1 / ln γ of the key mapping; 2 / (γ + 1) turns γ^k into the bucket's answer. */
  private readonly gamma: number;
  private readonly lnGamma: number;
  private readonly invLnGamma: number;
  private readonly mask: number;
  private readonly bins: Float64Array;
  private lo: number;
  private hi: number;
  private positives: number;
  private zeros: number;
  private total: number;
  private minValue: number;
  private maxValue: number;

  constructor(cfg: SketchConfig) {
    const { relativeAccuracy, maxBuckets } = cfg;
    if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) throw new RangeError(`relativeAccuracy must be in (0, 1), got ${relativeAccuracy}`);
    if (!Number.isInteger(maxBuckets) || maxBuckets < 2 || maxBuckets > kMaxSketchBuckets) {
      throw new RangeError(`maxBuckets must be an integer in [2, ${kMaxSketchBuckets}], got ${maxBuckets}`);
    }
    this.relativeAccuracy = relativeAccuracy;
    this.maxBuckets = maxBuckets;
    this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    this.lnGamma = Math.log(this.gamma);
    this.invLnGamma = 1 / this.lnGamma;
    const capacity = nextPow2(maxBuckets);
    this.mask = capacity - 1;
    this.bins = new Float64Array(capacity);
    this.lo = 0;
    this.hi = -1;
    this.positives = 0;
    this.zeros = 0;
    this.total = 0;
    this.minValue = NaN;
    this.maxValue = NaN;
  }

  /** Number of values added (exact). */
  get count(): number {
    return this.positives + this.zeros;
  }

  /** Sum of the values added (exact integer). */
  get sum(): number {
    return this.total;
  }

  /** Smallest value added (exact); NaN when empty. */
  get min(): number {
    return this.minValue;
  }

  /** Largest value added (exact); NaN when empty. */
  get max(): number {
    return this.maxValue;
  }

  /** Bucket key of a value ≥ 1. */
  key(value: number): number {
    return Math.ceil(Math.log(value) * this.invLnGamma);
  }

  /**
   * Adds one value. False (and nothing changed) unless it is a non-negative safe integer that
   * keeps the sum below 2^53.
   */
  add(value: number): boolean {
    if (!Number.isSafeInteger(value) || value < 0 || this.total + value > Number.MAX_SAFE_INTEGER) return false;
    this.total += value;
    if (!(value >= this.minValue)) this.minValue = value; // NaN-safe: the first value always lands
    if (!(value <= this.maxValue)) this.maxValue = value;
    if (value === 0) {
      this.zeros++;
      return true;
    }
    this.insert(this.key(value), 1);
    return true;
  }

  /**
   * Folds `other` into this sketch. Throws when the two were built with different parameters or
   * when the merged sum would pass 2^53 (nothing changed then).
   */
  merge(other: QuantileSketch): void {
    if (other.relativeAccuracy !== this.relativeAccuracy || other.maxBuckets !== this.maxBuckets) {
      throw new RangeError('cannot merge quantile sketches built with different relativeAccuracy or maxBuckets');
    }
    if (this.total + other.total > Number.MAX_SAFE_INTEGER) throw new RangeError('merged sum would exceed 2^53');
    if (other.count === 0) return;
    this.total += other.total;
    this.zeros += other.zeros;
    if (!(other.minValue >= this.minValue)) this.minValue = other.minValue;
    if (!(other.maxValue <= this.maxValue)) this.maxValue = other.maxValue;
    if (other.positives === 0) return;
    if (this.positives === 0) {
      this.lo = other.lo;
      this.hi = other.hi;
    } else if (other.hi > this.hi) {
      this.raise(other.hi);
    }
    const floor = Math.max(Math.min(this.lo, other.lo), this.hi - this.maxBuckets + 1);
    if (floor < this.lo) this.lo = floor;
    for (let k = other.lo; k <= other.hi; k++) {
      const c = other.bins[k & other.mask];
      if (c !== 0) this.bins[Math.max(k, this.lo) & this.mask] += c;
    }
    this.positives += other.positives;
  }

  /**
   * The value at rank floor(q (count - 1)) of the sorted values, within relative error
   * relativeAccuracy (unless it fell in a collapsed bucket), clamped to [min, max]. q = 0 and
   * q = 1 give min and max exactly; NaN when empty or q is outside [0, 1].
   */
  quantile(q: number): number {
    const n = this.count;
    if (n === 0 || !(q >= 0 && q <= 1)) return NaN;
    if (q === 0) return this.minValue;
    if (q === 1) return this.maxValue;
    const rank = Math.floor(q * (n - 1));
    if (rank < this.zeros) return 0;
    let seen = this.zeros;
    let k = this.lo;
    for (; k < this.hi; k++) {
      seen += this.bins[k & this.mask];
      if (seen > rank) break;
    }
    const answer = (2 * Math.exp(k * this.lnGamma)) / (this.gamma + 1);
    return Math.min(this.maxValue, Math.max(this.minValue, answer));
  }

  /** Empties the sketch, keeping its buffers. */
  reset(): void {
    if (this.positives > 0) for (let k = this.lo; k <= this.hi; k++) this.bins[k & this.mask] = 0;
    this.lo = 0;
    this.hi = -1;
    this.positives = 0;
    this.zeros = 0;
    this.total = 0;
    this.minValue = NaN;
    this.maxValue = NaN;
  }

  /** Compact, self-describing bytes (format v1 above); deserialize() gives back an identical sketch. */
  serialize(): Uint8Array {
    let size = kHeaderBytes;
    if (this.positives > 0) for (let k = this.lo; k <= this.hi; k++) size += varintLength(this.bins[k & this.mask]);
    const out = new Uint8Array(size);
    const view = new DataView(out.buffer);
    view.setUint8(kOffVersion, kFormatVersion);
    view.setFloat64(kOffAccuracy, this.relativeAccuracy, true);
    view.setUint32(kOffMaxBuckets, this.maxBuckets, true);
    view.setFloat64(kOffCount, this.count, true);
    view.setFloat64(kOffSum, this.total, true);
    view.setFloat64(kOffZeros, this.zeros, true);
    view.setFloat64(kOffMin, this.minValue, true);
    view.setFloat64(kOffMax, this.maxValue, true);
    view.setInt32(kOffLo, this.lo, true);
    view.setInt32(kOffHi, this.hi, true);
    let offset = kHeaderBytes;
    if (this.positives > 0) for (let k = this.lo; k <= this.hi; k++) offset = writeVarint(out, offset, this.bins[k & this.mask]);
    return out;
  }

  /** Rebuilds a sketch from serialize() output; throws a RangeError on malformed bytes. */
  static deserialize(bytes: Uint8Array): QuantileSketch {
    if (bytes.length < kHeaderBytes) throw corrupt(`${bytes.length} bytes, header needs ${kHeaderBytes}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const version = view.getUint8(kOffVersion);
    if (version !== kFormatVersion) throw corrupt(`format version ${version}, expected ${kFormatVersion}`);
    const sketch = new QuantileSketch({
      relativeAccuracy: view.getFloat64(kOffAccuracy, true),
      maxBuckets: view.getUint32(kOffMaxBuckets, true),
    });
    const count = view.getFloat64(kOffCount, true);
    const zeros = view.getFloat64(kOffZeros, true);
    const lo = view.getInt32(kOffLo, true);
    const hi = view.getInt32(kOffHi, true);
    sketch.total = view.getFloat64(kOffSum, true);
    sketch.zeros = zeros;
    sketch.minValue = view.getFloat64(kOffMin, true);
    sketch.maxValue = view.getFloat64(kOffMax, true);
    if (!Number.isSafeInteger(count) || !Number.isSafeInteger(zeros) || zeros > count) throw corrupt('counts are not integers in range');
    if (!Number.isSafeInteger(sketch.total) || sketch.total < 0) throw corrupt('sum is not a non-negative safe integer');
    if (count > 0 && !(sketch.minValue >= 0 && sketch.minValue <= sketch.maxValue)) throw corrupt('min/max out of order');
    const positives = count - zeros;
    let offset = kHeaderBytes;
    if (positives > 0) {
      if (!(lo >= 0 && hi >= lo && hi - lo < sketch.maxBuckets)) throw corrupt(`key range [${lo}, ${hi}]`);
      sketch.lo = lo;
      sketch.hi = hi;
      const read: VarintRead = { value: 0, next: 0 };
      let seen = 0;
      for (let k = lo; k <= hi; k++) {
        readVarint(bytes, offset, read);
        if (read.next < 0) throw corrupt(`bad bucket count at byte ${offset}`);
        sketch.bins[k & sketch.mask] = read.value;
        seen += read.value;
        offset = read.next;
      }
      if (seen !== positives) throw corrupt(`bucket counts sum to ${seen}, header says ${positives}`);
      sketch.positives = positives;
    }
    if (offset !== bytes.length) throw corrupt(`${bytes.length - offset} trailing bytes`);
    return sketch;
  }

  /** Places `c` values of key k (k ≥ 0), moving or collapsing the live range as needed. */
  private insert(k: number, c: number): void {
    if (this.positives === 0) {
      this.lo = k;
      this.hi = k;
    } else if (k > this.hi) {
      this.raise(k);
    } else if (k < this.lo) {
      this.lo = Math.max(k, this.hi - this.maxBuckets + 1);
    }
    this.bins[Math.max(k, this.lo) & this.mask] += c;
    this.positives += c;
  }

  /** Moves hi up to newHi; keys that fall out of the window collapse into the new lowest key. */
  private raise(newHi: number): void {
    const newLo = Math.max(this.lo, newHi - this.maxBuckets + 1);
    if (newLo > this.lo) {
      let collapsed = 0;
      const last = Math.min(this.hi, newLo - 1);
      for (let k = this.lo; k <= last; k++) {
        collapsed += this.bins[k & this.mask];
        this.bins[k & this.mask] = 0;
      }
      this.bins[newLo & this.mask] += collapsed;
      this.lo = newLo;
    }
    this.hi = newHi;
  }
}
