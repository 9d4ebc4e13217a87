/** Result types of the anomaly scorer (anomaly.ts). Every number is finite; undefined values are null. */
import type { DataSufficiency, SufficiencyStatus } from './sufficiency.js';

export type AnomalyComponentName = 'deviation' | 'periodic' | 'complexity' | 'trend';

/** Fixed component order: JSON key order, attribution tie-breaking. */
export const kAnomalyComponents: readonly AnomalyComponentName[] = ['deviation', 'periodic', 'complexity', 'trend'];

export type Direction = 'up' | 'down' | 'none';

export interface ComponentScore<D> {
  /** False when the statistic is undefined for this input; then statistic = probability = evidence = 0. */
  available: boolean;
  /** The component's surprise (>= 0, in standard-normal z units; see anomaly.ts). */
  statistic: number;
  /** logistic((statistic - midpoint) / width). */
  probability: number;
  /** -ln(1 - probability), nats, capped at 700. */
  evidence: number;
  weight: number;
  details: D;
}

export interface DeviationDetails {
  /** Baseline level at the end of the history (causal FIR of the winsorised history). */
  level: number;
  /** Historical slope used to extrapolate the baseline into the recent window (units / bucket). */
  slope: number;
  /** Robust noise σ of the history (series units). */
  sigma: number;
  /** Largest |z| of a single recent point. */
  pointZ: number;
  /** Largest |z| of the mean of the last L recent points, L = minSuffix, 2 minSuffix, ..., recentWindow. */
  suffixZ: number;
  /** L at which suffixZ was reached. */
  suffixLength: number;
  direction: Direction;
}

export interface PeriodicDetails {
  /** ln(peak power / median power) of the recent detail spectrum; null when the window is flat. */
  recentLogRatio: number | null;
  /** Period (buckets) of the recent spectral peak. */
  peakPeriod: number | null;
  /** Median and robust spread of the same statistic over the history windows. */
  historyCentre: number | null;
  historySpread: number | null;
  historyWindows: number;
  /** (recent - centre) / spread; only positive values count as evidence. */
  z: number;
}

export interface ComplexityDetails {
  /** Higuchi fractal dimension of the recent detail window; null when undefined. */
  recentHfd: number | null;
  historyCentre: number | null;
  historySpread: number | null;
  historyWindows: number;
  /** (recent - centre) / spread; both signs count. */
  z: number;
}

export interface TrendDetails {
  recentSlope: number;
  historySlope: number;
  standardError: number;
  /** (recent - history) / standardError; both signs count. */
  z: number;
}

export interface AnomalyComponents {
  deviation: ComponentScore<DeviationDetails>;
  periodic: ComponentScore<PeriodicDetails>;
  complexity: ComponentScore<ComplexityDetails>;
  trend: ComponentScore<TrendDetails>;
}

export type Attribution = Record<AnomalyComponentName, number>;

export interface AnomalySplit {
  /** History = series[0, historyLength); recent = series[recentStart, recentStart + recentLength). */
  historyLength: number;
  recentStart: number;
  recentLength: number;
}

export interface AnomalyResult {
  status: SufficiencyStatus;
  dataSufficiency: DataSufficiency;
  /** logistic(prior + Σ weight × evidence) in [0, 1]; 0 when the data are insufficient. */
  score: number;
  threshold: number;
  /** score >= threshold (always false when insufficient). */
  isAnomaly: boolean;
  /** Direction of the level deviation ('none' when the deviation component has no evidence). */
  direction: Direction;
  /** Whole-percent share of weight × evidence per component; sums to exactly 100. */
  attribution: Attribution;
  components: AnomalyComponents;
  split: AnomalySplit;
  /** Seasonal period removed before scoring (anomaly-season.ts), or null. Levels are then adjusted levels. */
  seasonPeriod: number | null;
}
