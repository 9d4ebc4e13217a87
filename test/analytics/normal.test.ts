/** Normal tail and quantile helpers behind the anomaly surprises (log space, no underflow). */
import { describe, expect, it } from 'vitest';
import { normal } from './support/implementations.js';

/** Acklam's approximation: relative error < 1.15e-9; erfc fit: fractional error < 1.2e-7. */
const QUANTILE_REL = 2e-9;
const TAIL_REL = 2e-7;

describe('normal helpers', () => {
  it('normalQuantile matches tabulated values and is antisymmetric', () => {
    const table: [number, number][] = [
      [0.5, 0],
      [0.975, 1.959963984540054],
      [0.95, 1.6448536269514722],
      [0.999, 3.090232306167813],
      [1e-10, -6.361340902404056],
    ];
    for (const [p, z] of table) expect(Math.abs(normal.normalQuantile(p) - z)).toBeLessThanOrEqual(QUANTILE_REL * Math.max(1, Math.abs(z)));
    for (const p of [0.01, 0.2, 0.4]) expect(normal.normalQuantile(p)).toBeCloseTo(-normal.normalQuantile(1 - p), 9);
    expect(normal.normalQuantile(0)).toBe(-Infinity);
    expect(normal.normalQuantile(1)).toBe(Infinity);
  });

  it('logUpperTail matches tabulated tails, including far beyond float underflow', () => {
    expect(Math.abs(Math.exp(normal.logUpperTail(1.959963984540054)) / 0.025 - 1)).toBeLessThan(TAIL_REL);
    expect(Math.abs(Math.exp(normal.logUpperTail(0)) / 0.5 - 1)).toBeLessThan(TAIL_REL);
    expect(Math.abs(Math.exp(normal.logUpperTail(-1.6448536269514722)) / 0.95 - 1)).toBeLessThan(TAIL_REL);
    // Q(40) = 3.655893540915e-350 underflows as a double; its logarithm does not.
    expect(Math.abs(normal.logUpperTail(40) - -804.6084420137538)).toBeLessThan(1e-6);
  });

  it('surpriseFromLogP inverts the two-sided p-value, monotonically, for |z| up to 1e6', () => {
    let previous = -1;
    for (const z of [0, 0.1, 1, 2.5, 5, 10, 38, 100, 1e4, 1e6]) {
      const s = normal.surpriseFromLogP(normal.logTwoSidedP(z));
      expect(Math.abs(s - z)).toBeLessThanOrEqual(1e-6 * Math.max(1, z));
      expect(s).toBeGreaterThanOrEqual(previous);
      previous = s;
    }
    expect(normal.surpriseFromLogP(0)).toBe(0);
    expect(normal.surpriseFromLogP(0.5)).toBe(0);
  });

  it('Šidák and Bonferroni corrections in log space', () => {
    expect(normal.logSidak(Math.log(0.01), 1)).toBeCloseTo(Math.log(0.01), 12);
    expect(Math.exp(normal.logSidak(Math.log(0.01), 10))).toBeCloseTo(1 - 0.99 ** 10, 12);
    expect(normal.logSidak(-2000, 60)).toBeCloseTo(-2000 + Math.log(60), 9);
    expect(normal.logSidak(Math.log(0.5), 100)).toBeLessThanOrEqual(0);
    expect(normal.logBonferroni(Math.log(0.01), 5)).toBeCloseTo(Math.log(0.05), 12);
    expect(normal.logBonferroni(Math.log(0.5), 5)).toBe(0);
  });
});
