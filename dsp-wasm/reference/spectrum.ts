/**
 * Reference magnitude spectra and dominant-period detection
 * (definitions `rfft_mag`, `rfft_mag_pad_pow2`, `dominant` of
 * test/fixtures/dsp_public.json).
 *
 * Precision note: the exact-length spectrum is computed on x - mean(x) and
 * bin 0 is set to |sum(x)|. Subtracting a constant only changes X[0]
 * (DFT linearity), but it removes the rounding noise a large offset leaves in
 * the other bins (x ~ 1e12 + noise keeps ~1e-16 * ||x|| error per bin
 * otherwise). The zero-padded spectrum of a shorter signal is computed as is:
 * there an offset leaks into every bin anyway.
 */
import { type DominantPeriod, noDominantPeriod } from '../host/types.js';
import { dft, nextPow2 } from './fft.js';

/** Neumaier-compensated sum (Neumaier 1974). */
export function compensatedSum(x: Float64Array): number {
  let sum = 0;
  let carry = 0;
  for (const v of x) {
    const t = sum + v;
    carry += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + carry;
}

/** |DFT_nt(x zero-padded to nt)[k]| for k = 0..nt//2. */
function magnitude(x: Float64Array, nt: number): Float64Array {
  const n = x.length;
  if (n < 1) throw new RangeError('spectrum needs at least one sample');
  const centre = nt === n;
  const total = compensatedSum(x);
  const offset = centre ? total / n : 0;
  const re = new Float64Array(nt);
  for (let i = 0; i < n; i++) re[i] = x[i] - offset;
  const spec = dft(re, new Float64Array(nt));
  const bins = Math.floor(nt / 2) + 1;
  const mag = new Float64Array(bins);
  for (let k = 0; k < bins; k++) mag[k] = Math.hypot(spec.re[k], spec.im[k]);
  if (centre) mag[0] = Math.abs(total);
  return mag;
}

export function rfftMag(x: Float64Array): Float64Array {
  return magnitude(x, x.length);
}

export function rfftMagPadPow2(x: Float64Array): Float64Array {
  return magnitude(x, nextPow2(x.length));
}

/** Peak picking on a magnitude spectrum of transform length nt. */
export function dominantFromMagnitude(mag: Float64Array, nt: number): DominantPeriod {
  const last = Math.floor(nt / 2);
  let bin = 1;
  for (let k = 2; k <= last; k++) if (mag[k] > mag[bin]) bin = k;
  const top1 = mag[bin];
  let top2 = 0;
  for (let k = 1; k <= last; k++) if (k !== bin && mag[k] > top2) top2 = mag[k];
  if (!(top1 > 0) || !Number.isFinite(top1)) return noDominantPeriod();
  let refinedBin = bin;
  if (bin - 1 >= 1 && bin + 1 <= last) {
    const a = mag[bin - 1];
    const b = mag[bin];
    const c = mag[bin + 1];
    const denominator = a - 2 * b + c;
    if (denominator !== 0) refinedBin = bin + Math.min(0.5, Math.max(-0.5, (0.5 * (a - c)) / denominator));
  }
  return {
    bin,
    period: nt / bin,
    freq: bin / nt,
    margin: (top1 - top2) / top1,
    refinedBin,
    refinedPeriod: nt / refinedBin,
  };
}

/** True when x has at least 2 finite samples and is not constant. */
function hasPeriodicContent(x: Float64Array): boolean {
  if (x.length < 2) return false;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of x) {
    if (!Number.isFinite(v)) return false;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return hi > lo;
}

export function dominantPeriod(x: Float64Array): DominantPeriod {
  if (!hasPeriodicContent(x)) return noDominantPeriod();
  return dominantFromMagnitude(rfftMag(x), x.length);
}

export function dominantPeriodPadPow2(x: Float64Array): DominantPeriod {
  if (!hasPeriodicContent(x)) return noDominantPeriod();
  return dominantFromMagnitude(rfftMagPadPow2(x), nextPow2(x.length));
}
