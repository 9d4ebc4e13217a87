/**
 * {@link DspKernels} backed by one instance of the DSP WebAssembly module.
 * Each call: reset scratch, alloc + copy inputs, run the kernel, copy the
 * result out. The Float64Array view of linear memory is rebuilt only when
 * memory.buffer changes (after a memory.grow).
 */
import type { DominantPeriod, DspKernels } from './types.js';
import { noDominantPeriod } from './types.js';
import type { DspWasmExports } from './wasm-module.js';

const F64_BYTES = Float64Array.BYTES_PER_ELEMENT;
/** i32 range of the kernels' integer parameters. */
const I32_MAX = 0x7fffffff;
const I32_MIN = -0x80000000;

type SpectrumKernel = 'rfftMag' | 'rfftMagPadPow2';
type DominantKernel = 'dominantPeriod' | 'dominantPeriodPadPow2';
type ScalarKernel = 'trendSlope' | 'timingEntropy';

export class WasmDsp implements DspKernels {
  private view: Float64Array;
  private readonly status: { ok: number; undefined: number; length: number; argument: number; noMemory: number };
  private readonly dominantFields: number;

  constructor(private readonly wasm: DspWasmExports) {
    this.view = new Float64Array(wasm.memory.buffer);
    this.status = {
      ok: wasm.OK.value as number,
      undefined: wasm.UNDEFINED.value as number,
      length: wasm.ERR_LENGTH.value as number,
      argument: wasm.ERR_ARGUMENT.value as number,
      noMemory: wasm.ERR_NO_MEMORY.value as number,
    };
    this.dominantFields = wasm.DOMINANT_FIELDS.value as number;
  }

  /** Current view of linear memory (rebuilt only after memory.buffer changed). */
  private memory(): Float64Array {
    if (this.view.buffer !== this.wasm.memory.buffer) this.view = new Float64Array(this.wasm.memory.buffer);
    return this.view;
  }

  private alloc(count: number): number {
    const ptr = this.wasm.alloc(count * F64_BYTES);
    if (ptr === 0) throw new Error(`DSP WASM: cannot allocate ${count} float64`);
    return ptr;
  }

  private put(data: Float64Array): number {
    const ptr = this.alloc(data.length);
    this.memory().set(data, ptr / F64_BYTES);
    return ptr;
  }

  private take(ptr: number, count: number): Float64Array {
    const start = ptr / F64_BYTES;
    return this.memory().slice(start, start + count);
  }

  /** Throws for negative statuses; true when the result is defined. */
  private check(status: number, kernel: string): boolean {
    const s = this.status;
    if (status === s.ok) return true;
    if (status === s.undefined) return false;
    if (status === s.length || status === s.argument) throw new RangeError(`${kernel}: invalid ${status === s.length ? 'length' : 'argument'}`);
    if (status === s.noMemory) throw new Error(`${kernel}: DSP WASM out of memory`);
    throw new Error(`${kernel}: DSP WASM status ${status}`);
  }

  private fir(kernel: 'firCausal' | 'firSame', x: Float64Array, taps: Float64Array): Float64Array {
    if (taps.length < 1) throw new RangeError('FIR needs at least one tap');
    this.wasm.reset();
    const xp = this.put(x);
    const tp = this.put(taps);
    const out = this.alloc(x.length);
    this.check(this.wasm[kernel](xp, x.length, tp, taps.length, out), kernel);
    return this.take(out, x.length);
  }

  firCausal(x: Float64Array, taps: Float64Array): Float64Array {
    return this.fir('firCausal', x, taps);
  }

  firSame(x: Float64Array, taps: Float64Array): Float64Array {
    return this.fir('firSame', x, taps);
  }

  firwinLowpass(numtaps: number, cutoff: number): Float64Array {
    if (!Number.isInteger(numtaps) || numtaps < 1 || numtaps > I32_MAX) {
      throw new RangeError(`numtaps must be a positive integer, got ${numtaps}`);
    }
    if (!(cutoff > 0 && cutoff < 1)) throw new RangeError(`cutoff must lie in (0, 1), got ${cutoff}`);
    this.wasm.reset();
    const out = this.alloc(numtaps);
    this.check(this.wasm.firwinLowpass(out, numtaps, cutoff), 'firwinLowpass');
    return this.take(out, numtaps);
  }

  private spectrum(kernel: SpectrumKernel, x: Float64Array, transformLength: number): Float64Array {
    if (x.length < 1) throw new RangeError('spectrum needs at least one sample');
    const bins = Math.floor(transformLength / 2) + 1;
    this.wasm.reset();
    const xp = this.put(x);
    const out = this.alloc(bins);
    this.check(this.wasm[kernel](xp, x.length, out), kernel);
    return this.take(out, bins);
  }

  rfftMag(x: Float64Array): Float64Array {
    return this.spectrum('rfftMag', x, x.length);
  }

  rfftMagPadPow2(x: Float64Array): Float64Array {
    return this.spectrum('rfftMagPadPow2', x, x.length <= 1 ? 1 : 2 ** Math.ceil(Math.log2(x.length)));
  }

  private dominant(kernel: DominantKernel, x: Float64Array): DominantPeriod {
    this.wasm.reset();
    const xp = this.put(x);
    const out = this.alloc(this.dominantFields);
    if (!this.check(this.wasm[kernel](xp, x.length, out), kernel)) return noDominantPeriod();
    const [bin, period, freq, margin, refinedBin, refinedPeriod] = this.take(out, this.dominantFields);
    return { bin, period, freq, margin, refinedBin, refinedPeriod };
  }

  dominantPeriod(x: Float64Array): DominantPeriod {
    return this.dominant('dominantPeriod', x);
  }

  dominantPeriodPadPow2(x: Float64Array): DominantPeriod {
    return this.dominant('dominantPeriodPadPow2', x);
  }

  hfd(x: Float64Array, kmax: number): number {
    if (!Number.isInteger(kmax)) throw new RangeError(`kmax must be an integer, got ${kmax}`);
    this.wasm.reset();
    const xp = this.put(x);
    const out = this.alloc(1);
    const k = Math.min(I32_MAX, Math.max(I32_MIN, kmax));
    return this.check(this.wasm.hfd(xp, x.length, k, out), 'hfd') ? this.memory()[out / F64_BYTES] : NaN;
  }

  private scalar(kernel: ScalarKernel, x: Float64Array): number {
    this.wasm.reset();
    const xp = this.put(x);
    const out = this.alloc(1);
    return this.check(this.wasm[kernel](xp, x.length, out), kernel) ? this.memory()[out / F64_BYTES] : NaN;
  }

  trendSlope(x: Float64Array): number {
    return this.scalar('trendSlope', x);
  }

  timingEntropy(hist: Float64Array): number {
    return this.scalar('timingEntropy', hist);
  }
}
