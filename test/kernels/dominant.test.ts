/**
 * Dominant period: the fixture's `dominant` rule, plus an exact-spectrum check
 * of the parabolic refinement and hand-made periodic signals.
 */
import { describe, expect, it } from 'vitest';
import type { DominantPeriod } from '../../dsp-wasm/host/types.js';
import { type FixtureCase, type FixtureDominant, caseInput, fixture, tol } from './support/fixture.js';
import { type Implementation, implementations } from './support/implementations.js';
import { gaussian, naiveMagnitude, sine } from './support/signals.js';
import { refinedBinBound, runnerUp } from './support/tolerance.js';

/** Safety factor on the first-order error propagation bounds. */
const PROPAGATION_SAFETY = 2;
/** Periods derived from the bin are compared to this relative precision. */
const PERIOD_REL = 1e-15;

interface Variant {
  label: string;
  run: (impl: Implementation, x: Float64Array) => DominantPeriod;
  expected: (c: FixtureCase) => FixtureDominant;
  magnitude: (c: FixtureCase) => number[];
  length: (c: FixtureCase) => number;
}

const variants: Variant[] = [
  {
    label: 'dominantPeriod',
    run: ({ dsp }, x) => dsp.dominantPeriod(x),
    expected: (c) => c.dominant,
    magnitude: (c) => c.rfft_mag,
    length: (c) => c.n,
  },
  {
    label: 'dominantPeriodPadPow2',
    run: ({ dsp }, x) => dsp.dominantPeriodPadPow2(x),
    expected: (c) => c.dominant_pad_pow2,
    magnitude: (c) => c.rfft_mag_pad_pow2,
    length: (c) => c.n_pad_pow2,
  },
];

function expectNone(d: DominantPeriod): void {
  expect(d).toEqual({ bin: null, period: null, freq: null, margin: null, refinedBin: null, refinedPeriod: null });
}

/** Checks one fixture case under the file's `dominant` rule. */
function checkCase(got: DominantPeriod, want: FixtureDominant, mag: number[], nt: number, l2x: number): void {
  if (want.bin === null) {
    expectNone(got);
    return;
  }
  const bin = got.bin;
  expect(bin).not.toBeNull();
  if (bin === null) return;
  expect(Number.isInteger(bin) && bin >= 1 && bin <= nt / 2).toBe(true);
  const tolAt = (k: number): number => tol.rfft_tau * (mag[k] + l2x);
  const peak = Math.max(...mag.slice(1));
  expect(mag[bin], `bin ${bin} (ref ${want.bin})`).toBeGreaterThanOrEqual(peak - 2 * tolAt(bin));
  expect(got.period).toBe(nt / bin);
  expect(got.freq).toBe(bin / nt);
  const refined = got.refinedBin ?? Number.NaN;
  expect(Math.abs(refined - bin)).toBeLessThanOrEqual(0.5);
  expect(Math.abs((got.refinedPeriod ?? Number.NaN) - nt / refined)).toBeLessThanOrEqual(PERIOD_REL * (nt / refined));
  if (bin !== want.bin) return;
  const interior = bin - 1 >= 1 && bin + 1 <= nt / 2;
  const refinedTol = interior
    ? Math.max(tol.refined_bin_abs, PROPAGATION_SAFETY * refinedBinBound(mag, bin, tol.rfft_tau, l2x))
    : tol.refined_bin_abs;
  expect(Math.abs(refined - (want.refined_bin ?? Number.NaN)), 'refinedBin').toBeLessThanOrEqual(refinedTol);
  const second = runnerUp(mag, bin);
  const top1 = mag[bin];
  const top2 = second < 0 ? 0 : mag[second];
  const marginTol = 1e-15 + (PROPAGATION_SAFETY * (tolAt(bin) * (top2 / top1) + (second < 0 ? 0 : tolAt(second)))) / top1;
  expect(Math.abs((got.margin ?? Number.NaN) - (want.margin ?? Number.NaN)), 'margin').toBeLessThanOrEqual(marginTol);
}

function dominantSuite(impl: Implementation): void {
  describe(`dominant period [${impl.name}]`, () => {
    for (const variant of variants) {
      for (const c of fixture.cases) {
        it(`${variant.label}: ${c.id} (N=${c.n}) follows the fixture rule`, () => {
          const got = variant.run(impl, caseInput(c));
          checkCase(got, variant.expected(c), variant.magnitude(c), variant.length(c), c.scale.l2_x);
        });
      }
    }

    // The oracle is numpy's rfft; for a 1e12 offset its small bins carry ~1e-4 relative error,
    // so its refined_bin is only good to ~1e-5. An exact (centred, direct) DFT pins it to 1e-9.
    for (const c of fixture.cases.filter((fc) => fc.dominant.bin !== null && !fc.tags.includes('flat-spectrum'))) {
      it(`${c.id}: refinedBin agrees with an exact DFT to ${tol.refined_bin_abs}`, () => {
        const x = caseInput(c);
        const got = impl.dsp.dominantPeriod(x);
        const bin = got.bin ?? Number.NaN;
        if (!(bin - 1 >= 1 && bin + 1 <= c.n / 2)) {
          expect(got.refinedBin).toBe(bin);
          return;
        }
        const [a, b, m] = [bin - 1, bin, bin + 1].map((k) => naiveMagnitude(x, c.n, k));
        const d = a - 2 * b + m;
        const exact = d === 0 ? bin : bin + Math.min(0.5, Math.max(-0.5, (0.5 * (a - m)) / d));
        expect(Math.abs((got.refinedBin ?? Number.NaN) - exact)).toBeLessThanOrEqual(tol.refined_bin_abs);
      });
    }

    it('finds the period of clean and noisy sines', () => {
      const clean = impl.dsp.dominantPeriod(sine(4096, 64));
      expect(clean.bin).toBe(64);
      expect(clean.period).toBe(64);
      expect(Math.abs((clean.refinedBin ?? 0) - 64)).toBeLessThan(1e-9);
      expect(clean.margin).toBeGreaterThan(0.99);
      const noise = gaussian(1500, 3);
      const noisy = impl.dsp.dominantPeriod(sine(1500, 37.5).map((v, i) => 3 * v + noise[i]));
      expect(noisy.bin).toBe(40);
      expect(noisy.period).toBe(37.5);
      const weekly = impl.dsp.dominantPeriod(sine(728, 7, 0.3).map((v) => 100 + 20 * v));
      expect(weekly.bin).toBe(104);
      expect(weekly.period).toBe(7);
    });

    it('breaks exact ties by the first argmax (unit impulse: exactly flat spectrum)', () => {
      for (const n of [4, 8, 64, 1024]) {
        const impulse = new Float64Array(n);
        impulse[0] = 1;
        const mag = impl.dsp.rfftMag(impulse);
        expect(mag.every((v) => v === 1), `N=${n} flat`).toBe(true);
        for (const d of [impl.dsp.dominantPeriod(impulse), impl.dsp.dominantPeriodPadPow2(impulse)]) {
          expect(d.bin).toBe(1);
          expect(d.period).toBe(n);
          expect(d.margin).toBe(0);
        }
      }
    });

    it('padded variant measures periods in padded samples', () => {
      const d = impl.dsp.dominantPeriodPadPow2(sine(1000, 32));
      expect(d.bin).not.toBeNull();
      expect(d.period).toBe(1024 / (d.bin ?? Number.NaN));
      expect(Math.abs((d.refinedPeriod ?? 0) - 32)).toBeLessThan(0.5);
    });

    it('reports none for short, constant or non-finite input', () => {
      for (const x of [[], [1.5], [2, 2, 2, 2], [1, Number.NaN, 3, 4], [1, 2, Number.POSITIVE_INFINITY, 0]]) {
        expectNone(impl.dsp.dominantPeriod(Float64Array.from(x)));
        expectNone(impl.dsp.dominantPeriodPadPow2(Float64Array.from(x)));
      }
    });
  });
}

for (const implementation of implementations) dominantSuite(implementation);
