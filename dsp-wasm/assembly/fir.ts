/**
 * Direct-form FIR filters (definitions `fir_causal`, `fir_same` of
 * test/fixtures/dsp_public.json) and scipy.signal.firwin low-pass design.
 * Non-finite samples propagate by plain IEEE arithmetic (no tap is skipped).
 */
import { ERR_ARGUMENT, ERR_LENGTH, ERR_POINTER, F64_SHIFT, OK, validF64 } from './memory';

/** Hamming window coefficients (scipy.signal.windows.hamming, sym=True). */
const HAMMING_ALPHA: f64 = 0.54;
const HAMMING_BETA: f64 = 0.46;

// @ts-ignore: decorator
@inline function at(base: usize, index: i32): usize {
  return base + ((<usize>index) << F64_SHIFT);
}

/** Scalar output y[i] = sum taps[j] x[i + shift - j] over the in-range samples. */
function edgeOutput(x: usize, n: i32, taps: usize, m: i32, shift: i32, i: i32): f64 {
  const src = i + shift;
  const lo = max(0, src - (n - 1));
  const hi = min(m - 1, src);
  let acc = 0.0;
  for (let j = lo; j <= hi; j++) acc += load<f64>(at(taps, j)) * load<f64>(at(x, src - j));
  return acc;
}

/**
 * y[i] = sum_j taps[j] x[i + shift - j], x outside [0, n) = 0, for i < n.
 * Outputs whose window lies fully inside x are computed two at a time (f64x2).
 */
function convolve(x: usize, n: i32, taps: usize, m: i32, shift: i32, out: usize): i32 {
  if (n < 0 || m < 1) return ERR_LENGTH;
  if (!validF64(x, n) || !validF64(taps, m) || !validF64(out, n)) return ERR_POINTER;
  // Interior: m - 1 <= i + shift and i + shift <= n - 1.
  const first = min(n, max(0, m - 1 - shift));
  const end = max(first, n - shift);
  let i = 0;
  for (; i < first; i++) store<f64>(at(out, i), edgeOutput(x, n, taps, m, shift, i));
  for (; i + 1 < end; i += 2) {
    let acc = f64x2.splat(0.0);
    const newest = at(x, i + shift);
    for (let j = 0; j < m; j++) {
      const t = f64x2.splat(load<f64>(at(taps, j)));
      acc = f64x2.add(acc, f64x2.mul(t, v128.load(newest - ((<usize>j) << F64_SHIFT))));
    }
    v128.store(at(out, i), acc);
  }
  for (; i < n; i++) store<f64>(at(out, i), edgeOutput(x, n, taps, m, shift, i));
  return OK;
}

/** Causal FIR (scipy lfilter(taps, [1], x)): out[0..n) from x[0..n), taps[0..m). */
export function firCausal(x: usize, n: i32, taps: usize, m: i32, out: usize): i32 {
  return convolve(x, n, taps, m, 0, out);
}

/** Centred FIR: full convolution shifted by (m - 1) / 2, length n. */
export function firSame(x: usize, n: i32, taps: usize, m: i32, out: usize): i32 {
  return convolve(x, n, taps, m, (m - 1) >> 1, out);
}

/** sin(pi t) / (pi t), 1 at t = 0 (numpy.sinc). */
function sinc(t: f64): f64 {
  if (t == 0) return 1.0;
  const a = Math.PI * t;
  return Math.sin(a) / a;
}

/**
 * scipy.signal.firwin(numtaps, cutoff) low-pass into out[0..numtaps): Hamming
 * windowed sinc, cutoff as a fraction of Nyquist in (0, 1), unit DC gain.
 */
export function firwinLowpass(out: usize, numtaps: i32, cutoff: f64): i32 {
  if (numtaps < 1) return ERR_LENGTH;
  if (!(cutoff > 0 && cutoff < 1)) return ERR_ARGUMENT;
  if (!validF64(out, numtaps)) return ERR_POINTER;
  const centre = <f64>(numtaps - 1) * 0.5;
  let sum = 0.0;
  for (let i = 0; i < numtaps; i++) {
    const window = numtaps == 1
      ? 1.0
      : HAMMING_ALPHA - HAMMING_BETA * Math.cos((2.0 * Math.PI * <f64>i) / <f64>(numtaps - 1));
    const h = cutoff * sinc(cutoff * (<f64>i - centre)) * window;
    store<f64>(at(out, i), h);
    sum += h;
  }
  for (let i = 0; i < numtaps; i++) store<f64>(at(out, i), load<f64>(at(out, i)) / sum);
  return OK;
}
