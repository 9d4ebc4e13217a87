/**
 * Typed access to the DSP oracle test/fixtures/dsp_public.json (generated with
 * numpy/scipy; see its `definitions`, `tolerances` and `rules`).
 */
import { readFileSync } from 'node:fs';

export type Nullable = number | null;

export interface FixtureDominant {
  bin: Nullable;
  period: Nullable;
  freq: Nullable;
  margin: Nullable;
  refined_bin: Nullable;
  refined_period: Nullable;
}

export interface FixtureCase {
  id: string;
  n: number;
  tags: string[];
  truth: Record<string, number>;
  x: number[];
  scale: { max_abs_x: number; l2_x: number };
  fir: Record<string, { causal: Nullable[]; same: Nullable[] }>;
  rfft_mag: number[];
  n_pad_pow2: number;
  rfft_mag_pad_pow2: number[];
  dominant: FixtureDominant;
  dominant_pad_pow2: FixtureDominant;
  hfd: Record<string, Nullable>;
  hfd_lengths_kmax10: Nullable[];
  hfd_kmax10_clamped: Nullable;
  hfd_kmax10_antropy_legacy: Nullable;
  legacy_minus_ref_kmax10: number | string;
}

export interface PolicyCase {
  id: string;
  n: number;
  x: Nullable[];
  note: string;
  fir: Record<string, { causal: Nullable[]; same: Nullable[] }>;
  rfft_mag: Nullable[];
  hfd: Record<string, Nullable>;
}

export interface Fixture {
  schema: string;
  taps: Record<string, number[]>;
  taps_design: Record<string, { kind: string; numtaps: number; cutoff?: number }>;
  tolerances: {
    float64: { fir_tau: number; rfft_tau: number; refined_bin_abs: number; hfd_abs: number };
    rules: Record<string, string>;
  };
  cases: FixtureCase[];
  policy_cases: PolicyCase[];
}

const FIXTURE_URL = new URL('../../fixtures/dsp_public.json', import.meta.url);

export const fixture = JSON.parse(readFileSync(FIXTURE_URL, 'utf8')) as Fixture;
export const tol = fixture.tolerances.float64;

/**
 * JSON cannot hold NaN/Infinity: in the policy cases the non-finite sample is
 * stored as null and named by the case id (`nan_at_mid`, `inf_at_quarter`).
 */
export function policyInput(c: PolicyCase): Float64Array {
  const bad = c.id.startsWith('inf') ? Infinity : NaN;
  return Float64Array.from(c.x, (v) => (v === null ? bad : v));
}

export function caseInput(c: FixtureCase): Float64Array {
  return Float64Array.from(c.x);
}

export function tapsOf(name: string): Float64Array {
  return Float64Array.from(fixture.taps[name]);
}
