/**
 * Small order statistics and numeric helpers shared by the analytics modules. All functions are
 * pure (inputs are never modified) and deterministic.
 */

/**
 * 1 / Φ⁻¹(3/4): makes the median absolute deviation a consistent estimator of σ for normal data
 * (Rousseeuw & Croux 1993).
 */
export const kMadToSigma = 1.482602218505602;
/** √(π/2): makes the mean absolute deviation a consistent estimator of σ for normal data. */
export const kMeanAbsToSigma = 1.2533141373155001;
/**
 * Largest evidence (nats) a component may contribute: beyond ~700 nats exp() overflows and the
 * score is 1 to machine precision anyway. A numerical guard, not a tunable.
 */
export const kMaxEvidence = 700;

/** Median of the finite values of x (NaN when there are none). Does not modify x. */
export function median(x: ArrayLike<number>): number {
  const v = finiteCopy(x);
  const n = v.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  const upper = selectKth(v, mid);
  if (n % 2 === 1) return upper;
  // After selection every element left of `mid` is <= v[mid]: the lower middle is their maximum.
  let lower = v[0];
  for (let i = 1; i < mid; i++) if (v[i] > lower) lower = v[i];
  return 0.5 * (lower + upper);
}

/** The finite values of x, in their original order. */
export function finiteCopy(x: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) n++;
  const v = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) v[j++] = x[i];
  return v;
}

/**
 * k-th smallest value of v (0-based), partially reordering v in place so that v[i] <= v[k] for
 * i < k and v[i] >= v[k] for i > k (Hoare's FIND with a median-of-three pivot: deterministic,
 * O(n) on average). The value returned does not depend on the algorithm, only on the multiset.
 */
export function selectKth(v: Float64Array, k: number): number {
  let lo = 0;
  let hi = v.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    const a = v[lo];
    const b = v[mid];
    const c = v[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        const t = v[i];
        v[i] = v[j];
        v[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return v[k];
}

export function mean(x: ArrayLike<number>): number {
  if (x.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/**
 * Robust σ of the finite values of x: kMadToSigma × MAD about the median; when more than half of
 * the values coincide (MAD = 0) the consistent mean absolute deviation is used instead. 0 for a
 * constant input, NaN when there is no finite value.
 */
export function robustSigma(x: ArrayLike<number>): number {
  const centre = median(x);
  if (!Number.isFinite(centre)) return NaN;
  const dev: number[] = [];
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) dev.push(Math.abs(x[i] - centre));
  const mad = median(dev);
  if (mad > 0) return kMadToSigma * mad;
  return kMeanAbsToSigma * mean(dev);
}

/** Location and robust spread of a sample of window statistics, with a floor on the spread. */
export interface RobustLocation {
  centre: number;
  spread: number;
  count: number;
}

export function robustLocation(x: ArrayLike<number>, spreadFloor: number): RobustLocation {
  const v = finiteCopy(x);
  const centre = median(v);
  const spread = Math.max(spreadFloor, v.length > 0 ? robustSigma(v) : 0);
  return { centre, spread, count: v.length };
}

/** Logistic function 1 / (1 + e^-x), computed without overflow. */
export function logistic(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** softplus(x) = ln(1 + e^x) = -ln(1 - logistic(x)), computed without overflow. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** x if finite, else `fallback` (the last line of defence of the NaN-free contract). */
export function finiteOr(x: number, fallback: number): number {
  return Number.isFinite(x) ? x : fallback;
}

/** Round to `digits` decimals (half away from zero), normalising -0 to 0. */
export function roundTo(x: number, digits: number): number {
  const f = 10 ** digits;
  const r = (Math.sign(x) * Math.round(Math.abs(x) * f)) / f;
  return r === 0 ? 0 : r;
}
