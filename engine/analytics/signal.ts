/**
 * Signal preparation shared by the anomaly components: input sanitising, the FIR baseline design
 * and its derived constants, zero-phase smoothing with symmetric edge extension, and the sliding
 * windows over the history.
 */
import type { DspKernels } from '../../dsp-wasm/host/types.js';
import type { AnomalyConfig } from '../../config/analytics-schema.js';

/** A copy of the series as Float64Array with every non-finite value replaced by 0 (an empty bucket). */
export function sanitize(series: ArrayLike<number>): Float64Array {
  const x = new Float64Array(series.length);
  for (let i = 0; i < series.length; i++) {
    const v = series[i];
    x[i] = Number.isFinite(v) ? v : 0;
  }
  return x;
}

/** The baseline low-pass and the constants the statistics derive from it. */
export interface BaselineFilter {
  taps: Float64Array;
  /** (numtaps - 1) / 2: group delay of the causal filter and half-width of the centred one. */
  half: number;
  /** Σ w²: variance of the filtered white noise relative to the noise variance. */
  sumSquares: number;
  /**
   * Var(x - smooth(x)) / σ² for white noise = 1 - 2 w_centre + Σ w²: the robust σ of the residuals
   * is divided by its square root so that it estimates the noise σ itself.
   */
  residualVarianceFactor: number;
}

export function designBaseline(cfg: AnomalyConfig['baseline'], dsp: DspKernels): BaselineFilter {
  const taps = dsp.firwinLowpass(cfg.numtaps, cfg.cutoff);
  const half = (cfg.numtaps - 1) / 2;
  let sumSquares = 0;
  for (const w of taps) sumSquares += w * w;
  return { taps, half, sumSquares, residualVarianceFactor: Math.max(sumSquares, 1 - 2 * taps[half] + sumSquares) };
}

/** Index of the symmetric (half-sample) extension of a length-n signal at position i. */
function symmetricIndex(i: number, n: number): number {
  const period = 2 * n;
  let j = i % period;
  if (j < 0) j += period;
  return j < n ? j : period - 1 - j;
}

/**
 * Zero-phase smoothing: the signal is extended by `half` samples at both ends by symmetric
 * reflection, filtered with dsp.firSame, and cut back to its length. Unlike plain firSame (which
 * pads with zeros) the ends are not pulled towards 0.
 */
export function smoothSymmetric(x: Float64Array, filter: BaselineFilter, dsp: DspKernels): Float64Array {
  const n = x.length;
  if (n === 0) return new Float64Array(0);
  const h = filter.half;
  const padded = new Float64Array(n + 2 * h);
  for (let i = 0; i < padded.length; i++) padded[i] = x[symmetricIndex(i - h, n)];
  return dsp.firSame(padded, filter.taps).slice(h, h + n);
}

/** x - smooth(x). */
export function residual(x: Float64Array, smooth: Float64Array): Float64Array {
  const r = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) r[i] = x[i] - smooth[i];
  return r;
}

/** Root mean square of a window. */
export function rms(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return x.length > 0 ? Math.sqrt(s / x.length) : 0;
}

/**
 * Start indices of the history windows of length `length` that end at `historyEnd - j × stride`
 * (j = 0, 1, ...) and lie entirely in [0, historyEnd). Most recent first.
 */
export function historyWindowStarts(historyEnd: number, length: number, stride: number): number[] {
  const starts: number[] = [];
  for (let start = historyEnd - length; start >= 0; start -= stride) starts.push(start);
  return starts;
}
