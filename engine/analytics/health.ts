/**
 * Seller health score 0–100 (higher is healthier): a weighted mean of four sub-scores, each 0–100.
 *
 *   volatility        robust CV = noise σ (MAD of the residuals around the FIR smooth, as in the
 *                     anomaly baseline) / mean level;            score = 100 · 2^(-cv / volatilityHalfCv)
 *   anomalyFrequency  share of the sliding anomaly evaluations (the series ending at the last
 *                     anomalyWindows points, anomalyStride apart) that are flagged;
 *                                                                score = 100 · 2^(-rate / anomalyRateHalf)
 *   predictiveRisk    u = mean band half-width / mean forecast level, d = max(0, 1 - mean forecast /
 *                     mean of the last forecastHorizon buckets); score = 100 · 2^(-(u / bandWidthHalf + d / declineHalf))
 *   dataConsistency   coverage = non-empty buckets / span;       score = 100 · min(1, coverage / fullCoverage)
 *
 * A sub-score that cannot be computed (no level, no sufficient anomaly window, an insufficient
 * forecast) is unavailable: it keeps its weight in the breakdown but is left out of the mean. No
 * sub-score available ⇒ score 0. Scores are rounded to one decimal. status/dataSufficiency are the
 * anomaly scorer's requirements applied to the whole series.
 */
import type { DspKernels } from '../../dsp-wasm/host/types.js';
import { type AnalyticsConfig, anomalyStructuralMinimum } from '../../config/analytics-schema.js';
import type { AnomalyResult } from './anomaly-types.js';
import { scoreAnomaly } from './anomaly.js';
import { forecast, type ForecastResult } from './forecast.js';
import { finiteOr, mean, robustSigma, roundTo } from './robust-stats.js';
import { designBaseline, residual, sanitize, smoothSymmetric } from './signal.js';
import { countNonEmpty, type DataSufficiency, dataSufficiency, type SufficiencyStatus } from './sufficiency.js';

export interface HealthComponent<M> {
  /** 0–100, one decimal (0 when unavailable). */
  score: number;
  weight: number;
  available: boolean;
  measures: M;
}

export interface HealthBreakdown {
  volatility: HealthComponent<{ cv: number }>;
  anomalyFrequency: HealthComponent<{ rate: number; windows: number; flagged: number; meanScore: number }>;
  predictiveRisk: HealthComponent<{ relativeBandHalfWidth: number; decline: number }>;
  dataConsistency: HealthComponent<{ coverage: number }>;
}

export interface HealthResult {
  status: SufficiencyStatus;
  dataSufficiency: DataSufficiency;
  /** 0–100, one decimal. */
  score: number;
  breakdown: HealthBreakdown;
}

/** The inputs health is derived from, when the caller already has them. */
export interface HealthInputs {
  series: ArrayLike<number>;
  /** Anomaly results of the sliding evaluations (any order; insufficient ones are ignored). */
  anomalies: readonly AnomalyResult[];
  /** Forecast of the next buckets (null when none). */
  forecast: ForecastResult | null;
}

const kDigits = 1;
const halving = (ratio: number): number => 100 * 2 ** -Math.max(0, ratio);

function component<M>(available: boolean, score: number, weight: number, measures: M): HealthComponent<M> {
  return { score: available ? roundTo(Math.min(100, Math.max(0, finiteOr(score, 0))), kDigits) : 0, weight, available, measures };
}

function volatility(x: Float64Array, cfg: AnalyticsConfig, dsp: DspKernels): HealthBreakdown['volatility'] {
  const w = cfg.health.weights.volatility;
  const level = x.length > 0 ? mean(x) : 0;
  if (x.length < cfg.anomaly.baseline.numtaps || !(Math.abs(level) > 0)) return component(false, 0, w, { cv: 0 });
  const filter = designBaseline(cfg.anomaly.baseline, dsp);
  const sigma = finiteOr(robustSigma(residual(x, smoothSymmetric(x, filter, dsp))) / Math.sqrt(filter.residualVarianceFactor), 0);
  const cv = sigma / Math.max(Math.abs(level), cfg.anomaly.scale.minAbsolute);
  return component(true, halving(cv / cfg.health.volatilityHalfCv), w, { cv });
}

function anomalyFrequency(anomalies: readonly AnomalyResult[], cfg: AnalyticsConfig): HealthBreakdown['anomalyFrequency'] {
  const usable = anomalies.filter((a) => a.status === 'sufficient');
  const flagged = usable.filter((a) => a.isAnomaly).length;
  const rate = usable.length > 0 ? flagged / usable.length : 0;
  const meanScore = usable.length > 0 ? usable.reduce((s, a) => s + a.score, 0) / usable.length : 0;
  return component(usable.length > 0, halving(rate / cfg.health.anomalyRateHalf), cfg.health.weights.anomalyFrequency, {
    rate,
    windows: usable.length,
    flagged,
    meanScore,
  });
}

function predictiveRisk(x: Float64Array, f: ForecastResult | null, cfg: AnalyticsConfig): HealthBreakdown['predictiveRisk'] {
  const w = cfg.health.weights.predictiveRisk;
  if (f === null || f.status !== 'sufficient' || f.horizon === 0) return component(false, 0, w, { relativeBandHalfWidth: 0, decline: 0 });
  const level = mean(f.values);
  let half = 0;
  for (let j = 0; j < f.horizon; j++) half += (f.upper[j] - f.lower[j]) / 2;
  const u = half / f.horizon / Math.max(Math.abs(level), cfg.anomaly.scale.minAbsolute);
  const recent = mean(x.subarray(Math.max(0, x.length - f.horizon)));
  const d = recent > 0 ? Math.max(0, 1 - level / recent) : 0;
  const h = cfg.health;
  return component(true, halving(u / h.bandWidthHalf + d / h.declineHalf), w, { relativeBandHalfWidth: finiteOr(u, 0), decline: finiteOr(d, 0) });
}

/** Health from already computed anomaly evaluations and forecast. */
export function healthFromParts(inputs: HealthInputs, cfg: AnalyticsConfig, dsp: DspKernels): HealthResult {
  const x = sanitize(inputs.series);
  const coverage = x.length > 0 ? countNonEmpty(x) / x.length : 0;
  const breakdown: HealthBreakdown = {
    volatility: volatility(x, cfg, dsp),
    anomalyFrequency: anomalyFrequency(inputs.anomalies, cfg),
    predictiveRisk: predictiveRisk(x, inputs.forecast, cfg),
    dataConsistency: component(true, 100 * Math.min(1, coverage / cfg.health.fullCoverage), cfg.health.weights.dataConsistency, { coverage }),
  };
  let sum = 0;
  let weight = 0;
  for (const c of [breakdown.volatility, breakdown.anomalyFrequency, breakdown.predictiveRisk, breakdown.dataConsistency]) {
    if (c.available && c.weight > 0) {
      sum += c.weight * c.score;
      weight += c.weight;
    }
  }
  const sufficiency = dataSufficiency(x, cfg.anomaly.minPoints, anomalyStructuralMinimum(cfg));
  return { status: sufficiency.status, dataSufficiency: sufficiency, score: weight > 0 ? roundTo(sum / weight, kDigits) : 0, breakdown };
}

/** Anomaly scores of the series ending at the last anomalyWindows points, anomalyStride apart (latest first). */
export function slidingAnomalies(series: ArrayLike<number>, cfg: AnalyticsConfig, dsp: DspKernels): AnomalyResult[] {
  const x = sanitize(series);
  const out: AnomalyResult[] = [];
  for (let j = 0; j < cfg.health.anomalyWindows; j++) {
    const end = x.length - j * cfg.health.anomalyStride;
    if (end <= 0) break;
    out.push(scoreAnomaly(x.subarray(0, end), cfg, dsp));
  }
  return out;
}

/** Health of one series: runs the sliding anomaly evaluations and the forecast, then combines. */
export function computeHealth(series: ArrayLike<number>, cfg: AnalyticsConfig, dsp: DspKernels): HealthResult {
  return healthFromParts(
    { series, anomalies: slidingAnomalies(series, cfg, dsp), forecast: forecast(series, cfg.health.forecastHorizon, cfg, dsp) },
    cfg,
    dsp,
  );
}
