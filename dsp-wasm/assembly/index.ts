/**
 * SellerPulse DSP kernels, AssemblyScript -> WebAssembly (stub runtime, no
 * managed objects, f64x2 SIMD). Loaded as a raw module by dsp-wasm/host.
 *
 * Calling convention
 * - Every kernel takes (ptr, len, ...) over float64 buffers in linear memory
 *   and returns an i32 status: OK = 0, UNDEFINED = 1 (the result is undefined
 *   for this input; NaN or "none" was written), negative = error
 *   (ERR_LENGTH -1, ERR_ARGUMENT -2, ERR_NO_MEMORY -3, ERR_POINTER -4).
 *   Scalar results go to a 1-element output buffer.
 * - Buffers must come from `alloc` (8-byte aligned, inside allocated scratch);
 *   each kernel checks its buffers once, then uses unchecked loads/stores.
 *
 * Memory (details in memory.ts)
 * - `alloc(bytes)` bump-allocates 16-byte aligned scratch (0 = out of
 *   memory); `reset()` frees all scratch. Typical host call: reset, alloc
 *   input and output, copy in, run kernel, copy out.
 * - Kernels borrow scratch above the host's buffers and release it before
 *   returning. FFT twiddles and the Bluestein plan for the last non-power-of-two
 *   length live in a plan cache at the top of memory that survives reset().
 * - Any call may grow memory: the host must re-create its typed-array views
 *   whenever memory.buffer changes.
 */
export { alloc, reset, OK, UNDEFINED, ERR_LENGTH, ERR_ARGUMENT, ERR_NO_MEMORY, ERR_POINTER } from './memory';
export { firCausal, firSame, firwinLowpass } from './fir';
export {
  rfftMag, rfftMagPadPow2, dominantPeriod, dominantPeriodPadPow2, MAX_FFT_LENGTH, DOMINANT_FIELDS,
} from './spectrum';
export { hfd } from './hfd';
export { trendSlope, timingEntropy } from './stats';
