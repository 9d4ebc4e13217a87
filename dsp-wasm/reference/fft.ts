/**
 * Reference FFT: iterative radix-2 complex FFT for power-of-two lengths and
 * Bluestein's chirp-z algorithm (Bluestein 1970; Rabiner, Schafer & Rader
 * 1969) for every other length, on separate real/imaginary Float64Arrays.
 * Straightforward code, O(N log N); twiddles and chirps are cached per length.
 */
import { MAX_FFT_LENGTH } from '../host/types.js';

const TWO_PI = 2 * Math.PI;
/** Bluestein plans kept in the cache (least recently built evicted first). */
const MAX_CACHED_CHIRPS = 8;

interface Twiddles { cos: Float64Array; sin: Float64Array }
interface ChirpPlan { m: number; cRe: Float64Array; cIm: Float64Array; bRe: Float64Array; bIm: Float64Array }

const twiddleCache = new Map<number, Twiddles>();
const chirpCache = new Map<number, ChirpPlan>();

export function isPow2(n: number): boolean {
  return n >= 1 && (n & (n - 1)) === 0;
}

/** Smallest power of two >= n (n >= 1). */
export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** cos/sin(2 pi k / m) for k < m/2. */
function twiddles(m: number): Twiddles {
  let t = twiddleCache.get(m);
  if (!t) {
    const half = Math.max(1, m >> 1);
    t = { cos: new Float64Array(half), sin: new Float64Array(half) };
    for (let k = 0; k < half; k++) {
      t.cos[k] = Math.cos((TWO_PI * k) / m);
      t.sin[k] = Math.sin((TWO_PI * k) / m);
    }
    twiddleCache.set(m, t);
  }
  return t;
}

/** In-place power-of-two FFT; `inverse` uses e^{+i...} and does not scale. */
export function fftPow2(re: Float64Array, im: Float64Array, inverse = false): void {
  const m = re.length;
  if (!isPow2(m)) throw new RangeError(`fftPow2 needs a power-of-two length, got ${m}`);
  for (let i = 1, j = 0; i < m; i++) {
    let bit = m >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  const tw = twiddles(m);
  const sign = inverse ? 1 : -1;
  for (let len = 2; len <= m; len *= 2) {
    const half = len / 2;
    const stride = m / len;
    for (let start = 0; start < m; start += len) {
      for (let j = 0; j < half; j++) {
        const wr = tw.cos[j * stride];
        const wi = sign * tw.sin[j * stride];
        const a = start + j;
        const b = a + half;
        const vr = re[b] * wr - im[b] * wi;
        const vi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - vr;
        im[b] = im[a] - vi;
        re[a] += vr;
        im[a] += vi;
      }
    }
  }
}

/** Chirp c[n] = e^{-i pi n^2 / n0} and the transformed, 1/m-scaled filter conj(c). */
function chirpPlan(n0: number): ChirpPlan {
  let plan = chirpCache.get(n0);
  if (plan) return plan;
  const m = nextPow2(2 * n0 - 1);
  const cRe = new Float64Array(n0);
  const cIm = new Float64Array(n0);
  for (let n = 0; n < n0; n++) {
    // n^2 mod 2 n0 is exact (n^2 < 2^53 for n0 <= MAX_FFT_LENGTH) and keeps the angle small.
    const angle = (Math.PI * ((n * n) % (2 * n0))) / n0;
    cRe[n] = Math.cos(angle);
    cIm[n] = -Math.sin(angle);
  }
  const bRe = new Float64Array(m);
  const bIm = new Float64Array(m);
  for (let n = 0; n < n0; n++) {
    bRe[n] = cRe[n] / m;
    bIm[n] = -cIm[n] / m;
    if (n > 0) {
      bRe[m - n] = bRe[n];
      bIm[m - n] = bIm[n];
    }
  }
  fftPow2(bRe, bIm);
  plan = { m, cRe, cIm, bRe, bIm };
  if (chirpCache.size >= MAX_CACHED_CHIRPS) chirpCache.delete(chirpCache.keys().next().value as number);
  chirpCache.set(n0, plan);
  return plan;
}

/** Exact DFT of any length (new arrays), X[k] = sum_n z[n] e^{-2 pi i k n / N}. */
export function dft(re: Float64Array, im: Float64Array): { re: Float64Array; im: Float64Array } {
  const n0 = re.length;
  if (n0 > MAX_FFT_LENGTH) throw new RangeError(`transform length ${n0} exceeds ${MAX_FFT_LENGTH}`);
  if (isPow2(n0)) {
    const outRe = Float64Array.from(re);
    const outIm = Float64Array.from(im);
    fftPow2(outRe, outIm);
    return { re: outRe, im: outIm };
  }
  const { m, cRe, cIm, bRe, bIm } = chirpPlan(n0);
  const wRe = new Float64Array(m);
  const wIm = new Float64Array(m);
  for (let n = 0; n < n0; n++) {
    wRe[n] = re[n] * cRe[n] - im[n] * cIm[n];
    wIm[n] = re[n] * cIm[n] + im[n] * cRe[n];
  }
  fftPow2(wRe, wIm);
  for (let k = 0; k < m; k++) {
    const r = wRe[k] * bRe[k] - wIm[k] * bIm[k];
    wIm[k] = wRe[k] * bIm[k] + wIm[k] * bRe[k];
    wRe[k] = r;
  }
  fftPow2(wRe, wIm, true);
  const outRe = new Float64Array(n0);
  const outIm = new Float64Array(n0);
  for (let k = 0; k < n0; k++) {
    outRe[k] = wRe[k] * cRe[k] - wIm[k] * cIm[k];
    outIm[k] = wRe[k] * cIm[k] + wIm[k] * cRe[k];
  }
  return { re: outRe, im: outIm };
}
