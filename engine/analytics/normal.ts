/**
 * Standard normal tail probabilities and quantiles, in log space where the tails need it, so that
 * a 40 σ deviation yields a finite, ordered surprise instead of underflowing to p = 0.
 *
 * Mathematical constants only (no tunables): the coefficients below are those published by their
 * authors and are not to be changed.
 */

/**
 * Chebyshev fit of erfc (W. H. Press et al., Numerical Recipes in C, 2nd ed., §6.2, function
 * erfcc): fractional error below 1.2e-7 for every x >= 0, and the result is exp(-x² + poly(t)) so
 * its logarithm is available without underflow.
 */
const kErfcPoly = [
  -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223,
  0.17087277,
] as const;

/**
 * Rational approximations of the normal quantile (P. J. Acklam, "An algorithm for computing the
 * inverse normal cumulative distribution function", 2003): relative error below 1.15e-9.
 */
const kAcklamA = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239] as const;
const kAcklamB = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1] as const;
const kAcklamC = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const kAcklamD = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;
/** Break-point between Acklam's central and tail regions. */
const kAcklamLow = 0.02425;

/** ln(erfc(x)) for x >= 0. */
function logErfc(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  let poly = kErfcPoly[kErfcPoly.length - 1];
  for (let i = kErfcPoly.length - 2; i >= 0; i--) poly = kErfcPoly[i] + t * poly;
  return Math.log(t) - x * x + poly;
}

/** ln P(Z > z) for a standard normal Z (any finite z). */
export function logUpperTail(z: number): number {
  if (z >= 0) return -Math.LN2 + logErfc(z / Math.SQRT2);
  return Math.log1p(-Math.exp(logUpperTail(-z)));
}

/** Tail branch of Acklam's algorithm: the z > 0 with P(Z > z) = q, from ln q (q < kAcklamLow). */
function tailQuantile(logQ: number): number {
  const q = Math.sqrt(-2 * logQ);
  const c = kAcklamC;
  const d = kAcklamD;
  const num = ((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5];
  const den = (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1;
  return -num / den;
}

/** Φ⁻¹(p) for 0 < p < 1 (Acklam). ±Infinity at 0 and 1. */
export function normalQuantile(p: number): number {
  if (!(p > 0)) return -Infinity;
  if (!(p < 1)) return Infinity;
  if (p < kAcklamLow) return -tailQuantile(Math.log(p));
  if (p > 1 - kAcklamLow) return tailQuantile(Math.log1p(-p));
  const a = kAcklamA;
  const b = kAcklamB;
  const q = p - 0.5;
  const r = q * q;
  const num = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q;
  const den = ((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1;
  return num / den;
}

/** ln φ(z) of the standard normal density. */
const kLogSqrt2Pi = 0.5 * Math.log(2 * Math.PI);

/**
 * The equivalent two-sided surprise of a p-value given as ln p: the |z| with P(|Z| > |z|) = p.
 * 0 when p >= 1. Monotone in ln p and finite for every finite ln p. In the tail one Newton step
 * on ln Q(z) = ln(p / 2) makes it the inverse of logUpperTail far beyond the range where Acklam's
 * approximation is specified (p below the smallest double).
 */
export function surpriseFromLogP(logP: number): number {
  if (!(logP < 0)) return 0;
  const logHalf = logP - Math.LN2;
  if (logHalf >= Math.log(kAcklamLow)) return normalQuantile(1 - Math.exp(logHalf));
  const z = tailQuantile(logHalf);
  const f = logUpperTail(z) - logHalf;
  const slope = -Math.exp(-0.5 * z * z - kLogSqrt2Pi - logUpperTail(z));
  const refined = z - f / slope;
  return Number.isFinite(refined) && refined > 0 ? refined : z;
}

/** ln of the two-sided p-value P(|Z| > |z|). */
export function logTwoSidedP(z: number): number {
  return Math.LN2 + logUpperTail(Math.abs(z));
}

/**
 * Šidák correction in log space: ln(1 - (1 - p)^m) for the smallest of m independent p-values.
 * Exact where 1 - p is representable, ln m + ln p where p underflows.
 */
export function logSidak(logP: number, m: number): number {
  if (m <= 1) return Math.min(0, logP);
  const p = Math.exp(logP);
  if (p === 0) return Math.min(0, logP + Math.log(m));
  if (p >= 1) return 0;
  return Math.min(0, Math.log(-Math.expm1(m * Math.log1p(-p))));
}

/** Bonferroni correction in log space: ln min(1, m p). */
export function logBonferroni(logP: number, m: number): number {
  return Math.min(0, logP + Math.log(Math.max(1, m)));
}
