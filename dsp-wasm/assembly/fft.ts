/**
 * Power-of-two complex FFT on split real/imaginary float64 arrays, plus
 * Bluestein's chirp-z transform for other lengths (Bluestein 1970;
 * Rabiner, Schafer & Rader 1969). f64x2 SIMD butterflies, twiddles cached in
 * the plan region (see memory.ts).
 *
 * - fftDif: decimation in frequency (Gentleman & Sande 1966), natural-order
 *   input, bit-reversed output.
 * - fftDitInverse: decimation in time with conjugate twiddles, bit-reversed
 *   input, natural output, unscaled. A convolution DIF -> pointwise product ->
 *   DIT therefore needs no bit-reversal pass. Called with the real and
 *   imaginary arrays exchanged it computes the forward DFT, since
 *   DFT(z) = swap(IDFT(swap(z))) with swap(a + ib) = b + ia.
 *
 * Twiddle table: for every stage length s = 2, 4, ..., twiddleSize the block
 * [cos(2 pi j/s) for j < s/2][-sin(2 pi j/s) for j < s/2] starts at float64
 * index s - 2, so a table built for a large size serves every smaller size and
 * each stage reads its twiddles contiguously.
 */
import { F64_SHIFT, planAlloc, planPtr, planTruncate } from './memory';

const TWO_PI: f64 = 2.0 * Math.PI;
/** Bytes in one v128 / float64 pair. */
const PAIR_BYTES: usize = 16;

let twiddleOffset: usize = 0;
let twiddleSize: i32 = 0;
let chirpOffset: usize = 0;
let chirpLength: i32 = 0;
let chirpSize: i32 = 0;

// @ts-ignore: decorator
@inline export function isPow2(n: i32): bool {
  return n > 0 && (n & (n - 1)) == 0;
}

/** Smallest power of two >= n, for 1 <= n <= 2^30. */
export function nextPow2(n: i32): i32 {
  return n <= 1 ? 1 : 1 << (32 - clz(n - 1));
}

// @ts-ignore: decorator
@inline function at(base: usize, index: i32): usize {
  return base + ((<usize>index) << F64_SHIFT);
}

/** Makes the twiddle table cover stage lengths up to `size` (a power of two >= 2). */
export function ensureTwiddles(size: i32): bool {
  if (twiddleSize >= size) return true;
  planTruncate(0);
  chirpLength = 0;
  twiddleSize = 0;
  twiddleOffset = planAlloc((<usize>(size - 1) << 1) << F64_SHIFT);
  if (twiddleOffset == 0) return false;
  const table = planPtr(twiddleOffset);
  for (let s = 2; s <= size; s <<= 1) {
    const half = s >> 1;
    const re = at(table, s - 2);
    const im = at(re, half);
    for (let j = 0; j < half; j++) {
      const angle = (TWO_PI * <f64>j) / <f64>s;
      store<f64>(at(re, j), Math.cos(angle));
      store<f64>(at(im, j), -Math.sin(angle));
    }
  }
  twiddleSize = size;
  return true;
}

/** Address of the twiddle table (re-read after any allocation). */
export function twiddles(): usize {
  return planPtr(twiddleOffset);
}

/** cos and -sin of 2 pi j / s for j < s/2: real part address (imaginary at + s/2). */
export function stageTwiddles(table: usize, s: i32): usize {
  return at(table, s - 2);
}

/** In-place forward DIF FFT of length m (power of two); output in bit-reversed order. */
export function fftDif(re: usize, im: usize, m: i32, table: usize): void {
  assert(isPow2(m) && m <= twiddleSize, 'fftDif: size not covered by the twiddle table');
  for (let len = m; len >= 4; len >>= 1) stage(re, im, m, len, table, false);
  if (m >= 2) radix2Pass(re, im, m);
}

/** In-place inverse DIT FFT of length m from bit-reversed input; natural order, unscaled. */
export function fftDitInverse(re: usize, im: usize, m: i32, table: usize): void {
  assert(isPow2(m) && m <= twiddleSize, 'fftDitInverse: size not covered by the twiddle table');
  if (m >= 2) radix2Pass(re, im, m);
  let len = 4;
  // stages two at a time (len and 2 len in one pass over the data: the same butterflies in the
  // same order, half the memory traffic), the last one alone when their number is odd
  for (; len * 2 <= m; len <<= 2) ditStagePair(re, im, m, len, table);
  if (len <= m) stage(re, im, m, len, table, true);
}

/**
 * The DIT butterfly on two float64 pairs in place: t = b * conj(w), (a, b) -> (a + t, a - t). aRe/bRe
 * and aIm/bIm address the pairs' real and imaginary parts, wRe/wIm their twiddles.
 */
// @ts-ignore: decorator
@inline function ditButterfly(aRe: usize, aIm: usize, bRe: usize, bIm: usize, wRe: usize, wIm: usize): void {
  const br = v128.load(bRe);
  const bi = v128.load(bIm);
  const wr = v128.load(wRe);
  const wi = v128.load(wIm);
  const tr = f64x2.add(f64x2.mul(br, wr), f64x2.mul(bi, wi));
  const ti = f64x2.sub(f64x2.mul(bi, wr), f64x2.mul(br, wi));
  const ar = v128.load(aRe);
  const ai = v128.load(aIm);
  v128.store(aRe, f64x2.add(ar, tr));
  v128.store(aIm, f64x2.add(ai, ti));
  v128.store(bRe, f64x2.sub(ar, tr));
  v128.store(bIm, f64x2.sub(ai, ti));
}

/**
 * The DIF butterfly on two float64 pairs in place: (a, b) -> (a + b, (a - b) * w), addresses as in
 * ditButterfly.
 */
// @ts-ignore: decorator
@inline function difButterfly(aRe: usize, aIm: usize, bRe: usize, bIm: usize, wRe: usize, wIm: usize): void {
  const ar = v128.load(aRe);
  const ai = v128.load(aIm);
  const br = v128.load(bRe);
  const bi = v128.load(bIm);
  v128.store(aRe, f64x2.add(ar, br));
  v128.store(aIm, f64x2.add(ai, bi));
  const dr = f64x2.sub(ar, br);
  const di = f64x2.sub(ai, bi);
  const wr = v128.load(wRe);
  const wi = v128.load(wIm);
  v128.store(bRe, f64x2.sub(f64x2.mul(dr, wr), f64x2.mul(di, wi)));
  v128.store(bIm, f64x2.add(f64x2.mul(dr, wi), f64x2.mul(di, wr)));
}

/** One stage of length len over the whole array: DIT butterflies when `dit`, DIF ones otherwise. */
function stage(re: usize, im: usize, m: i32, len: i32, table: usize, dit: bool): void {
  const half = len >> 1;
  const wRe = stageTwiddles(table, len);
  const wIm = at(wRe, half);
  const halfBytes = (<usize>half) << F64_SHIFT;
  for (let start = 0; start < m; start += len) {
    const aRe = at(re, start);
    const aIm = at(im, start);
    for (let o: usize = 0; o < halfBytes; o += PAIR_BYTES) {
      if (dit) ditButterfly(aRe + o, aIm + o, aRe + halfBytes + o, aIm + halfBytes + o, wRe + o, wIm + o);
      else difButterfly(aRe + o, aIm + o, aRe + halfBytes + o, aIm + halfBytes + o, wRe + o, wIm + o);
    }
  }
}

/**
 * DIT stages len and 2 len in one pass: per block of 2 len, the four points j, j + len/2, len + j,
 * len + j + len/2 go through their two stage-len butterflies, then their two stage-2len ones —
 * exactly the operations stage(len) then stage(2 len) would do on them, while they are in
 * the cache.
 */
function ditStagePair(re: usize, im: usize, m: i32, len: i32, table: usize): void {
  const half = len >> 1;
  const w1Re = stageTwiddles(table, len);
  const w1Im = at(w1Re, half);
  const w2Re = stageTwiddles(table, len << 1);
  const w2Im = at(w2Re, len);
  const q = (<usize>half) << F64_SHIFT;
  for (let start = 0; start < m; start += len << 1) {
    const pRe = at(re, start);
    const pIm = at(im, start);
    for (let o: usize = 0; o < q; o += PAIR_BYTES) {
      const r0 = pRe + o;
      const i0 = pIm + o;
      ditButterfly(r0, i0, r0 + q, i0 + q, w1Re + o, w1Im + o);
      ditButterfly(r0 + 2 * q, i0 + 2 * q, r0 + 3 * q, i0 + 3 * q, w1Re + o, w1Im + o);
      ditButterfly(r0, i0, r0 + 2 * q, i0 + 2 * q, w2Re + o, w2Im + o);
      ditButterfly(r0 + q, i0 + q, r0 + 3 * q, i0 + 3 * q, w2Re + q + o, w2Im + q + o);
    }
  }
}

/** The twiddle-free length-2 stage shared by DIF and DIT: (a, b) -> (a + b, a - b). */
function radix2Pass(re: usize, im: usize, m: i32): void {
  for (let i = 0; i < m; i += 2) {
    const pr = at(re, i);
    const pi = at(im, i);
    const ar = load<f64>(pr);
    const br = load<f64>(pr, 8);
    const ai = load<f64>(pi);
    const bi = load<f64>(pi, 8);
    store<f64>(pr, ar + br);
    store<f64>(pr, ar - br, 8);
    store<f64>(pi, ai + bi);
    store<f64>(pi, ai - bi, 8);
  }
}

/**
 * Makes the plan cache hold the Bluestein plan for length n (>= 2): the
 * transformed filter B (bit-reversed, scaled by 1/m), the chirp
 * c[j] = e^{-i pi j^2 / n} and the real-split twiddles e^{-i pi j / n}, j < n.
 * One chirp length is cached at a time.
 */
export function ensureChirp(n: i32): bool {
  if (chirpLength == n) return true;
  const m = nextPow2(2 * n - 1);
  if (!ensureTwiddles(m)) return false;
  planTruncate(twiddleOffset);
  chirpLength = 0;
  chirpOffset = planAlloc(((<usize>m << 1) + (<usize>n << 2)) << F64_SHIFT);
  if (chirpOffset == 0) return false;
  chirpSize = m;
  const bRe = chirpFilter();
  const bIm = at(bRe, m);
  const cRe = chirp();
  const cIm = at(cRe, n);
  const sRe = at(cIm, n);
  const sIm = at(sRe, n);
  const twoN = <i64>n << 1;
  const scale = 1.0 / <f64>m;
  memory.fill(bRe, 0, (<usize>m << 1) << F64_SHIFT);
  for (let j = 0; j < n; j++) {
    // j^2 mod 2n is exact in i64 and keeps the angle in [0, 2 pi).
    const angle = (Math.PI * <f64>((<i64>j * <i64>j) % twoN)) / <f64>n;
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    store<f64>(at(cRe, j), c);
    store<f64>(at(cIm, j), -s);
    store<f64>(at(bRe, j), c * scale);
    store<f64>(at(bIm, j), s * scale);
    if (j > 0) {
      store<f64>(at(bRe, m - j), c * scale);
      store<f64>(at(bIm, m - j), s * scale);
    }
    const split = (Math.PI * <f64>j) / <f64>n;
    store<f64>(at(sRe, j), Math.cos(split));
    store<f64>(at(sIm, j), -Math.sin(split));
  }
  fftDif(bRe, bIm, m, twiddles());
  chirpLength = n;
  return true;
}

/** Bluestein plan addresses (valid after ensureChirp, until the next allocation). */
export function chirpFilter(): usize {
  return planPtr(chirpOffset);
}
export function chirp(): usize {
  return at(chirpFilter(), chirpSize << 1);
}
export function splitTwiddles(): usize {
  return at(chirp(), chirpLength << 1);
}

/**
 * DFT of length n (after ensureChirp(n)) of z = (zRe, zIm), via a length-m
 * circular convolution in the scratch arrays (wRe, wIm); the first `bins`
 * outputs overwrite z.
 */
export function bluestein(zRe: usize, zIm: usize, n: i32, bins: i32, wRe: usize, wIm: usize): void {
  assert(chirpLength == n && bins <= n, 'bluestein: no plan for this length');
  const m = chirpSize;
  const table = twiddles();
  const bRe = chirpFilter();
  const bIm = at(bRe, m);
  const cRe = chirp();
  const cIm = at(cRe, n);
  for (let j = 0; j < n; j++) {
    const xr = load<f64>(at(zRe, j));
    const xi = load<f64>(at(zIm, j));
    const cr = load<f64>(at(cRe, j));
    const ci = load<f64>(at(cIm, j));
    store<f64>(at(wRe, j), xr * cr - xi * ci);
    store<f64>(at(wIm, j), xr * ci + xi * cr);
  }
  const tail = (<usize>(m - n)) << F64_SHIFT;
  memory.fill(at(wRe, n), 0, tail);
  memory.fill(at(wIm, n), 0, tail);
  fftDif(wRe, wIm, m, table);
  const bytes = (<usize>m) << F64_SHIFT;
  for (let o: usize = 0; o < bytes; o += PAIR_BYTES) {
    const ar = v128.load(wRe + o);
    const ai = v128.load(wIm + o);
    const br = v128.load(bRe + o);
    const bi = v128.load(bIm + o);
    v128.store(wRe + o, f64x2.sub(f64x2.mul(ar, br), f64x2.mul(ai, bi)));
    v128.store(wIm + o, f64x2.add(f64x2.mul(ar, bi), f64x2.mul(ai, br)));
  }
  fftDitInverse(wRe, wIm, m, table);
  for (let k = 0; k < bins; k++) {
    const yr = load<f64>(at(wRe, k));
    const yi = load<f64>(at(wIm, k));
    const cr = load<f64>(at(cRe, k));
    const ci = load<f64>(at(cIm, k));
    store<f64>(at(zRe, k), yr * cr - yi * ci);
    store<f64>(at(zIm, k), yr * ci + yi * cr);
  }
}
