/** Magnitude spectra against the oracle, a naive DFT, Parseval and offset robustness. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseInput, fixture, tol } from './support/fixture.js';
import { type Implementation, implementations } from './support/implementations.js';
import { gaussian, l2, naiveMagnitude } from './support/signals.js';
import { expectClose, rfftBound } from './support/tolerance.js';

/** Seed for the property tests, so failures are reproducible. */
const PROPERTY_SEED = 7;
/** Bins spot-checked against the O(N^2) DFT for long transforms. */
const SPOT_BINS = 48;
/** Generated magnitudes below this are flushed to zero. */
const TINY = 1e-200;
/** Parseval's identity must hold to this relative precision. */
const PARSEVAL_REL = 1e-12;

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** sum_k |X_k|^2 over the full spectrum, from the half spectrum of a real signal. */
function fullSpectrumEnergy(mag: Float64Array, nt: number): number {
  let energy = mag[0] ** 2;
  for (let k = 1; k < mag.length; k++) energy += (k === nt / 2 ? 1 : 2) * mag[k] ** 2;
  return energy;
}

function spectrumSuite({ name, dsp }: Implementation): void {
  describe(`rfftMag / rfftMagPadPow2 [${name}]`, () => {
    for (const c of fixture.cases) {
      it(`${c.id} (N=${c.n}, padded ${c.n_pad_pow2}) matches the oracle`, () => {
        const x = caseInput(c);
        const bound = rfftBound(tol.rfft_tau, c.scale.l2_x);
        expectClose(dsp.rfftMag(x), c.rfft_mag, bound, 'rfftMag');
        expectClose(dsp.rfftMagPadPow2(x), c.rfft_mag_pad_pow2, bound, 'rfftMagPadPow2');
      });
    }

    it('padding is the identity for power-of-two lengths', () => {
      for (const n of [1, 2, 64, 1024]) {
        const x = gaussian(n, n);
        expect(dsp.rfftMagPadPow2(x)).toEqual(dsp.rfftMag(x));
      }
    });

    it('matches a naive DFT for random lengths (mixed, prime, power-of-two)', () => {
      // Subnormals are flushed: a relative bound of 1e-12 underflows there (tiny scales are a fixture case).
      const sample = fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => (Math.abs(v) < TINY ? 0 : v));
      const signal = fc.array(sample, { minLength: 1, maxLength: 260 });
      fc.assert(
        fc.property(signal, (xs) => {
          const x = Float64Array.from(xs);
          const bound = rfftBound(tol.rfft_tau, l2(x));
          for (const [mag, nt] of [[dsp.rfftMag(x), x.length], [dsp.rfftMagPadPow2(x), nextPow2(x.length)]] as const) {
            const want = Array.from({ length: Math.floor(nt / 2) + 1 }, (_, k) => naiveMagnitude(x, nt, k));
            expectClose(mag, want, bound, `nt=${nt}`);
          }
        }),
        { seed: PROPERTY_SEED, numRuns: 80 },
      );
    });

    for (const n of [1440, 4095, 8191, 16384]) {
      it(`spot-checks N=${n} against a naive DFT and Parseval's identity`, () => {
        const x = gaussian(n, n + 1);
        const mag = dsp.rfftMag(x);
        expect(mag.length).toBe(Math.floor(n / 2) + 1);
        const bound = rfftBound(tol.rfft_tau, l2(x));
        const step = Math.max(1, Math.floor(mag.length / SPOT_BINS));
        for (let k = 0; k < mag.length; k += step) {
          const want = naiveMagnitude(x, n, k);
          expect(Math.abs(mag[k] - want), `bin ${k}`).toBeLessThanOrEqual(bound(k, want));
        }
        const energy = n * l2(x) ** 2;
        expect(Math.abs(fullSpectrumEnergy(mag, n) - energy) / energy).toBeLessThanOrEqual(PARSEVAL_REL);
      });
    }

    it('spot-checks a zero-padded N=5000 (8 192-point transform, its samples reordered tile by tile) against a naive DFT', () => {
      const n = 5000;
      const x = gaussian(n, 7);
      const mag = dsp.rfftMagPadPow2(x);
      expect(mag.length).toBe(8192 / 2 + 1);
      const bound = rfftBound(tol.rfft_tau, l2(x));
      const step = Math.max(1, Math.floor(mag.length / SPOT_BINS));
      for (let k = 0; k < mag.length; k += step) {
        const want = naiveMagnitude(x, 8192, k);
        expect(Math.abs(mag[k] - want), `bin ${k}`).toBeLessThanOrEqual(bound(k, want));
      }
    });

    it('keeps non-DC bins exact under a 1e12 offset (bound relative to the centred signal)', () => {
      for (const n of [250, 256, 997]) {
        const noise = gaussian(n, n);
        const x = noise.map((v) => 1e12 + v);
        const mean = x.reduce((s, v) => s + v, 0) / n;
        const centredNorm = l2(x.map((v) => v - mean));
        const mag = dsp.rfftMag(x);
        for (let k = 1; k < mag.length; k++) {
          const want = naiveMagnitude(x, n, k);
          expect(Math.abs(mag[k] - want), `N=${n} bin ${k}`).toBeLessThanOrEqual(tol.rfft_tau * (want + centredNorm));
        }
        expect(Math.abs(mag[0] - Math.abs(x.reduce((s, v) => s + v, 0))) / mag[0]).toBeLessThanOrEqual(1e-15);
      }
    });

    it('rejects an empty input', () => {
      expect(() => dsp.rfftMag(new Float64Array(0))).toThrow(RangeError);
      expect(() => dsp.rfftMagPadPow2(new Float64Array(0))).toThrow(RangeError);
    });
  });
}

for (const implementation of implementations) spectrumSuite(implementation);
