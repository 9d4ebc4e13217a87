/**
 * Signature vectors: the raw measurements normalised into fixed coordinates in [0, 1] (slots in
 * types.ts), and the weighted distance between two signatures.
 */
import type { FeatureConfig, FeatureWeights } from '../../config/fingerprint-schema.js';
import {
  kCoarseRegularity,
  kComplexity,
  kFeatureNames,
  kFlatness,
  kPeriod,
  kPeriodConfidence,
  kPeriodicity,
  kRegularity,
  kSignatureLength,
  kTimingEntropy,
  type RawFeatures,
} from './types.js';

/** Higuchi dimensions of a smooth line and of white noise: the complexity coordinate spans them. */
const kLineDimension = 1;
const kNoiseDimension = 2;
/** Allan factor of Poisson arrivals: the neutral value when a series has no events to measure. */
const kPoissonAllan = 1;

function clamp01(v: number): number {
  return v <= 0 ? 0 : v >= 1 ? 1 : v;
}

/** a / (a + half) ∈ [0, 1); NaN reads as Poisson. */
function squashAllan(a: number, half: number): number {
  const v = Number.isFinite(a) ? a : kPoissonAllan;
  return v / (v + half);
}

/**
 * How much the dominant period is to be believed: 0 at peak-to-floor ratio gateLow, 1 at
 * gateHigh, linear in the log of the ratio between.
 */
export function periodGate(peakRatio: number, cfg: FeatureConfig): number {
  if (!(peakRatio > 0)) return 0;
  return clamp01(Math.log(peakRatio / cfg.gateLow) / Math.log(cfg.gateHigh / cfg.gateLow));
}

export function toSignature(f: RawFeatures, cfg: FeatureConfig): Float64Array {
  const s = new Float64Array(kSignatureLength);
  s[kPeriodicity] = clamp01(f.periodicity);
  s[kPeriodConfidence] = periodGate(f.peakRatio, cfg);
  s[kPeriod] = Number.isFinite(f.period) && f.period > 1 ? clamp01(Math.log(f.period) / Math.log(cfg.maxPeriod)) : 0;
  s[kTimingEntropy] = clamp01(Number.isFinite(f.timingEntropy) ? f.timingEntropy : 0);
  // NaN: some curve length is 0, i.e. a flat series — the dimension of a line.
  const hfd = Number.isFinite(f.hfd) ? f.hfd : kLineDimension;
  s[kComplexity] = clamp01((hfd - kLineDimension) / (kNoiseDimension - kLineDimension));
  s[kFlatness] = clamp01(f.flatness);
  s[kRegularity] = squashAllan(f.allan, cfg.allanHalf);
  s[kCoarseRegularity] = squashAllan(f.coarseAllan, cfg.coarseAllanHalf);
  return s;
}

/** The weights in signature order. */
export function weightVector(w: FeatureWeights): Float64Array {
  return Float64Array.from(kFeatureNames, (name) => w[name]);
}

/**
 * Weighted RMS difference sqrt(Σ wᵢ (aᵢ - bᵢ)² / Σ wᵢ) ∈ [0, 1], where the period's weight is
 * scaled by min(periodConfidence of a, of b): two periods are compared only as far as both are
 * believed (an aperiodic series has a dominant period too, but it is noise).
 */
export function signatureDistance(a: Float64Array, b: Float64Array, weights: Float64Array): number {
  let num = 0;
  let den = 0;
  const belief = Math.min(a[kPeriodConfidence], b[kPeriodConfidence]);
  for (let i = 0; i < kSignatureLength; i++) {
    const d = a[i] - b[i];
    num += (i === kPeriod ? belief : 1) * weights[i] * d * d;
    den += weights[i];
  }
  return Math.sqrt(num / den);
}
