/**
 * Forecast of the next `horizon` buckets with prediction bands.
 *
 * Models (holt-winters.ts): damped trend (ETS(A,Ad,N)) and, for each seasonal candidate period m
 * (forecast-season.ts), additive Holt-Winters with damped trend (ETS(A,Ad,A)). A model's smoothing
 * parameters are the first minimum of its one-step SSE over the fixed grid forecast.grid
 * (deterministic). The model is chosen on a held-out tail of V = round(validationFraction × n)
 * buckets: each candidate is fitted on the rest and forecasts the tail; the smallest mean absolute
 * error wins (a seasonal model must beat the best so far by the relative seasonMargin). The
 * chosen model is then refitted on the whole series.
 *
 * Bands: σ = RMS of the final fit's one-step in-sample errors, widened with the horizon by the
 * model's exact variance multipliers v_h, and by w = max(1, RMS of the validation errors in units
 * of σ √v_h) when the model proved over-confident on the tail (misspecification, e.g. a daily
 * cycle longer than the series): value ± Φ⁻¹((1 + level) / 2) σ w √v_h. Values and bands are
 * clamped at 0 when clampNonNegative (counts and sums).
 *
 * Insufficient data (fewer than forecast.minPoints non-empty buckets, or a series too short to
 * initialise): method 'naive' (last value, random-walk bands from the RMS of first differences),
 * status 'insufficient'. horizon is floored and clamped to [0, maxHorizon]. Output is NaN-free.
 */
import type { DspKernels } from '../../dsp-wasm/host/types.js';
import type { AnalyticsConfig, ForecastConfig } from '../../config/analytics-schema.js';
import { type FittedState, type InitialState, initNonSeasonal, kInitSeasons, initSeasonal, pointForecast, runSmoother, smootherSsePair, type SmoothingParams, varianceMultipliers } from './holt-winters.js';
import { detectSeason, seasonCandidates } from './forecast-season.js';
import { normalQuantile } from './normal.js';
import { finiteOr } from './robust-stats.js';
import { sanitize } from './signal.js';
import { type DataSufficiency, dataSufficiency, type SufficiencyStatus } from './sufficiency.js';

/** One-step errors a fit needs after its initialisation (fewer: naive fallback). */
const kMinFitPoints = 2;

export type ForecastMethod = 'holt-winters-additive' | 'damped-trend' | 'naive';

export interface ForecastParams {
  alpha: number;
  /** Trend smoothing β* (b_t = φ b_{t-1} + α β* e_t). */
  beta: number;
  /** Seasonal smoothing; null without season. */
  gamma: number | null;
  /** Trend damping (1 = undamped). */
  phi: number;
}

export interface ForecastResult {
  status: SufficiencyStatus;
  dataSufficiency: DataSufficiency;
  method: ForecastMethod;
  /** Steps ahead actually forecast (after flooring and clamping). */
  horizon: number;
  /** values[j] is the forecast for the bucket j + 1 steps after the last one of the series. */
  values: number[];
  lower: number[];
  upper: number[];
  /** Central probability of [lower, upper]. */
  level: number;
  seasonPeriod: number | null;
  /** null for the naive fallback. */
  params: ForecastParams | null;
  /** RMS of the one-step in-sample errors (series units). */
  residualSigma: number;
  /** Factor (>= 1) the horizon-scaled bands were widened by after validation (1 for naive). */
  bandWidening: number;
  /**
   * Fit summary: one-step in-sample points and SSE of the final fit; validation points and the
   * chosen model's validation MAE; number of models compared.
   */
  fit: { points: number; sse: number; validationPoints: number; validationMae: number; modelsCompared: number };
}

interface ModelSpec {
  /** Seasonal period, or null for the damped trend. */
  period: number | null;
}

interface Fitted {
  params: SmoothingParams;
  state: FittedState;
}

/**
 * First SSE minimum over the grid (γ fixed at 0 without season). A grid point is run only until its
 * SSE exceeds the best one known — it could no longer be the minimum; a point that ties is run to
 * the end, so the first of equal minima still wins. `hint`, a grid point likely near the minimum
 * (the model's fit on the training part), is run first to set that bound. Points are run two at a
 * time (smootherSsePair), both against the bound known before them, and taken in grid order. The
 * winner is run once more in full for its final state.
 */
function fitGrid(x: Float64Array, spec: ModelSpec, cfg: ForecastConfig, dsp: DspKernels, hint: SmoothingParams | null = null): Fitted {
  const init: InitialState = spec.period === null ? initNonSeasonal(x, cfg.initPoints, dsp) : initSeasonal(x, spec.period);
  const evalFrom = spec.period === null ? cfg.initPoints : kInitSeasons * spec.period;
  const points: SmoothingParams[] = [];
  const gammas = spec.period === null ? [0] : cfg.grid.gamma;
  for (const alpha of cfg.grid.alpha) {
    for (const beta of cfg.grid.beta) {
      for (const gamma of gammas) {
        for (const phi of cfg.grid.phi) points.push({ alpha, beta, gamma, phi });
      }
    }
  }
  let best = -1;
  let bestSse = Infinity;
  let bound = hint === null ? Infinity : runSmoother(x, init, hint, evalFrom).sse;
  const sse = new Float64Array(2);
  for (let i = 0; i < points.length; i += 2) {
    if (i + 1 < points.length) smootherSsePair(x, init, points[i], points[i + 1], evalFrom, bound, sse);
    else sse[0] = runSmoother(x, init, points[i], evalFrom, bound).sse;
    for (let j = 0; j < 2 && i + j < points.length; j++) {
      if (best < 0 || sse[j] < bestSse) {
        best = i + j;
        bestSse = sse[j];
        bound = Math.min(bound, sse[j]);
      }
    }
  }
  const params = points[best];
  return { params, state: runSmoother(x, init, params, evalFrom) };
}

/** Validation: fit on all but the last v points, forecast them, mean absolute error. */
function validationMae(x: Float64Array, v: number, spec: ModelSpec, cfg: ForecastConfig, dsp: DspKernels): { mae: number; fit: Fitted } {
  const train = x.subarray(0, x.length - v);
  const fit = fitGrid(train, spec, cfg, dsp);
  const pred = pointForecast(fit.state, fit.params, train.length, v);
  let sum = 0;
  for (let j = 0; j < v; j++) sum += Math.abs(x[train.length + j] - pred[j]);
  return { mae: sum / v, fit };
}

/**
 * Widening factor of the bands: the RMS, over the validation points, of the forecast errors in
 * units of the model's own predicted standard deviation; never below 1 (bands only widen).
 */
function bandCalibration(x: Float64Array, v: number, spec: ModelSpec, fit: Fitted): number {
  const train = x.length - v;
  const sigma = Math.sqrt(fit.state.sse / Math.max(1, fit.state.count));
  if (!(sigma > 0)) return 1;
  const pred = pointForecast(fit.state, fit.params, train, v);
  const mult = varianceMultipliers(fit.params, spec.period ?? 0, v);
  let ss = 0;
  for (let j = 0; j < v; j++) ss += (x[train + j] - pred[j]) ** 2 / (sigma * sigma * mult[j]);
  return Math.max(1, finiteOr(Math.sqrt(ss / v), 1));
}

function bands(values: Float64Array, sigma: number, mult: Float64Array, cfg: ForecastConfig): { values: number[]; lower: number[]; upper: number[] } {
  const z = normalQuantile((1 + cfg.level) / 2);
  const floor = cfg.clampNonNegative ? 0 : -Infinity;
  const out = { values: [] as number[], lower: [] as number[], upper: [] as number[] };
  for (let j = 0; j < values.length; j++) {
    const half = z * sigma * Math.sqrt(mult[j]);
    const v = finiteOr(values[j], 0);
    out.values.push(Math.max(floor, v));
    out.lower.push(Math.max(floor, finiteOr(v - half, v)));
    out.upper.push(Math.max(floor, finiteOr(v + half, v)));
  }
  return out;
}

function naive(x: Float64Array, horizon: number, cfg: ForecastConfig, sufficiency: DataSufficiency): ForecastResult {
  const n = x.length;
  const last = n > 0 ? x[n - 1] : 0;
  let ss = 0;
  for (let i = 1; i < n; i++) ss += (x[i] - x[i - 1]) ** 2;
  const sigma = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const mult = Float64Array.from({ length: horizon }, (_, j) => j + 1);
  return {
    status: 'insufficient',
    dataSufficiency: sufficiency,
    method: 'naive',
    horizon,
    ...bands(new Float64Array(horizon).fill(last), finiteOr(sigma, 0), mult, cfg),
    level: cfg.level,
    seasonPeriod: null,
    params: null,
    residualSigma: finiteOr(sigma, 0),
    bandWidening: 1,
    fit: { points: Math.max(0, n - 1), sse: finiteOr(ss, 0), validationPoints: 0, validationMae: 0, modelsCompared: 0 },
  };
}

export function forecast(series: ArrayLike<number>, horizon: number, cfg: AnalyticsConfig, dsp: DspKernels): ForecastResult {
  const f = cfg.forecast;
  const x = sanitize(series);
  const n = x.length;
  const h = Number.isFinite(horizon) ? Math.min(f.maxHorizon, Math.max(0, Math.floor(horizon))) : 0;
  const sufficiency = dataSufficiency(x, f.minPoints, f.initPoints + kMinFitPoints);
  if (sufficiency.status === 'insufficient') return naive(x, h, f, sufficiency);

  // Model choice on a held-out tail; seasonal candidates must leave minSeasons seasons to train on.
  const v = Math.max(1, Math.round(f.validationFraction * n));
  const specs: ModelSpec[] = [{ period: null }];
  for (const m of seasonCandidates(detectSeason(x, f, dsp), n, f)) if (n - v >= f.minSeasons * m) specs.push({ period: m });
  let chosen = specs[0];
  let best = validationMae(x, v, chosen, f, dsp);
  for (const spec of specs.slice(1)) {
    const c = validationMae(x, v, spec, f, dsp);
    if (c.mae < best.mae * (1 - f.seasonMargin)) {
      chosen = spec;
      best = c;
    }
  }
  const widen = bandCalibration(x, v, chosen, best.fit);

  const fit = fitGrid(x, chosen, f, dsp, best.fit.params);
  const m = chosen.period ?? 0;
  const sigma = finiteOr(Math.sqrt(fit.state.sse / Math.max(1, fit.state.count)), 0);
  const values = pointForecast(fit.state, fit.params, n, h);
  const mult = varianceMultipliers(fit.params, m, h).map((q) => q * widen * widen);
  const { alpha, beta, gamma, phi } = fit.params;
  return {
    status: 'sufficient',
    dataSufficiency: sufficiency,
    method: chosen.period === null ? 'damped-trend' : 'holt-winters-additive',
    horizon: h,
    ...bands(values, sigma, mult, f),
    level: f.level,
    seasonPeriod: chosen.period,
    params: { alpha, beta, gamma: chosen.period === null ? null : gamma, phi },
    residualSigma: sigma,
    bandWidening: widen,
    fit: { points: fit.state.count, sse: finiteOr(fit.state.sse, 0), validationPoints: v, validationMae: finiteOr(best.mae, 0), modelsCompared: specs.length },
  };
}

/** Timestamps of the forecast buckets: the j-th value starts at historicalCutoff + j × bucketMs. */
export function forecastTimestamps(historicalCutoff: number, bucketMs: number, horizon: number): number[] {
  return Array.from({ length: horizon }, (_, j) => historicalCutoff + j * bucketMs);
}
