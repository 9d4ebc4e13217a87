/**
 * Public contract of the SellerPulse DSP kernels. The WASM-backed module
 * (`sellerpulse/dsp`) and the plain TypeScript reference
 * (`dsp-wasm/reference`) both implement {@link DspKernels} with identical
 * float64 semantics; the definitions follow `test/fixtures/dsp_public.json`.
 */

/**
 * Dominant spectral peak. Every field is `null` when there is no answer:
 * fewer than 2 samples, constant input, or non-finite input.
 */
export interface DominantPeriod {
  /** First argmax of |X[k]| over k = 1..Nt//2 (Nt = transform length). */
  bin: number | null;
  /** Nt / bin, in samples. */
  period: number | null;
  /** bin / Nt, in cycles per sample. */
  freq: number | null;
  /** (top1 - top2) / top1 over k = 1..Nt//2 (top2 = 0 when there is one bin). */
  margin: number | null;
  /** Parabolic interpolation of the peak, clamped to bin +- 0.5. */
  refinedBin: number | null;
  /** Nt / refinedBin. */
  refinedPeriod: number | null;
}

export interface DspKernels {
  /** y[n] = sum_j taps[j] * x[n - j], x[<0] = 0; length N (scipy lfilter(taps, [1], x)). */
  firCausal(x: Float64Array, taps: Float64Array): Float64Array;
  /** Full convolution shifted by (M - 1) // 2; length N always. */
  firSame(x: Float64Array, taps: Float64Array): Float64Array;
  /** scipy.signal.firwin(numtaps, cutoff): Hamming window, cutoff as a fraction of Nyquist, taps sum to 1. */
  firwinLowpass(numtaps: number, cutoff: number): Float64Array;
  /** |X[k]| for k = 0..N//2, exact N-point DFT for any N >= 1, unnormalised. */
  rfftMag(x: Float64Array): Float64Array;
  /** Same as rfftMag after zero-padding to the next power of two >= N. */
  rfftMagPadPow2(x: Float64Array): Float64Array;
  /** Dominant peak of rfftMag(x). */
  dominantPeriod(x: Float64Array): DominantPeriod;
  /** Dominant peak of rfftMagPadPow2(x) (periods are in units of the padded length). */
  dominantPeriodPadPow2(x: Float64Array): DominantPeriod;
  /** Higuchi fractal dimension; NaN when undefined (kmax < 2, N < 2 kmax, some L(k) = 0, non-finite input). */
  hfd(x: Float64Array, kmax: number): number;
  /** Least-squares slope of x against the sample index (units per sample); NaN for N < 2. */
  trendSlope(x: Float64Array): number;
  /** Shannon entropy (bits) of a non-negative histogram divided by log2(bins); 0 when empty, NaN if invalid. */
  timingEntropy(hist: Float64Array): number;
}

/**
 * Largest transform length accepted by the FFT kernels: 2^24 keeps chirp
 * indices n^2 exact in float64 and the WASM working set (Bluestein scratch +
 * plan) well inside the 4 GiB wasm32 address space.
 */
export const MAX_FFT_LENGTH = 1 << 24;

/** A {@link DominantPeriod} with every field null. */
export function noDominantPeriod(): DominantPeriod {
  return { bin: null, period: null, freq: null, margin: null, refinedBin: null, refinedPeriod: null };
}
