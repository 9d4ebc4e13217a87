/**
 * `sellerpulse/dsp`: the DSP kernels backed by WebAssembly
 * (dsp-wasm/build/release.wasm, or debug.wasm via `loadDsp({ debug: true })`).
 *
 * The module-level functions use one shared release instance, created on
 * first use. Each `loadDsp()` call creates an independent instance with its own
 * linear memory (use one per worker thread). Calls are synchronous and not
 * re-entrant within one instance.
 */
import type { DspKernels } from './types.js';
import { WasmDsp } from './wasm-dsp.js';
import { type DspLoadOptions, instantiateDsp } from './wasm-module.js';

export type { DominantPeriod, DspKernels } from './types.js';
export { MAX_FFT_LENGTH, noDominantPeriod } from './types.js';
export type { DspLoadOptions, DspWasmExports } from './wasm-module.js';
export { instantiateDsp, wasmPath } from './wasm-module.js';
export { WasmDsp } from './wasm-dsp.js';
export { referenceDsp } from '../reference/index.js';

/** A new WASM-backed kernel instance (synchronous compile + instantiate). */
export function loadDsp(options: DspLoadOptions = {}): DspKernels {
  return new WasmDsp(instantiateDsp(options));
}

let shared: DspKernels | undefined;

/** The shared release instance behind the module-level functions. */
export function defaultDsp(): DspKernels {
  shared ??= loadDsp();
  return shared;
}

export const firCausal: DspKernels['firCausal'] = (x, taps) => defaultDsp().firCausal(x, taps);
export const firSame: DspKernels['firSame'] = (x, taps) => defaultDsp().firSame(x, taps);
export const firwinLowpass: DspKernels['firwinLowpass'] = (numtaps, cutoff) => defaultDsp().firwinLowpass(numtaps, cutoff);
export const rfftMag: DspKernels['rfftMag'] = (x) => defaultDsp().rfftMag(x);
export const rfftMagPadPow2: DspKernels['rfftMagPadPow2'] = (x) => defaultDsp().rfftMagPadPow2(x);
export const dominantPeriod: DspKernels['dominantPeriod'] = (x) => defaultDsp().dominantPeriod(x);
export const dominantPeriodPadPow2: DspKernels['dominantPeriodPadPow2'] = (x) => defaultDsp().dominantPeriodPadPow2(x);
export const hfd: DspKernels['hfd'] = (x, kmax) => defaultDsp().hfd(x, kmax);
export const trendSlope: DspKernels['trendSlope'] = (x) => defaultDsp().trendSlope(x);
export const timingEntropy: DspKernels['timingEntropy'] = (hist) => defaultDsp().timingEntropy(hist);
