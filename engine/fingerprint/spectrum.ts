/**
 * Spectral features of the fine series, from dsp.rfftMag and the reference peak picker
 * (dominantFromMagnitude, dsp-wasm/reference/spectrum.ts): the Hann-windowed power spectrum
 * limited to periods ≤ maxPeriod, its local noise floor, the dominant period by subharmonic
 * summation over the floor-normalised spectrum, the periodicity (share of power in the harmonic
 * comb above the floor), the peak-to-floor ratio and the spectral flatness.
 */
import type { DspKernels } from '../../dsp-wasm/host/types.js';
import { dominantFromMagnitude } from '../../dsp-wasm/reference/spectrum.js';
import type { FeatureConfig } from '../../config/fingerprint-schema.js';

/** |X[k]|² for bins first..N/2 (0 below) and the median power within ± floorHalfWidth band bins. */
export interface BandSpectrum {
  power: Float64Array;
  floor: Float64Array;
  first: number;
}

export interface SpectralFeatures {
  /** Dominant period in buckets (refined), NaN when the band has no power. */
  period: number;
  /** Power above the floor in the harmonic comb over all band power, [0, 1]. */
  periodicity: number;
  /** Largest power / floor within ± peakHalfWidth bins of the dominant bin (≈ 1 for noise peaks of typical height). */
  peakRatio: number;
  /** Geometric / arithmetic mean of the band power, [0, 1]. */
  flatness: number;
}

/**
 * y × the periodic Hann window 0.5 (1 - cos(2π t / n)) (Harris 1978): the sidelobes of a strong
 * peak fall off (in amplitude) as 1/k³ instead of 1/k, so they do not lift the local floor around it.
 */
function hann(y: Float64Array): Float64Array {
  const n = y.length;
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) out[t] = y[t] * 0.5 * (1 - Math.cos((2 * Math.PI * t) / n));
  return out;
}

/** Power / floor of a typical noise bin (its square root is the same). */
const kNoiseRatio = 1;

export function bandSpectrum(y: Float64Array, cfg: FeatureConfig, dsp: DspKernels): BandSpectrum {
  const magnitude = dsp.rfftMag(hann(y));
  const bins = magnitude.length;
  const first = Math.min(bins, Math.max(1, Math.ceil(y.length / cfg.maxPeriod)));
  const power = new Float64Array(bins);
  for (let k = first; k < bins; k++) power[k] = magnitude[k] * magnitude[k];
  const floor = new Float64Array(bins);
  const scratch = new Float64Array(2 * cfg.floorHalfWidth + 1);
  for (let k = first; k < bins; k++) {
    const lo = Math.max(first, k - cfg.floorHalfWidth);
    const hi = Math.min(bins - 1, k + cfg.floorHalfWidth);
    const window = scratch.subarray(0, hi - lo + 1);
    window.set(power.subarray(lo, hi + 1));
    window.sort();
    const mid = window.length >> 1;
    floor[k] = window.length % 2 === 1 ? window[mid] : (window[mid - 1] + window[mid]) / 2;
  }
  return { power, floor, first };
}

/** Largest power / floor within ± halfWidth bins of k (0 outside the band or without a floor). */
function ratioNear(s: BandSpectrum, k: number, halfWidth: number): number {
  let best = 0;
  const hi = Math.min(s.power.length - 1, k + halfWidth);
  for (let j = Math.max(s.first, k - halfWidth); j <= hi; j++) if (s.floor[j] > 0) best = Math.max(best, s.power[j] / s.floor[j]);
  return best;
}

/**
 * Subharmonic summation (Hermes 1988, JASA 83:257): S[k] = Σ_h w^(h-1) √(ratio near h k),
 * h = 1..harmonics. A click train puts peaks at every multiple of its rate, so S peaks at the
 * fundamental; the decaying weight w keeps sub-harmonics from winning. Multiples past Nyquist count
 * as plain noise (ratio 1), so that a low candidate does not win just because more of its
 * multiples fit in the spectrum.
 */
function harmonicSum(s: BandSpectrum, cfg: FeatureConfig): Float64Array {
  const bins = s.power.length;
  const sum = new Float64Array(bins);
  for (let k = s.first; k < bins; k++) {
    let acc = 0;
    let w = 1;
    for (let h = 1; h <= cfg.harmonics; h++) {
      acc += w * (h * k < bins ? Math.sqrt(ratioNear(s, h * k, cfg.peakHalfWidth)) : kNoiseRatio);
      w *= cfg.harmonicWeight;
    }
    sum[k] = acc;
  }
  return sum;
}

/** Power above the floor in bins bin, 2 bin, … harmonics × bin (± halfWidth; each bin once) over all band power. */
function combShare(s: BandSpectrum, bin: number, cfg: FeatureConfig): number {
  let all = 0;
  let comb = 0;
  for (let k = s.first; k < s.power.length; k++) {
    all += s.power[k];
    const tooth = Math.round(k / bin);
    if (tooth >= 1 && tooth <= cfg.harmonics && Math.abs(k - tooth * bin) <= cfg.peakHalfWidth) comb += Math.max(0, s.power[k] - s.floor[k]);
  }
  return all > 0 ? comb / all : 0;
}

/** Geometric over arithmetic mean of the band power, each bin floored at powerFloor × the mean (0 without power). */
function flatness(s: BandSpectrum, powerFloor: number): number {
  const bins = s.power.length - s.first;
  let sum = 0;
  for (let k = s.first; k < s.power.length; k++) sum += s.power[k];
  const mean = sum / bins;
  if (!(mean > 0)) return 0;
  const floor = powerFloor * mean;
  let logSum = 0;
  let floored = 0;
  for (let k = s.first; k < s.power.length; k++) {
    const p = Math.max(s.power[k], floor);
    logSum += Math.log(p);
    floored += p;
  }
  return Math.exp(logSum / bins) / (floored / bins);
}

/** Spectral features of a detrended series `y`. */
export function spectralFeatures(y: Float64Array, cfg: FeatureConfig, dsp: DspKernels): SpectralFeatures {
  const s = bandSpectrum(y, cfg, dsp);
  const dominant = dominantFromMagnitude(harmonicSum(s, cfg), y.length);
  if (dominant.bin === null || dominant.refinedPeriod === null) return { period: NaN, periodicity: 0, peakRatio: 0, flatness: flatness(s, cfg.powerFloor) };
  return {
    period: dominant.refinedPeriod,
    periodicity: combShare(s, dominant.bin, cfg),
    peakRatio: ratioNear(s, dominant.bin, cfg.peakHalfWidth),
    flatness: flatness(s, cfg.powerFloor),
  };
}
