/**
 * The implementations every kernel suite runs against. Tests exercise the
 * COMPILED modules in dist/ (built by `npm run build`); the types come from
 * the sources so that type-checking needs no build.
 */
import type * as HostModule from '../../../dsp-wasm/host/index.js';
import type * as ReferenceModule from '../../../dsp-wasm/reference/index.js';
import type { DspKernels } from '../../../dsp-wasm/host/types.js';

const DIST = new URL('../../../dist/', import.meta.url);

async function loadCompiled<T>(path: string): Promise<T> {
  return (await import(new URL(path, DIST).href)) as T;
}

export const host = await loadCompiled<typeof HostModule>('dsp-wasm/host/index.js');
export const reference = await loadCompiled<typeof ReferenceModule>('dsp-wasm/reference/index.js');

export interface Implementation {
  name: string;
  dsp: DspKernels;
}

export const implementations: Implementation[] = [
  { name: 'wasm-release', dsp: host.loadDsp() },
  { name: 'wasm-debug', dsp: host.loadDsp({ debug: true }) },
  { name: 'ts-reference', dsp: reference.referenceDsp },
];
