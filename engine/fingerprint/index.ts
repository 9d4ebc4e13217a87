/**
 * Behaviour fingerprints (DESIGN §6), from aggregated bucket counts only:
 *
 *   SellerSignals (fine + coarse counts)
 *     → features.ts, spectrum.ts (DSP kernels)   raw measurements
 *     → signature.ts                              normalised Float64Array, weighted distance
 *     → fingerprint.ts                            whole window + first/second half
 *     → classify.ts (cluster.ts, reasons.ts)      verdicts with reasons
 *
 * Pure and deterministic: the same signals and config give the same verdicts, whatever the input
 * order (sellers are processed sorted by ID). No I/O, no randomness.
 */
import type { DspKernels } from '../../dsp-wasm/host/types.js';
import { referenceDsp } from '../../dsp-wasm/reference/index.js';
import type { FingerprintConfig } from '../../config/fingerprint-schema.js';
import { classifyPopulation } from './classify.js';
import { fingerprintSeller } from './fingerprint.js';
import { weightVector } from './signature.js';
import type { SellerSignals, SellerVerdict } from './types.js';

export * from './types.js';
export { extractFeatures, allanFactor } from './features.js';
export { periodGate, signatureDistance, toSignature, weightVector } from './signature.js';
export { linkClusters, type Clustering } from './cluster.js';
export type { ClusterStanding } from './reasons.js';
export { classifyPopulation, hasChanged, isSuspicious } from './classify.js';
export { fingerprintSeller } from './fingerprint.js';

function byId(a: SellerSignals, b: SellerSignals): number {
  return a.sellerId < b.sellerId ? -1 : a.sellerId > b.sellerId ? 1 : 0;
}

/**
 * Fingerprints and classifies a population; verdicts sorted by seller ID. `dsp` defaults to the
 * plain-TS reference kernels; the WASM-backed ones (`sellerpulse/dsp`) are interchangeable.
 * Throws a RangeError when a seller ID appears twice (the result would depend on input order).
 */
export function fingerprintPopulation(sellers: readonly SellerSignals[], cfg: FingerprintConfig, dsp: DspKernels = referenceDsp): SellerVerdict[] {
  const sorted = [...sellers].sort(byId);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].sellerId === sorted[i - 1].sellerId) throw new RangeError(`seller ${sorted[i].sellerId} appears twice`);
  }
  const weights = weightVector(cfg.weights);
  const prints = sorted.map((s) => fingerprintSeller(s, cfg, weights, dsp));
  return classifyPopulation(prints, cfg, weights);
}
