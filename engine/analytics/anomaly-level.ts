/**
 * The two components measured against the extrapolated baseline of the history:
 *
 * (a) smoothed deviation. The history is smoothed (zero-phase FIR low-pass), its residuals give a
 *     robust noise σ (MAD over the last scale.window buckets, corrected for the part of the noise
 *     the smoother absorbs, floored). Noise is modelled as σ(v) = σ₁ · v^κ for a bucket whose
 *     expected (seasonal offset included) value is v (κ = scale.levelExponent): residuals are
 *     divided by smooth^κ before the MAD, and every recent point gets the σ of its own expected
 *     value. History points further than winsorizeZ σ from the smooth are
 *     clipped; the causal FIR of the clipped history is the level (valid `half` buckets before the
 *     end of history) and the OLS slope of its last trend.historyWindow buckets extrapolates it
 *     into the recent window. Two scans of the recent residuals, each a two-sided normal test:
 *       - every single point (Šidák over recentWindow points) — spikes and drops;
 *       - the mean of the last L points, L = m, 2m, 4m, ..., recentWindow (m = deviation.minSuffix;
 *         Bonferroni over the L's) — sustained shifts, detected about m points after they start;
 *         its noise is the larger of σ and the suffix's own standard deviation (Welch-style);
 *     the smaller p-value (Bonferroni over the 2 scans) becomes the surprise |z| with P(|Z|>|z|) = p.
 * (d) trend deviation. z = (recent OLS slope - historical slope) / √(se_recent² + se_history²),
 *     the standard errors being s √(12 / (n (n² - 1))) (OLS slope of white noise), s = σ for the
 *     history and max(σ, residual sd of the recent line) for the recent window, so bursty or
 *     autocorrelated recent data do not pass for a trend.
 */
import type { DspKernels } from '../../dsp-wasm/host/types.js';
import type { AnomalyConfig } from '../../config/analytics-schema.js';
import type { DeviationDetails, Direction, TrendDetails } from './anomaly-types.js';
import { logBonferroni, logSidak, logTwoSidedP, surpriseFromLogP } from './normal.js';
import { clamp, finiteOr, robustSigma } from './robust-stats.js';
import { type BaselineFilter, smoothSymmetric } from './signal.js';

/** The deviation runs two scans (single points, suffix means); their minimum p is Bonferroni-corrected. */
const kDeviationScans = 2;

/** What the history says the recent window should look like. */
export interface BaselineModel {
  level: number;
  /** Index (in series coordinates) at which `level` applies: historyEnd - 1 - half. */
  levelTime: number;
  slope: number;
  slopeSe: number;
  /** Noise σ at the level (seasonal offset at levelTime included). */
  sigma: number;
  /** Noise σ of a bucket whose expected (unadjusted) value is `expected`. */
  sigmaAt: (expected: number) => number;
}

/** Standard error factor of an OLS slope over n equally spaced points: √(12 / (n (n² - 1))). */
function slopeSeFactor(n: number): number {
  return n >= 2 ? Math.sqrt(12 / (n * (n * n - 1))) : 0;
}

/**
 * Baseline of the (seasonally adjusted) history x[0, historyEnd). `offset` is the seasonal profile
 * that was removed (null: none): the noise model σ ∝ level^κ is applied to the UNADJUSTED expected
 * value smooth + offset, since that is what the noise of a count follows.
 */
export function fitBaseline(x: Float64Array, offset: Float64Array | null, historyEnd: number, filter: BaselineFilter, cfg: AnomalyConfig, dsp: DspKernels): BaselineModel {
  const h = historyEnd;
  const history = x.subarray(0, h);
  const smooth = smoothSymmetric(history, filter, dsp);
  const off = (t: number): number => (offset === null ? 0 : offset[t]);
  const from = Math.max(0, h - cfg.scale.window);
  const kappa = cfg.scale.levelExponent;
  const unitOf = (level: number): number => Math.max(Math.abs(level), cfg.scale.minAbsolute) ** kappa;
  const unitResid = new Float64Array(h - from);
  for (let i = from; i < h; i++) unitResid[i - from] = (history[i] - smooth[i]) / unitOf(smooth[i] + off(i));
  const unitSigma = finiteOr(robustSigma(unitResid) / Math.sqrt(filter.residualVarianceFactor), 0);
  const sigmaAt = (expected: number): number =>
    Math.max(unitSigma * unitOf(expected), cfg.scale.minAbsolute, cfg.scale.minRelative * Math.abs(expected));

  const tail = Math.min(h, Math.max(filter.taps.length, cfg.trend.historyWindow));
  const clipped = new Float64Array(tail);
  for (let i = 0; i < tail; i++) {
    const j = h - tail + i;
    const bound = cfg.baseline.winsorizeZ * sigmaAt(smooth[j] + off(j));
    clipped[i] = clamp(history[j], smooth[j] - bound, smooth[j] + bound);
  }
  const levelInput = clipped.subarray(Math.max(0, tail - filter.taps.length));
  const causal = dsp.firCausal(levelInput, filter.taps);
  const level = finiteOr(causal[causal.length - 1], 0);
  const slopeInput = clipped.subarray(Math.max(0, tail - cfg.trend.historyWindow));
  const slope = finiteOr(dsp.trendSlope(slopeInput), 0);
  const levelTime = h - 1 - filter.half;
  const sigma = sigmaAt(level + off(Math.max(0, levelTime)));
  return { level, levelTime, slope, slopeSe: sigma * slopeSeFactor(slopeInput.length), sigma, sigmaAt };
}

/** Suffix lengths m, 2m, 4m, ... below n, then n itself. */
function suffixLengths(n: number, m: number): number[] {
  const out: number[] = [];
  for (let l = m; l < n; l *= 2) out.push(l);
  out.push(n);
  return out;
}

export interface DeviationStat {
  /** The deviation surprise (>= 0). */
  statistic: number;
  details: DeviationDetails;
}

export function deviationStatistic(x: Float64Array, offset: Float64Array | null, historyEnd: number, model: BaselineModel, filter: BaselineFilter, minSuffix: number): DeviationStat {
  const r = x.length - historyEnd;
  const { sigma, slopeSe } = model;
  const levelVar = sigma * sigma * filter.sumSquares;
  const resid = new Float64Array(r);
  const dts = new Float64Array(r);
  const noiseVar = new Float64Array(r);
  let pointZ = 0;
  let pointSign = 0;
  for (let t = 0; t < r; t++) {
    const dt = historyEnd + t - model.levelTime;
    const expected = model.level + model.slope * dt;
    const s = model.sigmaAt(expected + (offset === null ? 0 : offset[historyEnd + t]));
    dts[t] = dt;
    noiseVar[t] = s * s;
    resid[t] = x[historyEnd + t] - expected;
    const z = resid[t] / Math.sqrt(noiseVar[t] + levelVar + (dt * slopeSe) ** 2);
    if (Math.abs(z) > pointZ) {
      pointZ = Math.abs(z);
      pointSign = Math.sign(z);
    }
  }
  const lengths = suffixLengths(r, Math.min(minSuffix, r));
  let suffixZ = 0;
  let suffixSign = 0;
  let suffixLength = lengths[lengths.length - 1];
  for (const len of lengths) {
    let sum = 0;
    let dtSum = 0;
    let varSum = 0;
    for (let t = r - len; t < r; t++) {
      sum += resid[t];
      dtSum += dts[t];
      varSum += noiseVar[t];
    }
    const m = sum / len;
    let ss = 0;
    for (let t = r - len; t < r; t++) ss += (resid[t] - m) ** 2;
    // Welch-style: the suffix's own spread when it exceeds the noise σ (bursty, autocorrelated data).
    const spread = Math.max(Math.sqrt(varSum / len), len > 1 ? Math.sqrt(ss / (len - 1)) : 0);
    const dtMean = dtSum / len;
    const z = m / Math.sqrt((spread * spread) / len + levelVar + (dtMean * slopeSe) ** 2);
    if (Math.abs(z) > suffixZ) {
      suffixZ = Math.abs(z);
      suffixSign = Math.sign(z);
      suffixLength = len;
    }
  }
  const logPoint = logSidak(logTwoSidedP(pointZ), r);
  const logSuffix = logBonferroni(logTwoSidedP(suffixZ), lengths.length);
  const logP = logBonferroni(Math.min(logPoint, logSuffix), kDeviationScans);
  const statistic = finiteOr(surpriseFromLogP(logP), 0);
  const sign = logPoint <= logSuffix ? pointSign : suffixSign;
  const direction: Direction = statistic > 0 ? (sign > 0 ? 'up' : sign < 0 ? 'down' : 'none') : 'none';
  return {
    statistic,
    details: {
      level: model.level,
      slope: model.slope,
      sigma,
      pointZ: finiteOr(pointZ, 0),
      suffixZ: finiteOr(suffixZ, 0),
      suffixLength,
      direction,
    },
  };
}

export interface TrendStat {
  statistic: number;
  details: TrendDetails;
}

/** Residual standard deviation of the OLS line through x (slope given), n - 2 degrees of freedom. */
function lineResidualSd(x: Float64Array, slope: number): number {
  const n = x.length;
  if (n < 3) return 0;
  let m = 0;
  for (const v of x) m += v;
  m /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - m - slope * (i - (n - 1) / 2)) ** 2;
  return Math.sqrt(ss / (n - 2));
}

export function trendStatistic(recent: Float64Array, model: BaselineModel, dsp: DspKernels): TrendStat {
  const recentSlope = finiteOr(dsp.trendSlope(recent), 0);
  const spread = Math.max(model.sigma, finiteOr(lineResidualSd(recent, recentSlope), 0));
  const seRecent = spread * slopeSeFactor(recent.length);
  const standardError = Math.sqrt(seRecent * seRecent + model.slopeSe * model.slopeSe);
  const z = standardError > 0 ? finiteOr((recentSlope - model.slope) / standardError, 0) : 0;
  return { statistic: Math.abs(z), details: { recentSlope, historySlope: model.slope, standardError, z } };
}
