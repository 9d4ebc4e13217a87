/** Reference trend and timing-entropy statistics. */

/**
 * Ordinary least-squares slope of x[t] against t = 0..N-1 (units per
 * sample): sum (t - tbar)(x - xbar) / sum (t - tbar)^2. NaN for N < 2 or
 * non-finite input.
 */
export function trendSlope(x: Float64Array): number {
  const n = x.length;
  if (n < 2) return NaN;
  const meanT = (n - 1) / 2;
  let meanX = 0;
  for (const v of x) meanX += v;
  meanX /= n;
  let sxy = 0;
  let stt = 0;
  for (let t = 0; t < n; t++) {
    sxy += (t - meanT) * (x[t] - meanX);
    stt += (t - meanT) ** 2;
  }
  return sxy / stt;
}

/**
 * Normalised Shannon entropy (Shannon 1948) of a histogram:
 * H = -sum p_i log2 p_i with p_i = h_i / sum h, divided by log2(bins) so the
 * result lies in [0, 1] (1 = perfectly uniform timing). 0 for an empty, all-zero
 * or single-bin histogram; NaN if any count is negative or non-finite.
 */
export function timingEntropy(hist: Float64Array): number {
  let total = 0;
  for (const h of hist) {
    if (!(h >= 0) || !Number.isFinite(h)) return NaN;
    total += h;
  }
  if (hist.length < 2 || total === 0) return 0;
  let entropy = 0;
  for (const h of hist) {
    if (h > 0) {
      const p = h / total;
      entropy -= p * Math.log2(p);
    }
  }
  return entropy / Math.log2(hist.length);
}
