/**
 * One seller's fingerprint: the signature of the whole window, and of its first and second halves
 * (both rings cut in the middle) for the strategy-change test.
 */
import type { DspKernels } from '../../dsp-wasm/host/types.js';
import type { FingerprintConfig } from '../../config/fingerprint-schema.js';
import { extractFeatures, toCounts, total } from './features.js';
import { signatureDistance, toSignature } from './signature.js';
import type { Fingerprint, HalfComparison, SellerSignals } from './types.js';

export function fingerprintSeller(signals: SellerSignals, cfg: FingerprintConfig, weights: Float64Array, dsp: DspKernels): Fingerprint {
  const fine = toCounts(signals.fine);
  const coarse = toCounts(signals.coarse);
  const features = extractFeatures(fine, coarse, cfg.features, dsp);
  return {
    sellerId: signals.sellerId,
    sufficient: features.events >= cfg.minEvents,
    features,
    signature: toSignature(features, cfg.features),
    halves: compareHalves(fine, coarse, cfg, weights, dsp),
  };
}

/** Null when either half of the fine ring holds fewer than minEvents events. */
function compareHalves(fine: Float64Array, coarse: Float64Array, cfg: FingerprintConfig, weights: Float64Array, dsp: DspKernels): HalfComparison | null {
  const fineMid = fine.length >> 1;
  const coarseMid = coarse.length >> 1;
  const early = fine.subarray(0, fineMid);
  const late = fine.subarray(fineMid);
  if (total(early) < cfg.minEvents || total(late) < cfg.minEvents) return null;
  const first = extractFeatures(early, coarse.subarray(0, coarseMid), cfg.features, dsp);
  const second = extractFeatures(late, coarse.subarray(coarseMid), cfg.features, dsp);
  const firstSignature = toSignature(first, cfg.features);
  const secondSignature = toSignature(second, cfg.features);
  return { first, second, firstSignature, secondSignature, distance: signatureDistance(firstSignature, secondSignature, weights) };
}
