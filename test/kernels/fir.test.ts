/** FIR kernels against the oracle, a naive convolution, and the firwin design rules. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseInput, fixture, tapsOf, tol } from './support/fixture.js';
import { type Implementation, implementations } from './support/implementations.js';
import { fullConvolution } from './support/signals.js';
import { expectClose, firBound } from './support/tolerance.js';

/** Taps of the firwin design in the fixture (scipy firwin(31, 0.1)). */
const FIRWIN_NAME = 'firwin31_c0.1';
/** Absolute agreement required between our firwin and scipy's taps (|h| <= 0.11). */
const FIRWIN_ABS = 1e-15;
/** Generated magnitudes below this are flushed to zero (a relative bound underflows on subnormals). */
const TINY = 1e-200;
/** Seed for the property tests, so failures are reproducible. */
const PROPERTY_SEED = 20250101;

function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

function firSuite({ name, dsp }: Implementation): void {
  describe(`FIR [${name}]`, () => {
    for (const c of fixture.cases) {
      it(`${c.id} (N=${c.n}): firCausal and firSame match the oracle for every tap set`, () => {
        const x = caseInput(c);
        for (const tapsName of Object.keys(fixture.taps)) {
          const taps = tapsOf(tapsName);
          const bound = firBound(tol.fir_tau, taps, c.scale.max_abs_x);
          expectClose(dsp.firCausal(x, taps), c.fir[tapsName].causal, () => bound, `${tapsName} causal`);
          expectClose(dsp.firSame(x, taps), c.fir[tapsName].same, () => bound, `${tapsName} same`);
        }
      });
    }

    it('agrees with a naive full convolution for random lengths and taps', () => {
      const value = fc.double({ min: -1e3, max: 1e3, noNaN: true }).map((v) => (Math.abs(v) < TINY ? 0 : v));
      const sample = fc.array(value, { minLength: 0, maxLength: 80 });
      const taps = fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 1, maxLength: 16 });
      fc.assert(
        fc.property(sample, taps, (xs, bs) => {
          const x = Float64Array.from(xs);
          const b = Float64Array.from(bs);
          const full = fullConvolution(x, b);
          const bound = firBound(tol.fir_tau, b, maxAbs(x));
          const shift = Math.floor((b.length - 1) / 2);
          expectClose(dsp.firCausal(x, b), Array.from(full.subarray(0, x.length)), () => bound, 'causal');
          expectClose(dsp.firSame(x, b), Array.from(full.subarray(shift, shift + x.length)), () => bound, 'same');
        }),
        { seed: PROPERTY_SEED, numRuns: 60 },
      );
    });

    it('distinguishes reversed taps (asymmetric wma4 on a ramp)', () => {
      const ramp = Float64Array.from({ length: 8 }, (_, i) => i);
      const forward = dsp.firCausal(ramp, Float64Array.of(0.4, 0.3, 0.2, 0.1));
      const reversed = dsp.firCausal(ramp, Float64Array.of(0.1, 0.2, 0.3, 0.4));
      // y[7] = 0.4*7 + 0.3*6 + 0.2*5 + 0.1*4 = 6 vs 0.1*7 + 0.2*6 + 0.3*5 + 0.4*4 = 5
      expect(forward[7]).toBeCloseTo(6, 12);
      expect(reversed[7]).toBeCloseTo(5, 12);
    });

    it('returns an empty output for an empty input and rejects empty taps', () => {
      expect(dsp.firCausal(new Float64Array(0), Float64Array.of(1)).length).toBe(0);
      expect(dsp.firSame(new Float64Array(0), Float64Array.of(0.5, 0.5)).length).toBe(0);
      expect(() => dsp.firCausal(Float64Array.of(1, 2), new Float64Array(0))).toThrow(RangeError);
      expect(() => dsp.firSame(Float64Array.of(1, 2), new Float64Array(0))).toThrow(RangeError);
    });

    it('firwinLowpass(31, 0.1) reproduces scipy.signal.firwin', () => {
      const design = fixture.taps_design[FIRWIN_NAME];
      const taps = dsp.firwinLowpass(design.numtaps, design.cutoff ?? Number.NaN);
      expectClose(taps, fixture.taps[FIRWIN_NAME], () => FIRWIN_ABS, FIRWIN_NAME);
    });

    it('firwinLowpass designs are symmetric with unit DC gain', () => {
      for (const numtaps of [1, 2, 4, 7, 30, 101]) {
        for (const cutoff of [0.05, 0.3, 0.9]) {
          const h = dsp.firwinLowpass(numtaps, cutoff);
          expect(h.length).toBe(numtaps);
          expect(h.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
          for (let i = 0; i < numtaps; i++) expect(Math.abs(h[i] - h[numtaps - 1 - i])).toBeLessThanOrEqual(1e-15);
        }
      }
      expect(Array.from(dsp.firwinLowpass(1, 0.5))).toEqual([1]);
    });

    it('firwinLowpass rejects invalid designs', () => {
      for (const numtaps of [0, -3, 2.5, Number.NaN]) expect(() => dsp.firwinLowpass(numtaps, 0.2)).toThrow(RangeError);
      for (const cutoff of [0, 1, -0.1, 1.5, Number.NaN]) expect(() => dsp.firwinLowpass(11, cutoff)).toThrow(RangeError);
    });
  });
}

for (const implementation of implementations) firSuite(implementation);
