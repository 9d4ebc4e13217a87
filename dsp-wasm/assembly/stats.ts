/** Trend and timing-entropy statistics over float64 buffers. */
import { ERR_LENGTH, ERR_POINTER, F64_SHIFT, OK, UNDEFINED, validF64 } from './memory';

// @ts-ignore: decorator
@inline function at(base: usize, index: i32): usize {
  return base + ((<usize>index) << F64_SHIFT);
}

/**
 * Ordinary least-squares slope of x[t] against t = 0..n-1 (units per sample),
 * two-pass: sum (t - tbar)(x - xbar) / sum (t - tbar)^2. NaN and UNDEFINED
 * for n < 2; non-finite samples propagate to NaN.
 */
export function trendSlope(x: usize, n: i32, out: usize): i32 {
  if (n < 0) return ERR_LENGTH;
  if (!validF64(x, n) || !validF64(out, 1)) return ERR_POINTER;
  store<f64>(out, NaN);
  if (n < 2) return UNDEFINED;
  let meanX = 0.0;
  for (let t = 0; t < n; t++) meanX += load<f64>(at(x, t));
  meanX /= <f64>n;
  const meanT = <f64>(n - 1) * 0.5;
  let sxy = 0.0;
  let stt = 0.0;
  for (let t = 0; t < n; t++) {
    const dt = <f64>t - meanT;
    sxy += dt * (load<f64>(at(x, t)) - meanX);
    stt += dt * dt;
  }
  store<f64>(out, sxy / stt);
  return OK;
}

/**
 * Shannon entropy (Shannon 1948) in bits of the histogram h[0..n) divided by
 * log2(n), in [0, 1]. 0 for an empty, all-zero or single-bin histogram; NaN
 * and UNDEFINED when a count is negative or not finite.
 */
export function timingEntropy(h: usize, n: i32, out: usize): i32 {
  if (n < 0) return ERR_LENGTH;
  if (!validF64(h, n) || !validF64(out, 1)) return ERR_POINTER;
  let total = 0.0;
  for (let i = 0; i < n; i++) {
    const v = load<f64>(at(h, i));
    if (!(v >= 0) || !isFinite(v)) {
      store<f64>(out, NaN);
      return UNDEFINED;
    }
    total += v;
  }
  if (n < 2 || total == 0) {
    store<f64>(out, 0.0);
    return OK;
  }
  let entropy = 0.0;
  for (let i = 0; i < n; i++) {
    const v = load<f64>(at(h, i));
    if (v > 0) {
      const p = v / total;
      entropy -= p * Math.log2(p);
    }
  }
  store<f64>(out, entropy / Math.log2(<f64>n));
  return OK;
}
