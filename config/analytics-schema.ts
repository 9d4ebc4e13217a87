/**
 * Tunables of the analytics math (engine/analytics): anomaly scoring, forecasting, health and the
 * data-sufficiency / confidence wording. Merged into the main schema as the `analytics` key.
 *
 * Units: every window, stride and count is in BUCKETS of the series being analysed (the caller
 * picks the resolution); every "midpoint"/"width" is in the unit of the component's statistic
 * (z-like surprise, see engine/analytics/anomaly.ts); every "half" is the value of a raw measure at
 * which a health sub-score falls to 50.
 */
import { z } from 'zod';

const weight = z.number().finite().min(0);
const positive = z.number().finite().positive();
const fraction = z.number().finite().gt(0).lt(1);
const count = (min: number): z.ZodNumber => z.number().int().min(min);

/**
 * Calibration of one anomaly component: probability = logistic((statistic - midpoint) / width);
 * evidence = -ln(1 - probability); logit(score) = prior + sum(weight * evidence).
 */
const componentCalibration = {
  weight,
  midpoint: z.number().finite(),
  width: positive,
};

export const anomalySchema = z
  .object({
    /** The last `recentWindow` buckets are scored against everything before them (the history). */
    recentWindow: count(8),
    /** Non-empty buckets required before a score is computed (must cover the structural minimum). */
    minPoints: count(1),
    /** Stride between the history windows that give the periodic/complexity null distributions. */
    historyStride: count(1),
    /** Fewer history windows than this with a defined statistic ⇒ the component has no evidence. */
    minHistoryWindows: count(3),
    /** Log prior odds of an anomaly: the score when no component has any evidence is logistic(prior). */
    prior: z.number().finite(),
    /** score >= alertThreshold ⇒ isAnomaly. */
    alertThreshold: fraction,
    /**
     * Windows whose RMS about their mean is at most flatTolerance × the series scale (mean |x|) are
     * flat (no spectrum, no fractal dimension): keeps rounding noise from being analysed as signal.
     */
    flatTolerance: z.number().finite().min(0).max(1e-3),
    /** Seasonal adjustment (anomaly-season.ts): a clear cycle in the history is removed first. */
    season: z
      .object({
        enabled: z.boolean(),
        minPeriod: count(2),
        maxPeriod: count(2),
        /** Full cycles the history must hold for a period to be considered. */
        minSeasons: count(2),
        /** Candidate periods = detected period × each multiple. */
        multiples: z.array(count(1)).min(1).max(8),
        /** Adjusted R² the seasonal profile must reach on the detrended history (≈ 0 for pure noise). */
        minStrength: fraction,
      })
      .strict(),
    baseline: z
      .object({
        /** FIR low-pass (scipy firwin, Hamming) that defines the baseline; odd so it has a centre tap. */
        numtaps: count(3).refine((n) => n % 2 === 1, 'must be odd'),
        /** Cutoff as a fraction of Nyquist: components slower than 2/cutoff buckets are "baseline". */
        cutoff: fraction,
        /** History points further than this many robust σ from the smooth are clipped before the level is taken. */
        winsorizeZ: positive,
      })
      .strict(),
    scale: z
      .object({
        /** Robust σ comes from the residuals of the last `window` history buckets. */
        window: count(8),
        /**
         * Noise σ grows with the level as level^levelExponent (0: constant noise, 0.5: Poisson-like
         * counts, 1: multiplicative). Residuals are divided by smooth^levelExponent before the MAD
         * and σ is rescaled to the level the recent window is compared with.
         */
        levelExponent: z.number().finite().min(0).max(1),
        /** σ never falls below this (series units: one event, or one currency unit for sums). */
        minAbsolute: positive,
        /** ... nor below this fraction of the history's median level. */
        minRelative: z.number().finite().min(0),
      })
      .strict(),
    deviation: z
      .object({
        ...componentCalibration,
        /**
         * Shortest run of recent points whose MEAN is tested (then 2×, 4×, ... up to recentWindow).
         * Shorter excursions are left to the single-point test, so bursty texture is not read as a
         * level shift.
         */
        minSuffix: count(1),
      })
      .strict(),
    periodic: z
      .object({
        ...componentCalibration,
        /** A period must repeat at least this many times in the recent window to count. */
        minCycles: count(2),
        /** Windows are zero-padded to padFactor × their length, then to a power of two (finer frequency grid). */
        padFactor: count(1).max(16),
        /** Median spectral power is floored at this fraction of the mean power (flat/degenerate spectra). */
        powerFloor: z.number().finite().positive().max(1),
        /** Floor of the robust spread of the history log peak ratios (natural-log units). */
        scaleFloor: positive,
      })
      .strict(),
    complexity: z
      .object({
        ...componentCalibration,
        /** Higuchi kmax (needs recentWindow >= 2 kmax). */
        kmax: count(2),
        /** Floor of the robust spread of the history fractal dimensions. */
        scaleFloor: positive,
      })
      .strict(),
    trend: z
      .object({
        ...componentCalibration,
        /** The historical slope is fitted over the last `historyWindow` history buckets. */
        historyWindow: count(4),
      })
      .strict(),
  })
  .strict();

export const forecastSchema = z
  .object({
    /** Central probability of the prediction bands (0.9 ⇒ 5 % / 95 % quantiles). */
    level: fraction,
    /** Non-empty buckets required for a fitted model; below it the forecast is naive and flagged. */
    minPoints: count(2),
    /** Longest horizon served (longer requests are truncated). */
    maxHorizon: count(1),
    /** Buckets used to initialise level and trend of the non-seasonal model. */
    initPoints: count(2),
    /** Admissible seasonal periods (buckets) and the number of full seasons a period needs. */
    minPeriod: count(2),
    maxPeriod: count(2),
    minSeasons: count(2),
    /** Candidate periods = detected period × each multiple (e.g. 7: daily season ⇒ also try weekly). */
    seasonMultiples: z.array(count(1)).min(1).max(8),
    /** Share of the series held out to choose the model (and calibrate the bands). */
    validationFraction: z.number().finite().gt(0).max(0.5),
    /** A seasonal model must have a validation MAE this much (relative) below the best so far. */
    seasonMargin: z.number().finite().min(0).lt(1),
    /** Smoothing-parameter grid searched (minimum one-step SSE; ties keep the first). */
    grid: z
      .object({
        alpha: z.array(fraction).min(1).max(16),
        beta: z.array(z.number().finite().min(0).lt(1)).min(1).max(16),
        gamma: z.array(z.number().finite().min(0).lt(1)).min(1).max(16),
        phi: z.array(z.number().finite().gt(0).max(1)).min(1).max(16),
      })
      .strict(),
    /** Counts and sums cannot be negative: clamp values and lower bands at 0. */
    clampNonNegative: z.boolean(),
  })
  .strict();

export const healthSchema = z
  .object({
    weights: z
      .object({ volatility: weight, anomalyFrequency: weight, predictiveRisk: weight, dataConsistency: weight })
      .strict()
      .refine((w) => w.volatility + w.anomalyFrequency + w.predictiveRisk + w.dataConsistency > 0, 'at least one weight must be positive'),
    /** Robust coefficient of variation (σ / mean level) at which the volatility score is 50. */
    volatilityHalfCv: positive,
    /** Anomaly scores are taken for the series ending at the last `anomalyWindows` points, `anomalyStride` apart. */
    anomalyWindows: count(1),
    anomalyStride: count(1),
    /** Fraction of those windows flagged anomalous at which the anomaly-frequency score is 50. */
    anomalyRateHalf: fraction,
    /** Forecast horizon (buckets) whose bands measure predictive risk. */
    forecastHorizon: count(1),
    /** Relative band half-width ((upper - lower) / 2 / level) at which the predictive score is 50 ... */
    bandWidthHalf: positive,
    /** ... and relative forecast decline (1 - forecast mean / recent mean) contributing the same. */
    declineHalf: positive,
    /** Share of non-empty buckets from which data consistency scores 100. */
    fullCoverage: z.number().finite().gt(0).max(1),
  })
  .strict();

export const confidenceSchema = z
  .object({
    /** Volatility sub-score from which the confidence message calls the pattern stable. */
    stableVolatilityScore: z.number().finite().min(0).max(100),
  })
  .strict();

export const analyticsSchema = z
  .object({ anomaly: anomalySchema, forecast: forecastSchema, health: healthSchema, confidence: confidenceSchema })
  .strict()
  .superRefine((cfg, ctx) => {
    const a = cfg.anomaly;
    if (a.recentWindow < 2 * a.complexity.kmax) {
      ctx.addIssue({ code: 'custom', path: ['anomaly', 'complexity', 'kmax'], message: 'recentWindow must be at least 2 × kmax' });
    }
    if (a.recentWindow <= 2 * a.periodic.minCycles) {
      ctx.addIssue({ code: 'custom', path: ['anomaly', 'periodic', 'minCycles'], message: 'recentWindow must exceed 2 × minCycles' });
    }
    const structural = anomalyStructuralMinimum(cfg);
    if (a.minPoints < structural) {
      ctx.addIssue({ code: 'custom', path: ['anomaly', 'minPoints'], message: `must be at least ${structural} (recent window + the history the components need)` });
    }
    const f = cfg.forecast;
    if (a.season.minPeriod > a.season.maxPeriod) {
      ctx.addIssue({ code: 'custom', path: ['anomaly', 'season', 'minPeriod'], message: 'must not exceed maxPeriod' });
    }
    if (f.minPeriod > f.maxPeriod) ctx.addIssue({ code: 'custom', path: ['forecast', 'minPeriod'], message: 'must not exceed maxPeriod' });
    if (f.minPoints < f.initPoints) ctx.addIssue({ code: 'custom', path: ['forecast', 'minPoints'], message: 'must be at least initPoints' });
  });

export type AnalyticsConfig = z.infer<typeof analyticsSchema>;
export type AnomalyConfig = AnalyticsConfig['anomaly'];
export type ForecastConfig = AnalyticsConfig['forecast'];
export type HealthConfig = AnalyticsConfig['health'];

/**
 * Shortest series the anomaly scorer can analyse: the recent window plus a history long enough
 * for the baseline filter, the robust scale, the historical slope and `minHistoryWindows` windows.
 */
export function anomalyStructuralMinimum(cfg: Pick<AnalyticsConfig, 'anomaly'>): number {
  const a = cfg.anomaly;
  const windows = a.recentWindow + (a.minHistoryWindows - 1) * a.historyStride;
  const history = Math.max(a.baseline.numtaps, a.scale.window, a.trend.historyWindow, windows);
  return a.recentWindow + history;
}

export function defaultAnalyticsConfig(): AnalyticsConfig {
  return {
    anomaly: {
      recentWindow: 60,
      minPoints: 300,
      historyStride: 30,
      minHistoryWindows: 6,
      prior: -3,
      alertThreshold: 0.5,
      flatTolerance: 1e-9,
      season: { enabled: true, minPeriod: 4, maxPeriod: 1008, minSeasons: 4, multiples: [1, 7], minStrength: 0.2 },
      baseline: { numtaps: 31, cutoff: 0.1, winsorizeZ: 4 },
      scale: { window: 240, levelExponent: 0.5, minAbsolute: 1, minRelative: 0.01 },
      deviation: { weight: 1, midpoint: 4.5, width: 0.5, minSuffix: 8 },
      periodic: { weight: 1, midpoint: 4, width: 0.5, minCycles: 3, padFactor: 4, powerFloor: 1e-9, scaleFloor: 0.1 },
      complexity: { weight: 1, midpoint: 4, width: 0.5, kmax: 8, scaleFloor: 0.02 },
      trend: { weight: 1, midpoint: 3.5, width: 0.5, historyWindow: 120 },
    },
    forecast: {
      level: 0.9,
      minPoints: 48,
      maxHorizon: 2160,
      initPoints: 24,
      minPeriod: 4,
      maxPeriod: 1440,
      minSeasons: 3,
      seasonMultiples: [1, 7],
      validationFraction: 0.2,
      seasonMargin: 0.02,
      grid: {
        alpha: [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8],
        beta: [0, 0.02, 0.1, 0.3],
        gamma: [0, 0.05, 0.1, 0.2, 0.3],
        phi: [0.8, 0.9, 0.98, 1],
      },
      clampNonNegative: true,
    },
    health: {
      weights: { volatility: 0.25, anomalyFrequency: 0.35, predictiveRisk: 0.2, dataConsistency: 0.2 },
      volatilityHalfCv: 0.5,
      anomalyWindows: 12,
      anomalyStride: 30,
      anomalyRateHalf: 0.1,
      forecastHorizon: 60,
      bandWidthHalf: 1,
      declineHalf: 0.25,
      fullCoverage: 0.9,
    },
    confidence: { stableVolatilityScore: 50 },
  };
}
