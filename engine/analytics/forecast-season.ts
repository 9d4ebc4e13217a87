/**
 * Season detection (forecaster, and the anomaly scorer's seasonal adjustment). The series is detrended (OLS line) and its dominant period
 * taken with dsp.dominantPeriod; if that period is not admissible (outside [minPeriod, maxPeriod]
 * or fewer than minSeasons full seasons in the series — typically the slow trend's bin 1), the
 * strongest bin of dsp.rfftMag inside the admissible band is used instead. The detected period is
 * rounded to whole buckets; the candidates are it times each of forecast.seasonMultiples that are
 * still admissible. Whether a candidate is used is decided by the model comparison (forecast.ts).
 */
import type { DspKernels } from '../../dsp-wasm/host/types.js';
import type { ForecastConfig } from '../../config/analytics-schema.js';

/** The period bounds season detection needs (forecast and anomaly configs both carry them). */
export type SeasonBounds = Pick<ForecastConfig, 'minPeriod' | 'maxPeriod' | 'minSeasons'>;

function detrend(x: Float64Array, dsp: DspKernels): Float64Array {
  const n = x.length;
  const slope = dsp.trendSlope(x);
  const b = Number.isFinite(slope) ? slope : 0;
  let m = 0;
  for (const v of x) m += v;
  m /= n;
  return x.map((v, i) => v - m - b * (i - (n - 1) / 2));
}

/** Largest admissible period for a series of n buckets. */
function maxAdmissible(n: number, cfg: SeasonBounds): number {
  return Math.min(cfg.maxPeriod, Math.floor(n / cfg.minSeasons));
}

function admissible(period: number, n: number, cfg: SeasonBounds): boolean {
  return period >= cfg.minPeriod && period <= maxAdmissible(n, cfg);
}

/** The detected period (whole buckets) or null when the series has no admissible periodic content. */
export function detectSeason(x: Float64Array, cfg: SeasonBounds, dsp: DspKernels): number | null {
  const n = x.length;
  if (maxAdmissible(n, cfg) < cfg.minPeriod) return null;
  const d = detrend(x, dsp);
  const dominant = dsp.dominantPeriod(d);
  if (dominant.refinedPeriod !== null) {
    const p = Math.round(dominant.refinedPeriod);
    if (admissible(p, n, cfg)) return p;
  }
  const mag = dsp.rfftMag(d);
  const lo = Math.max(1, Math.ceil(n / maxAdmissible(n, cfg)));
  const hi = Math.min(mag.length - 1, Math.floor(n / cfg.minPeriod));
  let best = -1;
  for (let k = lo; k <= hi; k++) if (best < 0 || mag[k] > mag[best]) best = k;
  if (best < 0 || !(mag[best] > 0)) return null;
  const p = Math.round(n / best);
  return admissible(p, n, cfg) ? p : null;
}

/** Candidate seasonal periods: detected × multiples, admissible, distinct, ascending. */
export function seasonCandidates(detected: number | null, n: number, cfg: SeasonBounds & { seasonMultiples: readonly number[] }): number[] {
  if (detected === null) return [];
  const out = new Set<number>();
  for (const k of cfg.seasonMultiples) {
    const p = detected * k;
    if (admissible(p, n, cfg)) out.add(p);
  }
  return [...out].sort((a, b) => a - b);
}
