/**
 * Reference Higuchi fractal dimension (Higuchi 1988, Physica D 31:277), the
 * `hfd` definition of test/fixtures/dsp_public.json:
 *   L_m(k) = (sum_{i=1..n_m} |x[m+ik] - x[m+(i-1)k]|) (N-1) / (n_m k) / k,
 *   n_m = floor((N-1-m)/k), L(k) = mean_{m<k} L_m(k),
 *   HFD = least-squares slope of ln L(k) against ln(1/k), k = 1..kmax.
 * NaN when kmax < 2, N < 2 kmax, any L(k) is 0 (or not finite), or x has a
 * non-finite sample.
 */

export function checkKmax(kmax: number): void {
  if (!Number.isInteger(kmax)) throw new RangeError(`kmax must be an integer, got ${kmax}`);
}

/** L(k) for k = 1..kmax (requires N >= 2 kmax). */
export function curveLengths(x: Float64Array, kmax: number): Float64Array {
  const n = x.length;
  const lengths = new Float64Array(kmax);
  for (let k = 1; k <= kmax; k++) {
    let total = 0;
    for (let m = 0; m < k; m++) {
      const count = Math.floor((n - 1 - m) / k);
      let sum = 0;
      for (let i = 1; i <= count; i++) sum += Math.abs(x[m + i * k] - x[m + (i - 1) * k]);
      total += (sum * (n - 1)) / (count * k) / k;
    }
    lengths[k - 1] = total / k;
  }
  return lengths;
}

export function hfd(x: Float64Array, kmax: number): number {
  checkKmax(kmax);
  if (kmax < 2 || x.length < 2 * kmax) return NaN;
  if (!x.every(Number.isFinite)) return NaN;
  const lengths = curveLengths(x, kmax);
  if (lengths.some((l) => !(l > 0) || !Number.isFinite(l))) return NaN;
  const xs = Array.from({ length: kmax }, (_, i) => Math.log(1 / (i + 1)));
  const ys = Array.from(lengths, Math.log);
  const meanX = xs.reduce((s, v) => s + v, 0) / kmax;
  const meanY = ys.reduce((s, v) => s + v, 0) / kmax;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < kmax; i++) {
    sxy += (xs[i] - meanX) * (ys[i] - meanY);
    sxx += (xs[i] - meanX) ** 2;
  }
  return sxy / sxx;
}
