/**
 * Piscina task: fingerprints a tenant's sellers off the main thread (the DSP per seller is a few
 * FFTs; a population of thousands would stall ingest on the main thread). Answers plain arrays —
 * NaN features become null — so the verdicts travel and serialise as JSON unchanged.
 */
import type { FingerprintConfig } from '../../config/fingerprint-schema.js';
import { fingerprintPopulation } from './index.js';
import type { SellerSignals } from './types.js';
import { lowerPoolThreadPriority } from '../pool-thread-priority.js';

lowerPoolThreadPriority();

export interface FingerprintTask {
  sellers: SellerSignals[];
  model: FingerprintConfig;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

export default function fingerprintTask(task: FingerprintTask) {
  return fingerprintPopulation(task.sellers, task.model).map((v) => ({
    sellerId: v.sellerId,
    classification: v.classification,
    reasons: v.reasons,
    sufficient: v.sufficient,
    suspicious: v.suspicious,
    features: Object.fromEntries(Object.entries(v.features).map(([k, x]) => [k, finite(x as number)])),
    signature: Array.from(v.signature),
    halfDistance: finite(v.halfDistance),
    cluster: v.cluster,
  }));
}

export type FingerprintView = ReturnType<typeof fingerprintTask>[number];
