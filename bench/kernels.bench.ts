/**
 * Micro-benchmarks of the DSP kernels: WASM (release build) vs the plain
 * TypeScript reference vs the fft.js package (radix-4, power-of-two sizes only).
 *
 *   npm run build && node dist/bench/kernels.bench.js
 *
 * Method: per (kernel, implementation, N) a warm-up of WARMUP_MS is run and
 * discarded (JIT tiers, FFT plan caches); it also calibrates the batch size so
 * one round lasts about ROUND_MS. ROUNDS rounds follow; the median round gives
 * ops/s. Inputs are seeded, identical for every implementation, and copied
 * into/out of WASM memory on every call (the full public-API cost).
 * Total runtime is about 30 s.
 */
import { mulberry32 } from './prng.js';
import { cpus } from 'node:os';
import FFT from 'fft.js';
import { loadDsp } from '../dsp-wasm/host/index.js';
import { referenceDsp } from '../dsp-wasm/reference/index.js';

const SIZES = [1024, 1440, 4096, 16384];
const HFD_KMAX = 10;
const WARMUP_MS = 150;
const ROUND_MS = 100;
const ROUNDS = 7;
/** Seed of the mulberry32 generator for the input signals. */
const SEED = 20250101;

type Task = () => unknown;

interface Row {
  kernel: string;
  n: number;
  results: Record<string, number | null>;
}


/** Random walk plus a weekly sine: a sales-like series. */
function signal(n: number): Float64Array {
  const uniform = mulberry32(SEED + n);
  const x = new Float64Array(n);
  let level = 0;
  for (let i = 0; i < n; i++) {
    level += uniform() - 0.5;
    x[i] = level + Math.sin((2 * Math.PI * i) / 7);
  }
  return x;
}

function isPow2(n: number): boolean {
  return (n & (n - 1)) === 0;
}

let sink = 0;

function consume(value: unknown): void {
  if (value instanceof Float64Array) sink += value[value.length >> 1];
  else if (typeof value === 'number') sink += value;
}

/** Median ops/s of `task` (see the method note at the top of the file). */
function measure(task: Task): number {
  let batch = 1;
  const warmStart = performance.now();
  let calls = 0;
  while (performance.now() - warmStart < WARMUP_MS) {
    for (let i = 0; i < batch; i++) consume(task());
    calls += batch;
    batch *= 2;
  }
  const perCall = (performance.now() - warmStart) / calls;
  const roundCalls = Math.max(1, Math.round(ROUND_MS / perCall));
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < roundCalls; i++) consume(task());
    rates.push((roundCalls * 1000) / (performance.now() - t0));
  }
  rates.sort((a, b) => a - b);
  return rates[ROUNDS >> 1];
}

/** fft.js real transform of x (power-of-two length) to |X[k]|, k = 0..N/2. */
function fftJsMagnitude(n: number): (x: Float64Array) => Float64Array {
  const fft = new FFT(n);
  const out = new Float64Array(2 * n);
  return (x) => {
    fft.realTransform(out, x);
    const mag = new Float64Array(n / 2 + 1);
    for (let k = 0; k <= n / 2; k++) mag[k] = Math.sqrt(out[2 * k] ** 2 + out[2 * k + 1] ** 2);
    return mag;
  };
}

function maxRelativeDifference(a: Float64Array, b: Float64Array): number {
  let scale = 0;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / scale);
  return worst;
}

function format(rate: number | null): string {
  if (rate === null) return 'n/a';
  return rate >= 1e4 ? `${(rate / 1e3).toFixed(1)}k` : rate.toFixed(0);
}

function ratio(a: number | null, b: number | null): string {
  return a === null || b === null ? 'n/a' : `${(a / b).toFixed(2)}x`;
}

function main(): void {
  const wasm = loadDsp();
  const cpu = cpus();
  console.log('SellerPulse DSP kernel micro-benchmarks');
  console.log(`node ${process.version} (${process.platform}/${process.arch}), V8 ${process.versions.v8}`);
  console.log(`cpu: ${cpu[0]?.model ?? 'unknown'} x${cpu.length}`);
  console.log(
    `method: ${WARMUP_MS} ms warm-up discarded, median of ${ROUNDS} rounds of ~${ROUND_MS} ms; ` +
      'ops/s include copying the input into WASM memory and the result out',
  );
  const rows: Row[] = [];
  for (const n of SIZES) {
    const x = signal(n);
    const pow2 = isPow2(n);
    const padded = pow2 ? n : 2 ** Math.ceil(Math.log2(n));
    const fftJs = fftJsMagnitude(padded);
    const xPadded = new Float64Array(padded);
    xPadded.set(x);
    const agreement = maxRelativeDifference(wasm.rfftMagPadPow2(x), fftJs(xPadded));
    console.log(`N=${n}: max |wasm - fft.js| / max|X| on the padded spectrum = ${agreement.toExponential(1)}`);
    rows.push({
      kernel: 'rfftMag (exact N)',
      n,
      results: {
        wasm: measure(() => wasm.rfftMag(x)),
        reference: measure(() => referenceDsp.rfftMag(x)),
        'fft.js': pow2 ? measure(() => fftJs(x)) : null,
      },
    });
    if (!pow2) {
      rows.push({
        kernel: `rfftMagPadPow2 (${padded})`,
        n,
        results: {
          wasm: measure(() => wasm.rfftMagPadPow2(x)),
          reference: measure(() => referenceDsp.rfftMagPadPow2(x)),
          'fft.js': measure(() => fftJs(xPadded)),
        },
      });
    }
    rows.push({
      kernel: `hfd (kmax=${HFD_KMAX})`,
      n,
      results: {
        wasm: measure(() => wasm.hfd(x, HFD_KMAX)),
        reference: measure(() => referenceDsp.hfd(x, HFD_KMAX)),
        'fft.js': null,
      },
    });
  }
  console.log('');
  console.log('kernel                 |     N |   wasm ops/s |    ref ops/s | fft.js ops/s | wasm/ref | wasm/fft.js');
  for (const { kernel, n, results } of rows) {
    const { wasm: w, reference: r, 'fft.js': f } = results;
    console.log(
      `${kernel.padEnd(22)} | ${String(n).padStart(5)} | ${format(w).padStart(12)} | ${format(r).padStart(12)} | ` +
        `${format(f).padStart(12)} | ${ratio(w, r).padStart(8)} | ${ratio(w, f).padStart(11)}`,
    );
  }
  console.log(`(fft.js handles power-of-two sizes only; checksum ${sink.toExponential(3)})`);
}

main();
