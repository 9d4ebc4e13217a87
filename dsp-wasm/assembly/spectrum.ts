/**
 * Real-input magnitude spectra and dominant-period detection (definitions
 * `rfft_mag`, `rfft_mag_pad_pow2`, `dominant` of test/fixtures/dsp_public.json).
 *
 * Even transform length nt = 2h: the samples are packed as h complex values
 * z[j] = x[2j] + i x[2j+1], transformed with one length-h complex FFT
 * (power of two) or Bluestein, and split into the real spectrum
 *   X[k] = E[k] + e^{-2 pi i k/nt} O[k],  E/O = even/odd-sample spectra
 * (Brigham, "The FFT and its applications", 1988, sect. 9-3). Odd nt uses a
 * complex Bluestein transform with zero imaginary part.
 *
 * The exact-length spectrum is computed on x - mean(x) with bin 0 set to
 * |sum(x)| (linearity: only X[0] depends on the offset); this removes the
 * rounding noise a large offset would leave in the other bins. A zero-padded
 * spectrum of a shorter signal is computed as is.
 */
import {
  ERR_LENGTH, ERR_NO_MEMORY, ERR_POINTER, F64_SHIFT, OK, UNDEFINED,
  allocF64, scratchMark, scratchRelease, validF64,
} from './memory';
import {
  bluestein, ensureChirp, ensureTwiddles, fftDitInverse, isPow2, nextPow2,
  splitTwiddles, stageTwiddles, twiddles,
} from './fft';

/** Bytes in one v128 / float64 pair. */
const PAIR_BYTES: usize = 16;
/** Largest transform length (mirrors MAX_FFT_LENGTH in dsp-wasm/host/types.ts). */
export const MAX_FFT_LENGTH: i32 = 1 << 24;
/** Number of float64 written by the dominant-period kernels. */
export const DOMINANT_FIELDS: i32 = 6;

// @ts-ignore: decorator
@inline function at(base: usize, index: i32): usize {
  return base + ((<usize>index) << F64_SHIFT);
}

/**
 * Squared magnitudes inside [SAFE_SQ_MIN, SAFE_SQ_MAX] keep full precision in
 * sqrt(re^2 + im^2); outside (|X| below ~1e-145 or above ~1e145) re^2 would
 * underflow or overflow, so the scaled form is used (as C99 hypot does).
 */
const SAFE_SQ_MIN: f64 = 1e-290;
const SAFE_SQ_MAX: f64 = 1e290;

// @ts-ignore: decorator
@inline function modulus(re: f64, im: f64): f64 {
  const sq = re * re + im * im;
  return sq >= SAFE_SQ_MIN && sq <= SAFE_SQ_MAX ? Math.sqrt(sq) : scaledModulus(re, im);
}

/** hypot without intermediate underflow/overflow; NaN if either part is NaN. */
function scaledModulus(re: f64, im: f64): f64 {
  const a = Math.abs(re);
  const b = Math.abs(im);
  const big = max(a, b);
  if (big == 0 || big == Infinity || isNaN(big)) return big + min(a, b);
  const small = min(a, b) / big;
  return big * Math.sqrt(1.0 + small * small);
}

/**
 * Neumaier-compensated sum (Neumaier 1974), two lanes at a time: the branch
 * on |sum| >= |v| becomes a bitselect.
 */
function compensatedSum(x: usize, n: i32): f64 {
  let sum = f64x2.splat(0.0);
  let carry = f64x2.splat(0.0);
  const bytes = (<usize>(n & ~1)) << F64_SHIFT;
  for (let o: usize = 0; o < bytes; o += PAIR_BYTES) {
    const v = v128.load(x + o);
    const t = f64x2.add(sum, v);
    const sumBigger = f64x2.ge(f64x2.abs(sum), f64x2.abs(v));
    const lost = v128.bitselect(f64x2.add(f64x2.sub(sum, t), v), f64x2.add(f64x2.sub(v, t), sum), sumBigger);
    carry = f64x2.add(carry, lost);
    sum = t;
  }
  let total = f64x2.extract_lane(sum, 0);
  let c = f64x2.extract_lane(carry, 0) + f64x2.extract_lane(carry, 1);
  const rest = f64x2.extract_lane(sum, 1);
  const t = total + rest;
  c += Math.abs(total) >= Math.abs(rest) ? total - t + rest : rest - t + total;
  total = t;
  if ((n & 1) != 0) {
    const v = load<f64>(at(x, n - 1));
    const u = total + v;
    c += Math.abs(total) >= Math.abs(v) ? total - u + v : v - u + total;
    total = u;
  }
  return total + c;
}

/** Magnitudes of the split real spectrum, bins 0..h, from Z = DFT_h(z) in natural order. */
function splitMagnitudes(zRe: usize, zIm: usize, h: i32, wRe: usize, wIm: usize, out: usize): void {
  const r0 = load<f64>(zRe);
  const i0 = load<f64>(zIm);
  store<f64>(out, Math.abs(r0 + i0));
  store<f64>(at(out, h), Math.abs(r0 - i0));
  for (let k = 1; k < h; k++) {
    const ar = load<f64>(at(zRe, k));
    const ai = load<f64>(at(zIm, k));
    const br = load<f64>(at(zRe, h - k));
    const bi = load<f64>(at(zIm, h - k));
    const er = 0.5 * (ar + br);
    const ei = 0.5 * (ai - bi);
    const or = 0.5 * (ai + bi);
    const oi = -0.5 * (ar - br);
    const wr = load<f64>(at(wRe, k));
    const wi = load<f64>(at(wIm, k));
    const xr = er + wr * or - wi * oi;
    const xi = ei + wr * oi + wi * or;
    store<f64>(at(out, k), modulus(xr, xi));
  }
}

/** Packs x - offset, zero-padded to 2h samples, as z[j] = x[2j] + i x[2j+1]. */
function pack(x: usize, n: i32, offset: f64, zRe: usize, zIm: usize, h: i32): void {
  for (let j = 0; j < h; j++) {
    const e = 2 * j;
    store<f64>(at(zRe, j), e < n ? load<f64>(at(x, e)) - offset : 0.0);
    store<f64>(at(zIm, j), e + 1 < n ? load<f64>(at(x, e + 1)) - offset : 0.0);
  }
}

/** Bits of a tile side in packBitReversed: 16 × 16 points, a few KB of each array. */
const TILE_BITS: i32 = 4;
const TILE: i32 = 1 << TILE_BITS;

/** The lowest `count` bits of v in reverse order. */
function reverseBits(v: i32, count: i32): i32 {
  let r = 0;
  for (let i = 0; i < count; i++) {
    r = (r << 1) | (v & 1);
    v >>= 1;
  }
  return r;
}

// @ts-ignore: decorator
@inline function reverseTileBits(v: i32): i32 {
  return ((v & 1) << 3) | ((v & 2) << 1) | ((v & 4) >> 1) | ((v & 8) >> 3);
}

// @ts-ignore: decorator
@inline function packOne(x: usize, n: i32, offset: f64, zRe: usize, zIm: usize, j: i32, to: i32): void {
  const e = 2 * j;
  store<f64>(at(zRe, to), e < n ? load<f64>(at(x, e)) - offset : 0.0);
  store<f64>(at(zIm, to), e + 1 < n ? load<f64>(at(x, e + 1)) - offset : 0.0);
}

/**
 * As pack, but z[j] goes to index bitreverse(j) (h a power of two), ready for a DIT pass. Written
 * one value at a time in order of j, every store lands far from the last one and misses the cache
 * (half the time of a 16 384-point spectrum). Instead j = (a, b, c) — top, middle and bottom bits,
 * a and c TILE_BITS each — goes to (rev c, rev b, rev a) one tile (one b) at a time: the tile's
 * 16 runs of x are read into a small buffer, transposed, and its 16 runs of z written from it.
 * Runs, not single values: the runs of one tile are a power of two apart and share cache sets.
 */
function packBitReversed(x: usize, n: i32, offset: f64, zRe: usize, zIm: usize, h: i32): void {
  const bits = ctz(h);
  const tileRe: usize = bits < 2 * TILE_BITS ? 0 : allocF64(2 * TILE * TILE);
  if (tileRe == 0) {
    for (let j = 0; j < h; j++) packOne(x, n, offset, zRe, zIm, j, reverseBits(j, bits));
    return;
  }
  const tileIm = at(tileRe, TILE * TILE);
  const middleBits = bits - 2 * TILE_BITS;
  const topShift = bits - TILE_BITS;
  for (let b = 0; b < 1 << middleBits; b++) {
    // read: run a holds j = (a, b, 0..15); its c-th value goes to tile place (c, rev a)
    for (let a = 0; a < TILE; a++) {
      const from = (a << topShift) | (b << TILE_BITS);
      const column = reverseTileBits(a);
      for (let c = 0; c < TILE; c++) packOne(x, n, offset, tileRe, tileIm, from | c, (c << TILE_BITS) | column);
    }
    // write: tile row c is the run of z at (rev c, rev b, 0..15)
    const middle = reverseBits(b, middleBits) << TILE_BITS;
    const bytes = (<usize>TILE) << F64_SHIFT;
    for (let c = 0; c < TILE; c++) {
      const to = (reverseTileBits(c) << topShift) | middle;
      memory.copy(at(zRe, to), at(tileRe, c << TILE_BITS), bytes);
      memory.copy(at(zIm, to), at(tileIm, c << TILE_BITS), bytes);
    }
  }
}

/** Even transform length nt = 2h; scratch is already marked by the caller. */
function evenMagnitude(x: usize, n: i32, nt: i32, offset: f64, out: usize): i32 {
  const h = nt >> 1;
  const zRe = allocF64(h);
  const zIm = allocF64(h);
  if (zRe == 0 || zIm == 0) return ERR_NO_MEMORY;
  if (isPow2(h)) {
    if (!ensureTwiddles(nt)) return ERR_NO_MEMORY;
    packBitReversed(x, n, offset, zRe, zIm, h);
    // Forward DFT as swap(IDFT(swap(z))), swap(a + ib) = b + ia: the inverse DIT pass with the
    // real and imaginary arrays exchanged leaves Z in natural order in (zRe, zIm).
    const table = twiddles();
    fftDitInverse(zIm, zRe, h, table);
    const wRe = stageTwiddles(table, nt);
    splitMagnitudes(zRe, zIm, h, wRe, at(wRe, h), out);
    return OK;
  }
  pack(x, n, offset, zRe, zIm, h);
  const m = nextPow2(2 * h - 1);
  const wRe = allocF64(m);
  const wIm = allocF64(m);
  if (wRe == 0 || wIm == 0 || !ensureChirp(h)) return ERR_NO_MEMORY;
  bluestein(zRe, zIm, h, h, wRe, wIm);
  const sRe = splitTwiddles();
  splitMagnitudes(zRe, zIm, h, sRe, at(sRe, h), out);
  return OK;
}

/** Odd transform length nt = n (never padded): complex Bluestein with zero imaginary part. */
function oddMagnitude(x: usize, n: i32, offset: f64, out: usize): i32 {
  const m = nextPow2(2 * n - 1);
  const zRe = allocF64(n);
  const zIm = allocF64(n);
  const wRe = allocF64(m);
  const wIm = allocF64(m);
  if (zRe == 0 || zIm == 0 || wRe == 0 || wIm == 0 || !ensureChirp(n)) return ERR_NO_MEMORY;
  for (let j = 0; j < n; j++) store<f64>(at(zRe, j), load<f64>(at(x, j)) - offset);
  memory.fill(zIm, 0, (<usize>n) << F64_SHIFT);
  const bins = (n >> 1) + 1;
  bluestein(zRe, zIm, n, bins, wRe, wIm);
  for (let k = 0; k < bins; k++) {
    const r = load<f64>(at(zRe, k));
    const i = load<f64>(at(zIm, k));
    store<f64>(at(out, k), modulus(r, i));
  }
  return OK;
}

/** |DFT_nt(x zero-padded to nt)[k]| for k = 0..nt/2 into out (nt == n, or a power of two > n). */
function magnitude(x: usize, n: i32, nt: i32, out: usize): i32 {
  if (nt == 1) {
    store<f64>(out, Math.abs(load<f64>(x)));
    return OK;
  }
  const centre = nt == n;
  const total = compensatedSum(x, n);
  const offset = centre ? total / <f64>n : 0.0;
  const mark = scratchMark();
  const status = (nt & 1) == 0 ? evenMagnitude(x, n, nt, offset, out) : oddMagnitude(x, n, offset, out);
  scratchRelease(mark);
  if (centre && status == OK) store<f64>(out, Math.abs(total));
  return status;
}

/** Transform length for `pad` (next power of two) or 0 when n is out of range. */
function transformLength(n: i32, pad: bool): i32 {
  if (n < 1 || n > MAX_FFT_LENGTH) return 0;
  return pad ? nextPow2(n) : n;
}

function spectrum(x: usize, n: i32, out: usize, pad: bool): i32 {
  const nt = transformLength(n, pad);
  if (nt == 0) return ERR_LENGTH;
  if (!validF64(x, n) || !validF64(out, (nt >> 1) + 1)) return ERR_POINTER;
  return magnitude(x, n, nt, out);
}

/** |X[k]|, k = 0..n/2, exact n-point DFT; out holds n/2 + 1 float64. */
export function rfftMag(x: usize, n: i32, out: usize): i32 {
  return spectrum(x, n, out, false);
}

/** |X[k]| after zero-padding to p = next power of two >= n; out holds p/2 + 1 float64. */
export function rfftMagPadPow2(x: usize, n: i32, out: usize): i32 {
  return spectrum(x, n, out, true);
}

/** True for at least 2 finite, not all equal samples. */
function hasPeriodicContent(x: usize, n: i32): bool {
  if (n < 2) return false;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = load<f64>(at(x, i));
    if (!isFinite(v)) return false;
    lo = min(lo, v);
    hi = max(hi, v);
  }
  return hi > lo;
}

/** Peak picking on mag[0..nt/2]; writes bin, period, freq, margin, refinedBin, refinedPeriod. */
function pickPeak(mag: usize, nt: i32, out: usize): i32 {
  const last = nt >> 1;
  let bin = 1;
  let top1 = load<f64>(at(mag, 1));
  let top2 = 0.0;
  for (let k = 2; k <= last; k++) {
    const v = load<f64>(at(mag, k));
    if (v > top1) {
      top2 = top1;
      top1 = v;
      bin = k;
    } else if (v > top2) {
      top2 = v;
    }
  }
  if (!(top1 > 0) || !isFinite(top1)) return UNDEFINED;
  let refined = <f64>bin;
  if (bin - 1 >= 1 && bin + 1 <= last) {
    const a = load<f64>(at(mag, bin - 1));
    const c = load<f64>(at(mag, bin + 1));
    const denominator = a - 2.0 * top1 + c;
    if (denominator != 0) refined += min(0.5, max(-0.5, (0.5 * (a - c)) / denominator));
  }
  const length = <f64>nt;
  store<f64>(out, <f64>bin);
  store<f64>(out, length / <f64>bin, 8);
  store<f64>(out, <f64>bin / length, 16);
  store<f64>(out, (top1 - top2) / top1, 24);
  store<f64>(out, refined, 32);
  store<f64>(out, length / refined, 40);
  return OK;
}

function dominant(x: usize, n: i32, out: usize, pad: bool): i32 {
  const nt = transformLength(n, pad);
  if (nt == 0 && n != 0) return ERR_LENGTH;
  if (!validF64(x, n) || !validF64(out, DOMINANT_FIELDS)) return ERR_POINTER;
  for (let f = 0; f < DOMINANT_FIELDS; f++) store<f64>(at(out, f), NaN);
  if (!hasPeriodicContent(x, n)) return UNDEFINED;
  const mark = scratchMark();
  const mag = allocF64((nt >> 1) + 1);
  let status = mag == 0 ? ERR_NO_MEMORY : magnitude(x, n, nt, mag);
  if (status == OK) status = pickPeak(mag, nt, out);
  scratchRelease(mark);
  return status;
}

/** Dominant peak of the exact spectrum: 6 float64 to out, UNDEFINED (all NaN) when none. */
export function dominantPeriod(x: usize, n: i32, out: usize): i32 {
  return dominant(x, n, out, false);
}

/** Dominant peak of the zero-padded power-of-two spectrum, as dominantPeriod. */
export function dominantPeriodPadPow2(x: usize, n: i32, out: usize): i32 {
  return dominant(x, n, out, true);
}
