/** trendSlope and timingEntropy against hand-computed values. */
import { describe, expect, it } from 'vitest';
import { type Implementation, implementations } from './support/implementations.js';
import { gaussian } from './support/signals.js';

/** Agreement required with the hand-computed values below. */
const EXACT = 1e-12;

const of = (...v: number[]): Float64Array => Float64Array.from(v);

function statsSuite({ name, dsp }: Implementation): void {
  describe(`trendSlope [${name}]`, () => {
    it('matches hand-computed least-squares slopes', () => {
      expect(dsp.trendSlope(of(1, 3, 5, 7))).toBeCloseTo(2, 12);
      // tbar = 1, xbar = 7/3: sum (t - 1)(x - 7/3) = 4/3 + 5/3 = 3, sum (t - 1)^2 = 2.
      expect(dsp.trendSlope(of(1, 2, 4))).toBeCloseTo(1.5, 12);
      // tbar = 1.5, xbar = 2.5: (-1.5)(-1.5) + (-0.5)(1.5) + (0.5)(-1.5) + (1.5)(1.5) = 3, / 5.
      expect(dsp.trendSlope(of(1, 4, 1, 4))).toBeCloseTo(0.6, 12);
      expect(dsp.trendSlope(of(5, 5, 5))).toBe(0);
      expect(dsp.trendSlope(of(0, 1, 0))).toBe(0);
      expect(dsp.trendSlope(of(9, 2))).toBe(-7);
    });

    it('recovers the slope of a noisy line within its standard error', () => {
      const n = 2000;
      const noise = gaussian(n, 42);
      const x = Float64Array.from({ length: n }, (_, t) => 1e6 + 0.25 * t + noise[t]);
      // Standard error of the slope: sigma / sqrt(sum (t - tbar)^2) = 1 / sqrt(n (n^2 - 1) / 12) ~ 3.9e-5.
      const standardError = 1 / Math.sqrt((n * (n * n - 1)) / 12);
      expect(Math.abs(dsp.trendSlope(x) - 0.25)).toBeLessThan(5 * standardError);
      const line = Float64Array.from({ length: n }, (_, t) => -3 + 0.125 * t);
      expect(Math.abs(dsp.trendSlope(line) - 0.125)).toBeLessThan(EXACT);
    });

    it('is NaN for fewer than two samples or non-finite input', () => {
      expect(dsp.trendSlope(of())).toBeNaN();
      expect(dsp.trendSlope(of(3))).toBeNaN();
      expect(dsp.trendSlope(of(1, Number.NaN, 3))).toBeNaN();
      expect(dsp.trendSlope(of(1, Number.POSITIVE_INFINITY, 3))).toBeNaN();
    });
  });

  describe(`timingEntropy [${name}]`, () => {
    it('matches hand-computed normalised entropies', () => {
      expect(dsp.timingEntropy(of(1, 1, 1, 1))).toBeCloseTo(1, 12);
      expect(dsp.timingEntropy(of(4, 0, 0, 0))).toBe(0);
      // p = (1/2, 1/2, 0, 0): H = 1 bit, log2(4) = 2.
      expect(dsp.timingEntropy(of(3, 3, 0, 0))).toBeCloseTo(0.5, 12);
      // p = (1/4, 3/4): H = 0.5 + 0.75 log2(4/3).
      const h13 = 0.5 + 0.75 * Math.log2(4 / 3);
      expect(Math.abs(dsp.timingEntropy(of(1, 3)) - h13)).toBeLessThan(EXACT);
      expect(Math.abs(dsp.timingEntropy(of(20, 60)) - h13)).toBeLessThan(EXACT);
      // p = (1/2, 1/4, 1/4) over 8 bins: H = 1.5 bits, log2(8) = 3.
      expect(dsp.timingEntropy(of(2, 1, 1, 0, 0, 0, 0, 0))).toBeCloseTo(0.5, 12);
      // 24 hourly bins, uniform over 6 of them: log2(6) / log2(24).
      const hours = new Float64Array(24);
      hours.fill(5, 9, 15);
      expect(Math.abs(dsp.timingEntropy(hours) - Math.log2(6) / Math.log2(24))).toBeLessThan(EXACT);
    });

    it('is 0 for empty, all-zero and single-bin histograms', () => {
      expect(dsp.timingEntropy(of())).toBe(0);
      expect(dsp.timingEntropy(of(0, 0, 0))).toBe(0);
      expect(dsp.timingEntropy(of(17))).toBe(0);
    });

    it('is NaN for negative or non-finite counts', () => {
      expect(dsp.timingEntropy(of(-1, 2))).toBeNaN();
      expect(dsp.timingEntropy(of(Number.NaN, 1))).toBeNaN();
      expect(dsp.timingEntropy(of(Number.POSITIVE_INFINITY, 1))).toBeNaN();
    });
  });
}

for (const implementation of implementations) statsSuite(implementation);
