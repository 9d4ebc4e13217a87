/**
 * The COMPILED analytics modules (dist/, built by `npm run build`) and the kernel implementations
 * every suite runs against. Types come from the sources, so type-checking needs no build.
 */
import type * as AnalyticsModule from '../../../engine/analytics/index.js';
import type * as SchemaModule from '../../../config/analytics-schema.js';
import type * as HostModule from '../../../dsp-wasm/host/index.js';
import type * as NormalModule from '../../../engine/analytics/normal.js';
import type * as RobustModule from '../../../engine/analytics/robust-stats.js';
import type { DspKernels } from '../../../dsp-wasm/host/types.js';

const DIST = new URL('../../../dist/', import.meta.url);

async function loadCompiled<T>(path: string): Promise<T> {
  return (await import(new URL(path, DIST).href)) as T;
}

export const analytics = await loadCompiled<typeof AnalyticsModule>('engine/analytics/index.js');
export const schema = await loadCompiled<typeof SchemaModule>('config/analytics-schema.js');
export const host = await loadCompiled<typeof HostModule>('dsp-wasm/host/index.js');

export interface Implementation {
  name: string;
  dsp: DspKernels;
}

export const wasm: Implementation = { name: 'wasm', dsp: host.loadDsp() };
export const reference: Implementation = { name: 'ts-reference', dsp: host.referenceDsp };
export const implementations: Implementation[] = [wasm, reference];

/**
 * Agreement between the WASM kernels and the TS reference, carried through the analytics: the
 * kernels agree to ~1e-12 relative (test/kernels); medians, logs and the logistic keep that order,
 * so scores, statistics and probabilities must agree to 1e-9 absolute, forecasts to 1e-9 relative.
 */
export const kAgreementAbs = 1e-9;
export const kAgreementRel = 1e-9;

/** Internal modules tested directly (not part of the index API). */
export const normal = await loadCompiled<typeof NormalModule>('engine/analytics/normal.js');
export const robust = await loadCompiled<typeof RobustModule>('engine/analytics/robust-stats.js');
