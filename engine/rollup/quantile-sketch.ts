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

/** Slots of QuantileSketch.n. */
const kTotal = 0;
const kPositives = 1;
const kZeros = 2;
const kMin = 3;
const kMax = 4;
const kStateSlots = 5;

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
  /**
   * The numeric state in one Float64Array: a double-valued object field (the sum passes 2^31 fast)
   * would be a boxed HeapNumber replaced on every add, i.e. an allocation per value.
   */
  private readonly n: Float64Array;
  /** Scratch for add(v) → addFrom. */
  private readonly one = new Float64Array(1);

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
    this.n = new Float64Array(kStateSlots);
    this.n[kMin] = NaN;
    this.n[kMax] = NaN;
  }

  /** Number of values added (exact). */
  get count(): number {
    return this.n[kPositives] + this.n[kZeros];
  }

  /** Sum of the values added (exact integer). */
  get sum(): number {
    return this.n[kTotal];
  }

  /** Smallest value added (exact); NaN when empty. */
  get min(): number {
    return this.n[kMin];
  }

  /** Largest value added (exact); NaN when empty. */
  get max(): number {
    return this.n[kMax];
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
    this.one[0] = value;
    return this.addFrom(this.one, 0);
  }

  /**
   * Adds the value at `src[at]` — the hot path's form: a double passed as an argument to a call
   * that is not inlined is boxed (allocated), one read from a typed array is not.
   */
  addFrom(src: Float64Array, at: number): boolean {
    const value = src[at];
    const n = this.n;
    if (!Number.isSafeInteger(value) || value < 0 || n[kTotal] + value > Number.MAX_SAFE_INTEGER) return false;
    n[kTotal] += value;
    if (!(value >= n[kMin])) n[kMin] = value; // NaN-safe: the first value always lands
    if (!(value <= n[kMax])) n[kMax] = value;
    if (value === 0) {
      n[kZeros]++;
      return true;
    }
    this.insert(Math.ceil(Math.log(value) * this.invLnGamma), 1);
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
    if (this.n[kTotal] + other.n[kTotal] > Number.MAX_SAFE_INTEGER) throw new RangeError('merged sum would exceed 2^53');
    if (other.count === 0) return;
    this.n[kTotal] += other.n[kTotal];
    this.n[kZeros] += other.n[kZeros];
    if (!(other.n[kMin] >= this.n[kMin])) this.n[kMin] = other.n[kMin];
    if (!(other.n[kMax] <= this.n[kMax])) this.n[kMax] = other.n[kMax];
    if (other.n[kPositives] === 0) return;
    if (this.n[kPositives] === 0) {
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
    this.n[kPositives] += other.n[kPositives];
  }

  /**
   * The value at rank floor(q (count - 1)) of the sorted values, within relative error
   * relativeAccuracy (unless it fell in a collapsed bucket), clamped to [min, max]. q = 0 and
   * q = 1 give min and max exactly; NaN when empty or q is outside [0, 1].
   */
  quantile(q: number): number {
    const n = this.count;
    if (n === 0 || !(q >= 0 && q <= 1)) return NaN;
    if (q === 0) return this.n[kMin];
    if (q === 1) return this.n[kMax];
    const rank = Math.floor(q * (n - 1));
    if (rank < this.n[kZeros]) return 0;
    let seen = this.n[kZeros];
    let k = this.lo;
    for (; k < this.hi; k++) {
      seen += this.bins[k & this.mask];
      if (seen > rank) break;
    }
    const answer = (2 * Math.exp(k * this.lnGamma)) / (this.gamma + 1);
    return Math.min(this.n[kMax], Math.max(this.n[kMin], answer));
  }

  /** Empties the sketch, keeping its buffers. */
  reset(): void {
    if (this.n[kPositives] > 0) for (let k = this.lo; k <= this.hi; k++) this.bins[k & this.mask] = 0;
    this.lo = 0;
    this.hi = -1;
    this.n.fill(0);
    this.n[kMin] = NaN;
    this.n[kMax] = NaN;
  }

  /** Compact, self-describing bytes (format v1 above); deserialize() gives back an identical sketch. */
  serialize(): Uint8Array {
    let size = kHeaderBytes;
    if (this.n[kPositives] > 0) for (let k = this.lo; k <= this.hi; k++) size += varintLength(this.bins[k & this.mask]);
    const out = new Uint8Array(size);
    const view = new DataView(out.buffer);
    view.setUint8(kOffVersion, kFormatVersion);
    view.setFloat64(kOffAccuracy, this.relativeAccuracy, true);
    view.setUint32(kOffMaxBuckets, this.maxBuckets, true);
    view.setFloat64(kOffCount, this.count, true);
    view.setFloat64(kOffSum, this.n[kTotal], true);
    view.setFloat64(kOffZeros, this.n[kZeros], true);
    view.setFloat64(kOffMin, this.n[kMin], true);
    view.setFloat64(kOffMax, this.n[kMax], true);
    view.setInt32(kOffLo, this.lo, true);
    view.setInt32(kOffHi, this.hi, true);
    let offset = kHeaderBytes;
    if (this.n[kPositives] > 0) for (let k = this.lo; k <= this.hi; k++) offset = writeVarint(out, offset, this.bins[k & this.mask]);
    return out;
  }

  /**
   * Rebuilds a sketch from serialize() output; throws a RangeError on malformed bytes. With `into`, a
   * sketch built with the parameters the bytes carry, that sketch is emptied and filled instead of a
   * new one (a sketch holds nextPow2(maxBuckets) buckets, 16 KiB by default: a flush merging thousands
   * of deltas made that much garbage per delta, and the main thread paid for it in 15–20 ms
   * collections); a sketch of other parameters is left alone and a new one returned.
   */
  static deserialize(bytes: Uint8Array, into?: QuantileSketch): QuantileSketch {
    if (bytes.length < kHeaderBytes) throw corrupt(`${bytes.length} bytes, header needs ${kHeaderBytes}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const version = view.getUint8(kOffVersion);
    if (version !== kFormatVersion) throw corrupt(`format version ${version}, expected ${kFormatVersion}`);
    const relativeAccuracy = view.getFloat64(kOffAccuracy, true);
    const maxBuckets = view.getUint32(kOffMaxBuckets, true);
    let sketch: QuantileSketch;
    if (into !== undefined && into.relativeAccuracy === relativeAccuracy && into.maxBuckets === maxBuckets) {
      into.reset();
      sketch = into;
    } else {
      sketch = new QuantileSketch({ relativeAccuracy, maxBuckets });
    }
    const count = view.getFloat64(kOffCount, true);
    const zeros = view.getFloat64(kOffZeros, true);
    const lo = view.getInt32(kOffLo, true);
    const hi = view.getInt32(kOffHi, true);
    sketch.n[kTotal] = view.getFloat64(kOffSum, true);
    sketch.n[kZeros] = zeros;
    sketch.n[kMin] = view.getFloat64(kOffMin, true);
    sketch.n[kMax] = view.getFloat64(kOffMax, true);
    if (!Number.isSafeInteger(count) || !Number.isSafeInteger(zeros) || zeros > count) throw corrupt('counts are not integers in range');
    if (!Number.isSafeInteger(sketch.n[kTotal]) || sketch.n[kTotal] < 0) throw corrupt('sum is not a non-negative safe integer');
    if (count > 0 && !(sketch.n[kMin] >= 0 && sketch.n[kMin] <= sketch.n[kMax])) throw corrupt('min/max out of order');
    const positives = count - zeros;
    let offset = kHeaderBytes;
    if (positives > 0) {
      if (!(lo >= 0 && hi >= lo && hi - lo < sketch.maxBuckets)) throw corrupt(`key range [${lo}, ${hi}]`);
      sketch.lo = lo;
      sketch.hi = hi;
      // counted before the buckets are read, so a reused sketch that throws part way is emptied by reset()
      sketch.n[kPositives] = positives;
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
    }
    if (offset !== bytes.length) throw corrupt(`${bytes.length - offset} trailing bytes`);
    return sketch;
  }

  /** Places `c` values of key k (k ≥ 0), moving or collapsing the live range as needed. */
  private insert(k: number, c: number): void {
    if (this.n[kPositives] === 0) {
      this.lo = k;
      this.hi = k;
    } else if (k > this.hi) {
      this.raise(k);
    } else if (k < this.lo) {
      this.lo = Math.max(k, this.hi - this.maxBuckets + 1);
    }
    this.bins[Math.max(k, this.lo) & this.mask] += c;
    this.n[kPositives] += c;
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
