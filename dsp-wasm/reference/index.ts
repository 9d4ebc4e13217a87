/**
 * Plain TypeScript reference implementation of the DSP kernels (float64,
 * straightforward code). Same API as the WASM-backed `sellerpulse/dsp`;
 * used as a cross-check in tests and as the baseline in benchmarks.
 */
import type { DspKernels } from '../host/types.js';
import { firCausal, firSame, firwinLowpass } from './fir.js';
import { hfd } from './hfd.js';
import { dominantPeriod, dominantPeriodPadPow2, rfftMag, rfftMagPadPow2 } from './spectrum.js';
import { timingEntropy, trendSlope } from './stats.js';

export type { DominantPeriod, DspKernels } from '../host/types.js';
export { firCausal, firSame, firwinLowpass } from './fir.js';
export { curveLengths, hfd } from './hfd.js';
export { dominantPeriod, dominantPeriodPadPow2, rfftMag, rfftMagPadPow2 } from './spectrum.js';
export { timingEntropy, trendSlope } from './stats.js';

/** The reference kernels as one object, interchangeable with the WASM-backed instance. */
export const referenceDsp: DspKernels = {
  firCausal,
  firSame,
  firwinLowpass,
  rfftMag,
  rfftMagPadPow2,
  dominantPeriod,
  dominantPeriodPadPow2,
  hfd,
  trendSlope,
  timingEntropy,
};
