/**
 * Seasonal adjustment before anomaly scoring. The level + slope baseline of anomaly-level.ts
 * cannot follow a cycle that turns within the recent window (a daily cycle in hourly buckets);
 * when the HISTORY holds a clear one it is removed from the whole series first:
 *
 *   1. candidate periods: detectSeason on the history × anomaly.season.multiples (admissible ones);
 *   2. per candidate p: trend = centred moving average of length p (2×p for even p, classical
 *      decomposition), d = history - trend, profile[φ] = median of d over the phase φ = t mod p,
 *      centred to mean 0; strength = adjusted R² of the profile on d (the p phase levels count as
 *      fitted parameters, so a profile of pure noise scores about 0);
 *   3. the strongest candidate is applied when its strength is at least season.minStrength:
 *      x[t] -= profile[t mod p] for every t, recent window included.
 *
 * Phases are counted from the first bucket of the series passed in, so one call is consistent.
 */
import type { DspKernels } from '../../dsp-wasm/host/types.js';
import type { AnomalyConfig } from '../../config/analytics-schema.js';
import { detectSeason, seasonCandidates } from './forecast-season.js';
import { median } from './robust-stats.js';

export interface SeasonalAdjustment {
  /** The series with the seasonal profile removed (the input itself when not adjusted). */
  adjusted: Float64Array;
  /** Period removed, or null. */
  period: number | null;
  /** The value removed at each index (null when not adjusted). */
  offset: Float64Array | null;
  /** Strength (adjusted R²) of the best candidate (0 when there was none). */
  strength: number;
}

interface Profile {
  profile: Float64Array;
  strength: number;
}

/** Centred moving average of length p (2×p for even p); NaN where the window does not fit. */
function centredAverage(x: Float64Array, p: number): Float64Array {
  const n = x.length;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + x[i];
  const out = new Float64Array(n).fill(NaN);
  const half = Math.floor(p / 2);
  const avg = (from: number, to: number): number => (prefix[to] - prefix[from]) / (to - from);
  for (let t = half; t + half < n; t++) {
    out[t] = p % 2 === 1 ? avg(t - half, t + half + 1) : 0.5 * (avg(t - half, t + half) + avg(t - half + 1, t + half + 1));
  }
  return out;
}

function profileOf(history: Float64Array, p: number): Profile {
  const trend = centredAverage(history, p);
  const byPhase: number[][] = Array.from({ length: p }, () => []);
  for (let t = 0; t < history.length; t++) if (Number.isFinite(trend[t])) byPhase[t % p].push(history[t] - trend[t]);
  const profile = Float64Array.from(byPhase, (v) => (v.length > 0 ? median(v) : 0));
  let centre = 0;
  for (const v of profile) centre += v;
  centre /= p;
  for (let i = 0; i < p; i++) profile[i] -= centre;
  let ssD = 0;
  let ssR = 0;
  let sumD = 0;
  let sumR = 0;
  let count = 0;
  for (let t = 0; t < history.length; t++) {
    if (!Number.isFinite(trend[t])) continue;
    const d = history[t] - trend[t];
    const r = d - profile[t % p];
    sumD += d;
    sumR += r;
    ssD += d * d;
    ssR += r * r;
    count++;
  }
  if (count <= p + 1) return { profile, strength: 0 };
  // Adjusted R² (the p phase levels are fitted): 1 - (SSR / (count - p)) / (SSD / (count - 1)).
  const ssDc = ssD - (sumD * sumD) / count;
  const ssRc = ssR - (sumR * sumR) / count;
  return { profile, strength: ssDc > 0 ? 1 - (ssRc / (count - p)) / (ssDc / (count - 1)) : 0 };
}

export function seasonalAdjust(x: Float64Array, historyEnd: number, cfg: AnomalyConfig['season'], dsp: DspKernels): SeasonalAdjustment {
  const none: SeasonalAdjustment = { adjusted: x, period: null, offset: null, strength: 0 };
  if (!cfg.enabled) return none;
  const history = x.subarray(0, historyEnd);
  const bounds = { minPeriod: cfg.minPeriod, maxPeriod: cfg.maxPeriod, minSeasons: cfg.minSeasons, seasonMultiples: cfg.multiples };
  let best: (Profile & { period: number }) | null = null;
  let bestExcess = -Infinity;
  for (const p of seasonCandidates(detectSeason(history, bounds, dsp), historyEnd, bounds)) {
    const prof = profileOf(history, p);
    const excess = prof.strength;
    if (excess > bestExcess) {
      bestExcess = excess;
      best = { ...prof, period: p };
    }
  }
  if (best === null || !(bestExcess >= cfg.minStrength)) return { ...none, strength: Math.max(0, Number.isFinite(bestExcess) ? bestExcess : 0) };
  const offset = new Float64Array(x.length);
  const adjusted = new Float64Array(x.length);
  for (let t = 0; t < x.length; t++) {
    offset[t] = best.profile[t % best.period];
    adjusted[t] = x[t] - offset[t];
  }
  return { adjusted, period: best.period, offset, strength: bestExcess };
}
