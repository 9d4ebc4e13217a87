/**
 * Synchronous loading of the raw DSP WebAssembly module
 * (dsp-wasm/build/{release,debug}.wasm, built by `npm run build:wasm`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/*
 * Minimal structural types for the WebAssembly JS API: the project's lib
 * (ES2023 + @types/node 20) declares no WebAssembly namespace.
 */
export interface WasmMemory { readonly buffer: ArrayBuffer }
export interface WasmGlobal { readonly value: unknown }
interface WasmJsApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}
const wasmJs = (globalThis as unknown as { WebAssembly: WasmJsApi }).WebAssembly;

/** Raw exports of dsp-wasm/assembly/index.ts (pointers are byte offsets, statuses i32). */
export interface DspWasmExports {
  memory: WasmMemory;
  alloc(bytes: number): number;
  reset(): void;
  firCausal(x: number, n: number, taps: number, m: number, out: number): number;
  firSame(x: number, n: number, taps: number, m: number, out: number): number;
  firwinLowpass(out: number, numtaps: number, cutoff: number): number;
  rfftMag(x: number, n: number, out: number): number;
  rfftMagPadPow2(x: number, n: number, out: number): number;
  dominantPeriod(x: number, n: number, out: number): number;
  dominantPeriodPadPow2(x: number, n: number, out: number): number;
  hfd(x: number, n: number, kmax: number, out: number): number;
  trendSlope(x: number, n: number, out: number): number;
  timingEntropy(hist: number, n: number, out: number): number;
  OK: WasmGlobal;
  UNDEFINED: WasmGlobal;
  ERR_LENGTH: WasmGlobal;
  ERR_ARGUMENT: WasmGlobal;
  ERR_NO_MEMORY: WasmGlobal;
  ERR_POINTER: WasmGlobal;
  MAX_FFT_LENGTH: WasmGlobal;
  DOMINANT_FIELDS: WasmGlobal;
}

export interface DspLoadOptions {
  /** Load debug.wasm (assertions on, debug info) instead of release.wasm. */
  debug?: boolean;
  /** Explicit path or file URL of a .wasm build (overrides `debug`). */
  wasmFile?: string | URL;
}

/** Offset of an AssemblyScript string's byte length before its data (stub runtime object header). */
const AS_STRING_LENGTH_OFFSET = 4;

/**
 * Candidate build directories: the compiled host lives in dist/dsp-wasm/host/,
 * the sources in dsp-wasm/host/; both resolve to <repo>/dsp-wasm/build/.
 */
const BUILD_DIRS = ['../../../dsp-wasm/build/', '../build/'];

/** Absolute path of the release or debug build. */
export function wasmPath(debug = false): string {
  const file = debug ? 'debug.wasm' : 'release.wasm';
  const candidates = BUILD_DIRS.map((dir) => fileURLToPath(new URL(dir + file, import.meta.url)));
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(`DSP WASM build not found (tried ${candidates.join(', ')}); run \`npm run build:wasm\``);
  }
  return found;
}

/** Decodes an AssemblyScript (UTF-16LE) string from linear memory, for abort messages. */
function readAsString(memory: WasmMemory | undefined, ptr: number): string {
  if (!memory || ptr === 0) return '';
  const bytes = new Uint8Array(memory.buffer);
  const length = new DataView(memory.buffer).getUint32(ptr - AS_STRING_LENGTH_OFFSET, true);
  return Buffer.from(bytes.subarray(ptr, ptr + length)).toString('utf16le');
}

/** Compiles and instantiates a DSP build synchronously. */
export function instantiateDsp(options: DspLoadOptions = {}): DspWasmExports {
  const file = options.wasmFile ?? wasmPath(options.debug ?? false);
  const module = new wasmJs.Module(readFileSync(file));
  // Filled in after instantiation; abort can only run once the module executes.
  const bound: { memory?: WasmMemory } = {};
  const imports = {
    env: {
      abort(message: number, fileName: number, line: number, column: number): never {
        const text = readAsString(bound.memory, message);
        const where = readAsString(bound.memory, fileName);
        throw new Error(`DSP WASM abort: ${text} at ${where}:${line}:${column}`);
      },
    },
  };
  const instance = new wasmJs.Instance(module, imports);
  const exports = instance.exports as unknown as DspWasmExports;
  bound.memory = exports.memory;
  return exports;
}
