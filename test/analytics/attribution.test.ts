/** Attribution rounding: whole percentages that always sum to exactly 100 (largest remainder). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analytics } from './support/implementations.js';
import { expectValidAttribution } from './support/checks.js';

const { largestRemainder, attribute } = analytics;
const ones = { deviation: 1, periodic: 1, complexity: 1, trend: 1 };

describe('largestRemainder', () => {
  it('sums to exactly 100 and stays within 1 of every exact quota (property)', () => {
    const value = fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constantFrom(0, 1e-300, 5e-324, 1e308, Number.MAX_VALUE));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 8 }), (values) => {
        const out = largestRemainder(values);
        const positive = values.some((v) => v > 0);
        expect(out.reduce((s, v) => s + v, 0)).toBe(positive ? 100 : 0);
        const max = Math.max(...values);
        const sum = values.reduce((s, v) => s + v / max, 0);
        values.forEach((v, i) => {
          expect(Number.isInteger(out[i])).toBe(true);
          if (positive) expect(Math.abs(out[i] - (100 * (v / max)) / sum)).toBeLessThan(1);
          if (v === 0) expect(out[i]).toBe(0);
        });
      }),
      { numRuns: 500, seed: 20240601 },
    );
  });

  it('breaks equal remainders towards the earlier entry and ignores negative and non-finite values', () => {
    expect(largestRemainder([1, 1, 1])).toEqual([34, 33, 33]);
    expect(largestRemainder([1, 1, 1, 1, 1, 1])).toEqual([17, 17, 17, 17, 16, 16]);
    expect(largestRemainder([2, NaN, -1, Infinity, 2])).toEqual([50, 0, 0, 0, 50]);
    expect(largestRemainder([0, 0, 0])).toEqual([0, 0, 0]);
    expect(largestRemainder([1e-300, 3e-300])).toEqual([25, 75]);
  });
});

describe('attribute', () => {
  it('splits weighted evidence into the four components', () => {
    const a = attribute({ deviation: 3, periodic: 1, complexity: 0, trend: 0 }, ones);
    expect(a).toEqual({ deviation: 75, periodic: 25, complexity: 0, trend: 0 });
    expectValidAttribution(a);
  });

  it('with no evidence at all, splits equally among components with a positive weight', () => {
    expect(attribute({ deviation: 0, periodic: 0, complexity: 0, trend: 0 }, ones)).toEqual({ deviation: 25, periodic: 25, complexity: 25, trend: 25 });
    expect(attribute({ deviation: 0, periodic: 0, complexity: 0, trend: 0 }, { ...ones, periodic: 0 })).toEqual({ deviation: 34, periodic: 0, complexity: 33, trend: 33 });
    const allOff = { deviation: 0, periodic: 0, complexity: 0, trend: 0 };
    expect(attribute({ deviation: NaN, periodic: -1, complexity: 0, trend: 0 }, allOff)).toEqual({ deviation: 25, periodic: 25, complexity: 25, trend: 25 });
  });
});
