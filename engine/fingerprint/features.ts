/**
 * The measurements behind a signature, from bucket counts only: spectral features (spectrum.ts),
 * timing entropy, complexity and regularity. The statistics come from the DSP kernels
 * (dsp.trendSlope, dsp.rfftMag, dsp.hfd, dsp.timingEntropy); these files prepare their input and
 * read their output.
 */
import type { DspKernels } from '../../dsp-wasm/host/types.js';
import type { FeatureConfig } from '../../config/fingerprint-schema.js';
import { spectralFeatures } from './spectrum.js';
import type { RawFeatures } from './types.js';

/** A copy as Float64Array, non-finite or negative buckets read as empty. */
export function toCounts(series: ArrayLike<number>): Float64Array {
  const x = new Float64Array(series.length);
  for (let i = 0; i < series.length; i++) {
    const v = series[i];
    x[i] = Number.isFinite(v) && v > 0 ? v : 0;
  }
  return x;
}

export function total(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v;
  return s;
}

/** x minus its least-squares line (dsp.trendSlope). */
export function detrend(x: Float64Array, dsp: DspKernels): Float64Array {
  const n = x.length;
  const slope = n >= 2 ? dsp.trendSlope(x) : 0;
  const mean = n > 0 ? total(x) / n : 0;
  const centre = (n - 1) / 2;
  const y = new Float64Array(n);
  for (let t = 0; t < n; t++) y[t] = x[t] - mean - slope * (t - centre);
  return y;
}

/**
 * Timing entropy (dsp.timingEntropy) of the events folded on `period` into round(period) phase
 * bins, capped by maxPhaseBins and by one bin per eventsPerPhaseBin events, at least 2. Without a
 * period the window is cut into that many slices instead.
 */
function foldedEntropy(x: Float64Array, period: number, events: number, cfg: FeatureConfig, dsp: DspKernels): number {
  const cycle = Number.isFinite(period) && period > 0 ? period : x.length;
  const cap = Math.min(cfg.maxPhaseBins, Math.floor(events / cfg.eventsPerPhaseBin));
  const bins = Math.max(2, Math.min(cap, Math.round(cycle)));
  const hist = new Float64Array(bins);
  for (let t = 0; t < x.length; t++) {
    if (x[t] === 0) continue;
    const phase = t / cycle - Math.floor(t / cycle);
    hist[Math.min(bins - 1, Math.floor(phase * bins))] += x[t];
  }
  return dsp.timingEntropy(hist);
}

/**
 * Allan factor of the counts in consecutive blocks of `window` buckets (Allan 1966; Lowen & Teich,
 * "Fractal-Based Point Processes", 2005): Σ (N[i+1] - N[i])² / (2 (m - 1) mean N). Poisson = 1
 * at every block length, and slow rate drift cancels in the differences. NaN with fewer than two
 * blocks or no events.
 */
export function allanFactor(x: Float64Array, window: number): number {
  const blocks = Math.floor(x.length / window);
  if (blocks < 2) return NaN;
  let sum = 0;
  let squares = 0;
  let previous = 0;
  for (let b = 0; b < blocks; b++) {
    let s = 0;
    for (let i = b * window; i < (b + 1) * window; i++) s += x[i];
    if (b > 0) squares += (s - previous) ** 2;
    previous = s;
    sum += s;
  }
  const mean = sum / blocks;
  return mean > 0 ? squares / (2 * (blocks - 1) * mean) : NaN;
}

/** Measures one window: `fine` and `coarse` are counts per bucket (see SellerSignals). */
export function extractFeatures(fine: Float64Array, coarse: Float64Array, cfg: FeatureConfig, dsp: DspKernels): RawFeatures {
  const events = total(fine);
  const spectral = spectralFeatures(detrend(fine, dsp), cfg, dsp);
  const { period } = spectral;
  const believed = spectral.peakRatio >= cfg.gateLow && Number.isFinite(period);
  const aligned = believed ? Math.round(period * Math.ceil(cfg.regularityWindow / period)) : Infinity;
  const block = aligned * cfg.minBlocks <= fine.length ? aligned : cfg.regularityWindow;
  return {
    events,
    periodicity: spectral.periodicity,
    period,
    peakRatio: spectral.peakRatio,
    timingEntropy: foldedEntropy(fine, period, events, cfg, dsp),
    hfd: dsp.hfd(fine, cfg.kmax),
    flatness: spectral.flatness,
    allan: allanFactor(fine, block),
    coarseAllan: allanFactor(coarse, cfg.coarseWindow),
  };
}
