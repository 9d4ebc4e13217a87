/**
 * Shapes of the behaviour fingerprints (DESIGN §6): per-seller signals in, signature vectors and
 * verdicts out. The signature is a fixed-length Float64Array; its coordinates are named once here.
 */

/** The aggregated signals of one seller (counts per bucket, oldest first); no raw events. */
export interface SellerSignals {
  sellerId: string;
  /** Fine ring, e.g. CLICK counts per 1 s bucket (1024 buckets): timing. */
  fine: ArrayLike<number>;
  /** Coarse ring, e.g. CLICK counts per 1 min bucket (1440 buckets): the daily shape. */
  coarse: ArrayLike<number>;
}

/**
 * Signature coordinates, each in [0, 1]; the order of the Float64Array. The period is compared
 * only as far as both signatures believe theirs (periodConfidence, see signatureDistance).
 */
export const kFeatureNames = [
  'periodicity',
  'periodConfidence',
  'period',
  'timingEntropy',
  'complexity',
  'flatness',
  'regularity',
  'coarseRegularity',
] as const;
export type FeatureName = (typeof kFeatureNames)[number];
export const kSignatureLength = kFeatureNames.length;
export const kPeriodicity = 0;
export const kPeriodConfidence = 1;
export const kPeriod = 2;
export const kTimingEntropy = 3;
export const kComplexity = 4;
export const kFlatness = 5;
export const kRegularity = 6;
export const kCoarseRegularity = 7;

/** The measurements behind a signature, in their natural units. */
export interface RawFeatures {
  /** Events in the fine series. */
  events: number;
  /** Share of the spectral power (periods ≤ maxPeriod, detrended fine series) in the dominant peak, [0, 1]. */
  periodicity: number;
  /** Peak-to-floor power ratio at the dominant period: how far it stands out of the local noise. */
  peakRatio: number;
  /** Dominant period in fine buckets (parabolically refined), at most features.maxPeriod; NaN when the series has none. */
  period: number;
  /** Normalised Shannon entropy of the events folded on the dominant period, [0, 1]. */
  timingEntropy: number;
  /** Higuchi fractal dimension of the fine series (1 = smooth line, 2 = white noise). */
  hfd: number;
  /** Spectral flatness (geometric / arithmetic mean power), [0, 1]: 0 = pure tones, ≈ 0.56 white noise. */
  flatness: number;
  /** Allan factor of fine block counts (1 = Poisson, < 1 regular, > 1 bursty). */
  allan: number;
  /** Allan factor of the coarse block counts. */
  coarseAllan: number;
}

export type Classification = 'normal' | 'bot_cluster' | 'repeated_manipulation' | 'sudden_strategy_change';

/** One seller's fingerprint: the whole window and, when both have enough events, its two halves. */
export interface Fingerprint {
  sellerId: string;
  sufficient: boolean;
  features: RawFeatures;
  signature: Float64Array;
  halves: HalfComparison | null;
}

export interface HalfComparison {
  first: RawFeatures;
  second: RawFeatures;
  firstSignature: Float64Array;
  secondSignature: Float64Array;
  /** Weighted signature distance between the halves. */
  distance: number;
}

/** A plain-language finding and the number behind it. */
export interface Reason {
  message: string;
  /** What was measured (a feature name, "halfDistance", "clusterSize", "events", …). */
  measure: string;
  value: number;
  /** The configured threshold it was compared with, if any. */
  threshold: number | null;
}

export interface ClusterMembership {
  /** 0-based, in order of each cluster's smallest seller ID. */
  id: number;
  size: number;
  /** Signature distance to the nearest other member. */
  nearestDistance: number;
}

export interface SellerVerdict {
  sellerId: string;
  classification: Classification;
  reasons: Reason[];
  sufficient: boolean;
  /** Suspicious on its own: strong periodicity or low complexity. */
  suspicious: boolean;
  features: RawFeatures;
  signature: Float64Array;
  /** First- vs second-half signature distance; NaN when a half lacks events. */
  halfDistance: number;
  cluster: ClusterMembership | null;
}
