/**
 * The fixture's NaN/inf policy cases: plain IEEE propagation. FIR outputs are
 * non-finite exactly where the oracle has null (n..n+M-1 for causal) and match
 * elsewhere; every spectrum bin is non-finite; HFD is NaN; no dominant period.
 */
import { describe, expect, it } from 'vitest';
import { fixture, policyInput, tapsOf, tol } from './support/fixture.js';
import { type Implementation, implementations } from './support/implementations.js';
import { expectClose, firBound } from './support/tolerance.js';

function finiteMaxAbs(x: Float64Array): number {
  return x.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0);
}

function policySuite({ name, dsp }: Implementation): void {
  describe(`non-finite input policy [${name}]`, () => {
    for (const c of fixture.policy_cases) {
      const x = policyInput(c);

      it(`${c.id}: FIR propagates the bad sample to exactly the affected outputs`, () => {
        expect(x.some((v) => !Number.isFinite(v))).toBe(true);
        for (const tapsName of Object.keys(c.fir)) {
          const taps = tapsOf(tapsName);
          const bound = firBound(tol.fir_tau, taps, finiteMaxAbs(x));
          const { causal, same } = c.fir[tapsName];
          expect(causal.filter((v) => v === null).length).toBe(taps.length);
          expectClose(dsp.firCausal(x, taps), causal, () => bound, `${tapsName} causal`);
          expectClose(dsp.firSame(x, taps), same, () => bound, `${tapsName} same`);
        }
      });

      it(`${c.id}: every spectrum bin is non-finite`, () => {
        for (const mag of [dsp.rfftMag(x), dsp.rfftMagPadPow2(x)]) {
          expect(mag.length).toBe(c.rfft_mag.length);
          expect(Array.from(mag).filter(Number.isFinite)).toEqual([]);
        }
      });

      it(`${c.id}: HFD is NaN and there is no dominant period`, () => {
        for (const kmax of Object.keys(c.hfd)) expect(dsp.hfd(x, Number(kmax))).toBeNaN();
        expect(dsp.dominantPeriod(x).bin).toBeNull();
        expect(dsp.dominantPeriodPadPow2(x).bin).toBeNull();
      });
    }
  });
}

for (const implementation of implementations) policySuite(implementation);
