/** Higuchi fractal dimension: oracle cases, undefined cases, theory sanity and invariances. */
import { describe, expect, it } from 'vitest';
import { caseInput, fixture, tol } from './support/fixture.js';
import { type Implementation, implementations, reference } from './support/implementations.js';
import { gaussian, randomWalk, sine } from './support/signals.js';

/** kmax of the fixture's `hfd_kmax10_*` entries. */
const KMAX = 10;
/** Length of the generated sanity signals. */
const SANITY_N = 4096;
/**
 * Sanity tolerances, from 20 seeds at N = 4096, kmax = 10 (reference impl):
 * sines (periods 57..190) 1.001..1.021, white noise 1.989..2.009, random walks
 * 1.465..1.536 (mean 1.503).
 */
const SINE_TOL = 0.03;
const NOISE_TOL = 0.03;
const WALK_EACH_TOL = 0.1;
const WALK_MEAN_TOL = 0.05;
const WALK_SEEDS = 8;
/** Affine maps x -> a x + b leave every L(k) ratio, hence HFD, unchanged (to rounding). */
const INVARIANCE_ABS = 1e-9;

function expectHfd(got: number, want: number | null, label: string): void {
  if (want === null) expect(got, label).toBeNaN();
  else expect(Math.abs(got - want), `${label}: got ${got}, want ${want}`).toBeLessThanOrEqual(tol.hfd_abs);
}

function hfdSuite({ name, dsp }: Implementation): void {
  describe(`hfd [${name}]`, () => {
    for (const c of fixture.cases) {
      it(`${c.id} (N=${c.n}) matches the oracle for kmax 2, 5, 10, 16 and the clamped policy`, () => {
        const x = caseInput(c);
        for (const [kmax, want] of Object.entries(c.hfd)) expectHfd(dsp.hfd(x, Number(kmax)), want, `kmax=${kmax}`);
        expectHfd(dsp.hfd(x, Math.min(KMAX, Math.floor(c.n / 2))), c.hfd_kmax10_clamped, 'clamped');
      });
    }

    const legacyTraps = fixture.cases.filter((c) => {
      const ref = c.hfd[String(KMAX)];
      const legacy = c.hfd_kmax10_antropy_legacy;
      return ref !== null && (legacy === null || Math.abs(legacy - ref) > 2 * tol.hfd_abs);
    });
    it(`does not reproduce the antropy <= 0.2.0 off-by-one (${legacyTraps.map((c) => c.id).join(', ')})`, () => {
      expect(legacyTraps.length).toBeGreaterThan(0);
      for (const c of legacyTraps) {
        const got = dsp.hfd(caseInput(c), KMAX);
        expect(Number.isFinite(got)).toBe(true);
        const legacy = c.hfd_kmax10_antropy_legacy;
        if (legacy !== null) expect(Math.abs(got - legacy)).toBeGreaterThan(tol.hfd_abs);
      }
    });

    it(`is about 1 for sines, 2 for white noise, 1.5 for random walks (N=${SANITY_N}, kmax=${KMAX})`, () => {
      for (const [period, phase] of [[64, 0], [100, 1], [173.5, 2]]) {
        expect(Math.abs(dsp.hfd(sine(SANITY_N, period, phase), KMAX) - 1), `sine ${period}`).toBeLessThanOrEqual(SINE_TOL);
      }
      for (const seed of [1, 2, 3]) {
        expect(Math.abs(dsp.hfd(gaussian(SANITY_N, seed), KMAX) - 2), `noise ${seed}`).toBeLessThanOrEqual(NOISE_TOL);
      }
      let sum = 0;
      for (let seed = 1; seed <= WALK_SEEDS; seed++) {
        const d = dsp.hfd(randomWalk(SANITY_N, seed), KMAX);
        expect(Math.abs(d - 1.5), `walk ${seed}`).toBeLessThanOrEqual(WALK_EACH_TOL);
        sum += d;
      }
      expect(Math.abs(sum / WALK_SEEDS - 1.5)).toBeLessThanOrEqual(WALK_MEAN_TOL);
    });

    it('is invariant under x -> a x + b and agrees across odd/even kmax paths', () => {
      const x = randomWalk(1001, 11);
      for (const kmax of [2, 3, 7, 8, 16, 33]) {
        const base = dsp.hfd(x, kmax);
        expect(Number.isFinite(base)).toBe(true);
        expect(Math.abs(dsp.hfd(x.map((v) => -3 * v + 1e3), kmax) - base)).toBeLessThanOrEqual(INVARIANCE_ABS);
        expect(Math.abs(reference.hfd(x, kmax) - base)).toBeLessThanOrEqual(tol.hfd_abs);
      }
    });

    it('is NaN where undefined and rejects a non-integer kmax', () => {
      const x = gaussian(64, 5);
      for (const kmax of [1, 0, -4, 33, 2 ** 40]) expect(dsp.hfd(x, kmax), `kmax=${kmax}`).toBeNaN();
      expect(Number.isFinite(dsp.hfd(x, 32))).toBe(true);
      expect(dsp.hfd(new Float64Array(0), 2)).toBeNaN();
      expect(dsp.hfd(new Float64Array(40).fill(7), 5)).toBeNaN();
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        const y = x.slice();
        y[17] = bad;
        expect(dsp.hfd(y, 5), `sample ${bad}`).toBeNaN();
      }
      expect(() => dsp.hfd(x, 2.5)).toThrow(RangeError);
    });
  });
}

for (const implementation of implementations) hfdSuite(implementation);

describe('hfd curve lengths [ts-reference]', () => {
  it('L(k), k = 1..10, matches hfd_lengths_kmax10 where defined', () => {
    for (const c of fixture.cases.filter((fc) => fc.n >= 2)) {
      const x = caseInput(c);
      const usable = c.hfd_lengths_kmax10.filter((v) => v !== null).length;
      const lengths = reference.curveLengths(x, usable);
      for (let k = 0; k < usable; k++) {
        const want = c.hfd_lengths_kmax10[k] ?? Number.NaN;
        expect(Math.abs(lengths[k] - want), `${c.id} L(${k + 1})`).toBeLessThanOrEqual(1e-12 * Math.abs(want) + 1e-300);
      }
    }
  });
});
