/**
 * WASM host specifics: build selection, raw status codes, memory growth and
 * view rebuilding, no scratch leaks, plan-cache switching between lengths.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tol } from './support/fixture.js';
import { host, reference } from './support/implementations.js';
import { gaussian, l2, naiveMagnitude } from './support/signals.js';
import { expectClose, rfftBound } from './support/tolerance.js';

/** Minimal view of the WebAssembly JS API (the project's lib has no WebAssembly types). */
interface WasmIntrospection {
  Module: { new (bytes: Uint8Array): object; imports(module: object): { module: string; name: string }[] };
}
const wasmJs = (globalThis as unknown as { WebAssembly: WasmIntrospection }).WebAssembly;

const F64 = Float64Array.BYTES_PER_ELEMENT;

function importsOf(debug: boolean): string[] {
  const module = new wasmJs.Module(readFileSync(host.wasmPath(debug)));
  return wasmJs.Module.imports(module).map((i) => `${i.module}.${i.name}`);
}

describe('WASM host', () => {
  it('loads distinct release and debug builds (debug keeps assertions -> imports env.abort)', () => {
    expect(host.wasmPath(false)).toMatch(/dsp-wasm[\\/]build[\\/]release\.wasm$/);
    expect(host.wasmPath(true)).toMatch(/dsp-wasm[\\/]build[\\/]debug\.wasm$/);
    expect(importsOf(false)).toEqual([]);
    expect(importsOf(true)).toEqual(['env.abort']);
    const viaUrl = host.loadDsp({ wasmFile: pathToFileURL(host.wasmPath(true)) });
    expect(Array.from(viaUrl.firCausal(Float64Array.of(1, 2, 3), Float64Array.of(1, 1)))).toEqual([1, 3, 5]);
  });

  it('exposes status codes and checks buffers once per call', () => {
    const w = host.instantiateDsp();
    const status = (g: { value: unknown }): number => g.value as number;
    const codes = [w.OK, w.UNDEFINED, w.ERR_LENGTH, w.ERR_ARGUMENT, w.ERR_NO_MEMORY, w.ERR_POINTER].map(status);
    expect(codes.slice(0, 2)).toEqual([0, 1]);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.slice(2).every((c) => c < 0)).toBe(true);
    w.reset();
    const x = w.alloc(16 * F64);
    const out = w.alloc(16 * F64);
    expect(x % 16).toBe(0);
    new Float64Array(w.memory.buffer, x, 16).set(gaussian(16, 1));
    expect(w.rfftMag(x, 16, out)).toBe(status(w.OK));
    expect(w.rfftMag(x + 4, 8, out)).toBe(status(w.ERR_POINTER));
    expect(w.rfftMag(x, 1000, out)).toBe(status(w.ERR_POINTER));
    expect(w.rfftMag(8, 4, out)).toBe(status(w.ERR_POINTER));
    expect(w.rfftMag(x, 0, out)).toBe(status(w.ERR_LENGTH));
    expect(w.rfftMag(x, -1, out)).toBe(status(w.ERR_LENGTH));
    expect(w.firwinLowpass(out, 5, 1.5)).toBe(status(w.ERR_ARGUMENT));
    expect(w.firwinLowpass(out, 0, 0.5)).toBe(status(w.ERR_LENGTH));
    expect(w.firCausal(x, 16, x, 0, out)).toBe(status(w.ERR_LENGTH));
    expect(w.hfd(x, 16, 1, out)).toBe(status(w.UNDEFINED));
    expect(new Float64Array(w.memory.buffer, out, 1)[0]).toBeNaN();
    expect(w.alloc(2 ** 31)).toBe(0);
  });

  it('rebuilds its memory view after growth and stays correct', () => {
    const w = host.instantiateDsp();
    const dsp = new host.WasmDsp(w);
    const small = gaussian(100, 2);
    const before = dsp.rfftMag(small);
    const initial = w.memory.buffer;
    const n = 100_003; // odd and prime: Bluestein with a 2^18 FFT, megabytes of scratch
    const big = gaussian(n, 3);
    const mag = dsp.rfftMag(big);
    expect(w.memory.buffer).not.toBe(initial);
    const bound = rfftBound(tol.rfft_tau, l2(big));
    for (const k of [0, 1, 777, 31_337, (n - 1) / 2]) {
      const want = naiveMagnitude(big, n, k);
      expect(Math.abs(mag[k] - want), `bin ${k}`).toBeLessThanOrEqual(bound(k, want));
    }
    expect(dsp.rfftMag(small)).toEqual(before);
  });

  it('does not leak scratch: memory stays constant across repeated calls', () => {
    const w = host.instantiateDsp();
    const dsp = new host.WasmDsp(w);
    const x = gaussian(3000, 4);
    const taps = dsp.firwinLowpass(31, 0.1);
    const round = (): void => {
      dsp.rfftMag(x);
      dsp.rfftMagPadPow2(x);
      dsp.dominantPeriod(x);
      dsp.hfd(x, 10);
      dsp.firSame(x, taps);
      dsp.trendSlope(x);
      dsp.timingEntropy(x.map(Math.abs));
    };
    round();
    const size = w.memory.buffer.byteLength;
    for (let i = 0; i < 100; i++) round();
    expect(w.memory.buffer.byteLength).toBe(size);
  });

  it('switches FFT plans between lengths without stale twiddles or chirps', () => {
    const dsp = host.loadDsp();
    const lengths = [1440, 730, 997, 4096, 1440, 16384, 730, 6, 1440, 31, 8192, 997];
    for (const n of lengths) {
      const x = gaussian(n, n);
      const bound = rfftBound(tol.rfft_tau, l2(x));
      expectClose(dsp.rfftMag(x), reference.rfftMag(x), bound, `N=${n}`);
      expectClose(dsp.rfftMagPadPow2(x), reference.rfftMagPadPow2(x), bound, `N=${n} padded`);
    }
  });

  it('gives each loaded instance its own memory', () => {
    const a = host.instantiateDsp();
    const b = host.instantiateDsp();
    expect(a.memory.buffer).not.toBe(b.memory.buffer);
    expect(host.defaultDsp()).toBe(host.defaultDsp());
    expect(host.rfftMag(Float64Array.of(1, 2, 3, 4))[0]).toBe(10);
  });
});
