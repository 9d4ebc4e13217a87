/**
 * Higuchi fractal dimension (Higuchi 1988, Physica D 31:277; definition `hfd`
 * of test/fixtures/dsp_public.json):
 *   L_m(k) = (sum_{i=1..n_m} |x[m+ik] - x[m+(i-1)k]|) (N-1) / (n_m k) / k,
 *   n_m = floor((N-1-m)/k), L(k) = mean_{m<k} L_m(k),
 *   HFD = least-squares slope of ln L(k) against ln(1/k), k = 1..kmax.
 *
 * With q = floor((N-1)/k) and r = (N-1) mod k, n_m = q for m <= r and q - 1
 * otherwise: every sub-series has the rows i = 1..q-1, and only m <= r has
 * row q. Sub-series m and m+1 are summed together in one f64x2 (rows are
 * contiguous in x), k = 1 is a plain vectorised pass.
 *
 * Undefined (NaN, status UNDEFINED) when kmax < 2, N < 2 kmax, or some L(k)
 * is 0 or not finite; a non-finite sample makes L(1) NaN or infinite, so it is
 * covered by the same test.
 */
import { ERR_LENGTH, ERR_POINTER, F64_SHIFT, OK, UNDEFINED, validF64 } from './memory';

/** Bytes in one v128 / float64 pair. */
const PAIR_BYTES: usize = 16;

// @ts-ignore: decorator
@inline function at(base: usize, index: i32): usize {
  return base + ((<usize>index) << F64_SHIFT);
}

/** sum_{i=1..n-1} |x[i] - x[i-1]| = L(1). */
function firstDifferenceSum(x: usize, n: i32): f64 {
  let acc = f64x2.splat(0.0);
  const pairs = (n - 1) & ~1;
  const bytes = (<usize>pairs) << F64_SHIFT;
  for (let o: usize = 0; o < bytes; o += PAIR_BYTES) {
    const d = f64x2.sub(v128.load(x + o, 8), v128.load(x + o));
    acc = f64x2.add(acc, f64x2.abs(d));
  }
  let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (let i = pairs + 1; i < n; i++) sum += Math.abs(load<f64>(at(x, i)) - load<f64>(at(x, i - 1)));
  return sum;
}

/** Normalised length contribution of sub-series m: S_m (N-1) / (n_m k) / k. */
// @ts-ignore: decorator
@inline function normalised(sum: f64, count: i32, k: i32, n: i32): f64 {
  return (sum * <f64>(n - 1)) / (<f64>count * <f64>k) / <f64>k;
}

/** L(k) for 2 <= k with N >= 2k. */
function curveLength(x: usize, n: i32, k: i32): f64 {
  const q = (n - 1) / k;
  const r = (n - 1) % k;
  const stride = (<usize>k) << F64_SHIFT;
  const fullEnd = (<usize>(q - 1)) * stride;
  let total = 0.0;
  let m = 0;
  for (; m + 1 < k; m += 2) {
    const base = at(x, m);
    let acc = f64x2.splat(0.0);
    let prev = v128.load(base);
    for (let o = stride; o <= fullEnd; o += stride) {
      const cur = v128.load(base + o);
      acc = f64x2.add(acc, f64x2.abs(f64x2.sub(cur, prev)));
      prev = cur;
    }
    let s0 = f64x2.extract_lane(acc, 0);
    let s1 = f64x2.extract_lane(acc, 1);
    const lastRow = fullEnd + stride;
    if (m <= r) s0 += Math.abs(load<f64>(base + lastRow) - f64x2.extract_lane(prev, 0));
    if (m + 1 <= r) s1 += Math.abs(load<f64>(base + lastRow, 8) - f64x2.extract_lane(prev, 1));
    total += normalised(s0, m <= r ? q : q - 1, k, n);
    total += normalised(s1, m + 1 <= r ? q : q - 1, k, n);
  }
  if (m < k) {
    const count = m <= r ? q : q - 1;
    let sum = 0.0;
    let prev = load<f64>(at(x, m));
    for (let i = 1; i <= count; i++) {
      const cur = load<f64>(at(x, m + i * k));
      sum += Math.abs(cur - prev);
      prev = cur;
    }
    total += normalised(sum, count, k, n);
  }
  return total / <f64>k;
}

/** HFD of x[0..n) with k = 1..kmax into out[0]; NaN and UNDEFINED when undefined. */
export function hfd(x: usize, n: i32, kmax: i32, out: usize): i32 {
  if (n < 0) return ERR_LENGTH;
  if (!validF64(x, n) || !validF64(out, 1)) return ERR_POINTER;
  store<f64>(out, NaN);
  if (kmax < 2 || kmax > n >> 1) return UNDEFINED; // N < 2 kmax, without i32 overflow
  // ln(1/k) has mean -sum(ln k)/kmax; slope = sum (X - Xbar) Y / sum (X - Xbar)^2.
  let meanX = 0.0;
  for (let k = 1; k <= kmax; k++) meanX -= Math.log(<f64>k);
  meanX /= <f64>kmax;
  let sxy = 0.0;
  let sxx = 0.0;
  for (let k = 1; k <= kmax; k++) {
    const length = k == 1 ? firstDifferenceSum(x, n) : curveLength(x, n, k);
    if (!(length > 0) || !isFinite(length)) return UNDEFINED;
    const dx = -Math.log(<f64>k) - meanX;
    sxy += dx * Math.log(length);
    sxx += dx * dx;
  }
  store<f64>(out, sxy / sxx);
  return OK;
}
