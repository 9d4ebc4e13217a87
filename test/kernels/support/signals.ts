/** Seeded test signals and naive, independent oracles (O(N^2) DFT, direct convolution). */

export { mulberry32 } from '../../../dist/bench/prng.js';
import { mulberry32 } from '../../../dist/bench/prng.js';

/** Standard normal samples (Box-Muller). */
export function gaussian(n: number, seed: number): Float64Array {
  const uniform = mulberry32(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = 1 - uniform();
    out[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  }
  return out;
}

export function randomWalk(n: number, seed: number): Float64Array {
  const steps = gaussian(n, seed);
  for (let i = 1; i < n; i++) steps[i] += steps[i - 1];
  return steps;
}

export function sine(n: number, period: number, phase = 0): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * i) / period + phase));
}

export function l2(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/**
 * |DFT_nt(x zero-padded)[k]| by direct summation; the angle uses (k n) mod nt
 * so it stays exact. When nt == N the sum runs over x - mean(x) for k > 0
 * (exact by linearity), which keeps large offsets from swamping the bins.
 */
export function naiveMagnitude(x: ArrayLike<number>, nt: number, k: number): number {
  const n = x.length;
  let mean = 0;
  if (nt === n && k > 0) {
    for (let i = 0; i < n; i++) mean += x[i];
    mean /= n;
  }
  let re = 0;
  let im = 0;
  for (let i = 0; i < n; i++) {
    const angle = (-2 * Math.PI * ((k * i) % nt)) / nt;
    re += (x[i] - mean) * Math.cos(angle);
    im += (x[i] - mean) * Math.sin(angle);
  }
  return Math.hypot(re, im);
}

/** Full linear convolution, length N + M - 1. */
export function fullConvolution(x: ArrayLike<number>, taps: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length + taps.length - 1);
  for (let i = 0; i < x.length; i++) for (let j = 0; j < taps.length; j++) out[i + j] += x[i] * taps[j];
  return out;
}
