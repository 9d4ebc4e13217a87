/**
 * Anomaly score of the most recent buckets of one series.
 *
 *   series (oldest first, complete buckets, 0 = empty)
 *     ├─ history = [0, N - R)        R = anomaly.recentWindow
 *     └─ recent  = [N - R, N)
 *   seasonal adjustment: a clear cycle of the history is removed first (anomaly-season.ts)
 *   (a) deviation  ─┐ recent points vs the FIR baseline of the history        (anomaly-level.ts)
 *   (d) trend      ─┤ recent slope vs historical slope                        (anomaly-level.ts)
 *   (b) periodic   ─┤ spectral line in the recent detail vs history windows   (anomaly-shape.ts)
 *   (c) complexity ─┘ Higuchi FD of the recent window vs history windows      (anomaly-shape.ts)
 *        each: statistic s >= 0 (z units) → probability p = logistic((s - midpoint) / width)
 *                                         → evidence   e = -ln(1 - p)   (≈ 0 when p ≈ 0)
 *   logit(score) = prior + Σ weight × e ;  attribution = whole-percent shares of weight × e
 *
 * Insufficient data (fewer than anomaly.minPoints non-empty buckets, or a series shorter than
 * the structural minimum: recent window + the history the components need) is not an error: the
 * result has status 'insufficient', score 0, isAnomaly false, every component unavailable and the
 * attribution of the no-evidence rule (attribution.ts). A component whose statistic is undefined
 * on sufficient data (flat windows, too few defined history windows) is unavailable and adds no
 * evidence. Non-finite input values are treated as empty buckets. Output is NaN-free.
 */
import type { DspKernels } from '../../dsp-wasm/host/types.js';
import { type AnalyticsConfig, anomalyStructuralMinimum } from '../../config/analytics-schema.js';
import type { AnomalyComponentName, AnomalyResult, ComponentScore } from './anomaly-types.js';
import { attribute } from './attribution.js';
import { deviationStatistic, fitBaseline, trendStatistic } from './anomaly-level.js';
import { complexityStatistic, periodicStatistic } from './anomaly-shape.js';
import { seasonalAdjust } from './anomaly-season.js';
import { finiteOr, kMaxEvidence, logistic, softplus } from './robust-stats.js';
import { designBaseline, residual, sanitize, smoothSymmetric } from './signal.js';
import { dataSufficiency } from './sufficiency.js';

interface Calibration {
  weight: number;
  midpoint: number;
  width: number;
}

function calibrate<D>(available: boolean, statistic: number, cal: Calibration, details: D): ComponentScore<D> {
  if (!available || !Number.isFinite(statistic)) return { available: false, statistic: 0, probability: 0, evidence: 0, weight: cal.weight, details };
  const x = (statistic - cal.midpoint) / cal.width;
  return { available, statistic, probability: logistic(x), evidence: Math.min(kMaxEvidence, softplus(x)), weight: cal.weight, details };
}

function weightsOf(cfg: AnalyticsConfig['anomaly']): Record<AnomalyComponentName, number> {
  return { deviation: cfg.deviation.weight, periodic: cfg.periodic.weight, complexity: cfg.complexity.weight, trend: cfg.trend.weight };
}

function insufficient(x: Float64Array, cfg: AnalyticsConfig, sufficiency: AnomalyResult['dataSufficiency']): AnomalyResult {
  const a = cfg.anomaly;
  const r = Math.min(a.recentWindow, x.length);
  const none = <D>(cal: Calibration, details: D): ComponentScore<D> => calibrate(false, 0, cal, details);
  const shapeNone = { historyCentre: null, historySpread: null, historyWindows: 0, z: 0 };
  return {
    status: 'insufficient',
    dataSufficiency: sufficiency,
    score: 0,
    threshold: a.alertThreshold,
    isAnomaly: false,
    direction: 'none',
    attribution: attribute({ deviation: 0, periodic: 0, complexity: 0, trend: 0 }, weightsOf(a)),
    components: {
      deviation: none(a.deviation, { level: 0, slope: 0, sigma: 0, pointZ: 0, suffixZ: 0, suffixLength: 0, direction: 'none' as const }),
      periodic: none(a.periodic, { recentLogRatio: null, peakPeriod: null, ...shapeNone }),
      complexity: none(a.complexity, { recentHfd: null, ...shapeNone }),
      trend: none(a.trend, { recentSlope: 0, historySlope: 0, standardError: 0, z: 0 }),
    },
    split: { historyLength: x.length - r, recentStart: x.length - r, recentLength: r },
    seasonPeriod: null,
  };
}

export function scoreAnomaly(series: ArrayLike<number>, cfg: AnalyticsConfig, dsp: DspKernels): AnomalyResult {
  const a = cfg.anomaly;
  const raw = sanitize(series);
  const sufficiency = dataSufficiency(raw, a.minPoints, anomalyStructuralMinimum(cfg));
  if (sufficiency.status === 'insufficient') return insufficient(raw, cfg, sufficiency);

  const n = raw.length;
  const historyEnd = n - a.recentWindow;
  const season = seasonalAdjust(raw, historyEnd, a.season, dsp);
  const x = season.adjusted;
  const filter = designBaseline(a.baseline, dsp);
  const model = fitBaseline(x, season.offset, historyEnd, filter, a, dsp);
  const dev = deviationStatistic(x, season.offset, historyEnd, model, filter, a.deviation.minSuffix);
  const trend = trendStatistic(x.subarray(historyEnd), model, dsp);

  let scale = 0;
  for (const v of x) scale += Math.abs(v);
  scale = Math.max(scale / n, a.scale.minAbsolute);
  const shapeInput = { raw: x, detail: residual(x, smoothSymmetric(x, filter, dsp)), historyEnd, flatLevel: a.flatTolerance * scale };
  const periodic = periodicStatistic(shapeInput, a, dsp);
  const complexity = complexityStatistic(shapeInput, a, dsp);

  const components = {
    deviation: calibrate(true, dev.statistic, a.deviation, dev.details),
    periodic: calibrate(periodic.available, periodic.statistic, a.periodic, periodic.details),
    complexity: calibrate(complexity.available, complexity.statistic, a.complexity, complexity.details),
    trend: calibrate(true, trend.statistic, a.trend, trend.details),
  };
  const weighted = {
    deviation: components.deviation.weight * components.deviation.evidence,
    periodic: components.periodic.weight * components.periodic.evidence,
    complexity: components.complexity.weight * components.complexity.evidence,
    trend: components.trend.weight * components.trend.evidence,
  };
  const logit = a.prior + weighted.deviation + weighted.periodic + weighted.complexity + weighted.trend;
  const score = finiteOr(logistic(logit), 0);
  return {
    status: 'sufficient',
    dataSufficiency: sufficiency,
    score,
    threshold: a.alertThreshold,
    isAnomaly: score >= a.alertThreshold,
    direction: components.deviation.evidence > 0 ? dev.details.direction : 'none',
    attribution: attribute(weighted, weightsOf(a)),
    components,
    split: { historyLength: historyEnd, recentStart: historyEnd, recentLength: a.recentWindow },
    seasonPeriod: season.period,
  };
}

