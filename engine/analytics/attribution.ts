/**
 * Whole-percent shares that always sum to exactly 100 (largest-remainder / Hamilton method).
 *
 * Rule when there is no evidence at all (every value 0, negative or non-finite): the 100 points
 * are split equally among the components with a positive weight (all components when no weight is
 * positive), again by largest remainder, ties going to the earlier component in the fixed order.
 */
import { type AnomalyComponentName, type Attribution, kAnomalyComponents } from './anomaly-types.js';

const kTotal = 100;

/**
 * Integers q_i >= 0 with Σ q_i = total and |q_i - total × v_i / Σ v| < 1. Non-positive and
 * non-finite values count as 0; all-zero input yields all zeros.
 */
export function largestRemainder(values: readonly number[], total: number = kTotal): number[] {
  const raw = values.map((x) => (Number.isFinite(x) && x > 0 ? x : 0));
  // Normalise by the largest value first so that the sum cannot overflow.
  let max = 0;
  for (const x of raw) if (x > max) max = x;
  const v = max > 0 ? raw.map((x) => x / max) : raw;
  let sum = 0;
  for (const x of v) sum += x;
  if (!(sum > 0)) return v.map(() => 0);
  const quotas = v.map((x) => (x / sum) * total);
  const out = quotas.map((q) => Math.floor(q));
  let left = total;
  for (const q of out) left -= q;
  const order = quotas.map((q, i) => ({ i, r: q - Math.floor(q) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length) {
    if (v[order[k].i] > 0) {
      out[order[k].i]++;
      left--;
    }
  }
  // Defensive: rounding can never make the floors exceed the total, but keep the invariant local.
  for (let k = order.length - 1; left < 0; k = (k - 1 + order.length) % order.length) {
    if (out[order[k].i] > 0) {
      out[order[k].i]--;
      left++;
    }
  }
  return out;
}

/** Attribution of weighted evidence to the components, per the module rule above. */
export function attribute(weighted: Record<AnomalyComponentName, number>, weights: Record<AnomalyComponentName, number>): Attribution {
  let shares = largestRemainder(kAnomalyComponents.map((c) => weighted[c]));
  if (shares.every((s) => s === 0)) {
    const enabled = kAnomalyComponents.map((c) => (weights[c] > 0 ? 1 : 0));
    shares = largestRemainder(enabled.some((e) => e > 0) ? enabled : enabled.map(() => 1));
  }
  return { deviation: shares[0], periodic: shares[1], complexity: shares[2], trend: shares[3] };
}
