/**
 * SellerPulse analytics math: pure, deterministic functions over one bucket series.
 *
 *   series ─┬─ scoreAnomaly ──── AnomalyResult   (anomaly.ts: deviation, FFT, HFD, trend)
 *           ├─ forecast ──────── ForecastResult  (forecast.ts: Holt-Winters / damped trend)
 *           ├─ computeHealth ─── HealthResult    (health.ts: the two above + volatility, coverage)
 *           └─ dataSufficiency ─ DataSufficiency (+ confidenceMessage)
 *
 * No I/O, no clock, no randomness: the same series, config and kernels give bit-identical results.
 */
export { scoreAnomaly } from './anomaly.js';
export type {
  AnomalyComponentName,
  AnomalyComponents,
  AnomalyResult,
  AnomalySplit,
  Attribution,
  ComplexityDetails,
  ComponentScore,
  DeviationDetails,
  Direction,
  PeriodicDetails,
  TrendDetails,
} from './anomaly-types.js';
export { kAnomalyComponents } from './anomaly-types.js';
export { attribute, largestRemainder } from './attribution.js';
export { forecast, forecastTimestamps } from './forecast.js';
export type { ForecastMethod, ForecastParams, ForecastResult } from './forecast.js';
export { computeHealth, healthFromParts, slidingAnomalies } from './health.js';
export type { HealthBreakdown, HealthComponent, HealthInputs, HealthResult } from './health.js';
export type { ConfidenceOptions, ConfidenceSubject, DataSufficiency, SufficiencyStatus } from './sufficiency.js';
export { bucketUnit, confidenceMessage, countNonEmpty, dataSufficiency, formatCount } from './sufficiency.js';
