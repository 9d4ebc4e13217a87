/**
 * Classification of a population of fingerprints (thresholds: config/fingerprint-schema.ts):
 *
 *   sudden_strategy_change  first- and second-half signatures ≥ change.minDistance apart
 *   bot_cluster             suspicious, and in a single-linkage cluster of ≥ cluster.minSize
 *                           suspicious, unchanged sellers (near-identical signatures)
 *   repeated_manipulation   suspicious (strong periodicity or low complexity), in no cluster
 *   normal                  none of the above, or too few events to tell
 *
 * The first that applies wins, in this order (a seller that changed has a mixed whole-window
 * signature, so it is not clustered). "Suspicious" = strongly periodic (periodicity ≥
 * suspect.minPeriodicity with a peak ≥ suspect.minPeakRatio × its local floor), or an Allan
 * factor far below the Poisson 1 (fine ≤ suspect.maxAllan, coarse ≤ suspect.maxCoarseAllan).
 * Every verdict carries its reasons with their numbers.
 */
import type { FingerprintConfig } from '../../config/fingerprint-schema.js';
import { linkClusters } from './cluster.js';
import { changeReasons, clusterReason, insufficientReason, normalReasons, suspicionReasons } from './reasons.js';
import type { Classification, ClusterMembership, Fingerprint, Reason, SellerVerdict } from './types.js';

/** First- and second-half signatures at least change.minDistance apart (false when not compared). */
export function hasChanged(p: Fingerprint, cfg: FingerprintConfig): boolean {
  return p.halves !== null && p.halves.distance >= cfg.change.minDistance;
}

export function isSuspicious(p: Fingerprint, cfg: FingerprintConfig): boolean {
  const f = p.features;
  const s = cfg.suspect;
  const periodic = f.periodicity >= s.minPeriodicity && f.peakRatio >= s.minPeakRatio;
  return p.sufficient && (periodic || f.allan <= s.maxAllan || f.coarseAllan <= s.maxCoarseAllan);
}

/** Verdicts in the order of `prints`; cluster ids follow that order too. */
export function classifyPopulation(prints: readonly Fingerprint[], cfg: FingerprintConfig, weights: Float64Array): SellerVerdict[] {
  const suspicious = prints.map((p) => isSuspicious(p, cfg));
  const changed = prints.map((p) => hasChanged(p, cfg));
  // A seller that changed within the window has a mixed signature: it is not clustered.
  const candidates = prints.flatMap((_, i) => (suspicious[i] && !changed[i] ? [i] : []));
  const clustering = linkClusters(candidates.map((i) => prints[i].signature), weights, cfg.cluster.linkDistance);
  const membership = new Array<ClusterMembership | null>(prints.length).fill(null);
  // Bot clusters are renumbered 0.. in order of their first member; smaller components are not clusters.
  const botId = new Map<number, number>();
  candidates.forEach((i, c) => {
    const component = clustering.labels[c];
    const size = clustering.sizes[component];
    if (size < cfg.cluster.minSize) return;
    if (!botId.has(component)) botId.set(component, botId.size);
    membership[i] = { id: botId.get(component) as number, size, nearestDistance: clustering.nearest[c] };
  });
  return prints.map((p, i) => verdict(p, suspicious[i], changed[i], membership[i], cfg));
}

function verdict(p: Fingerprint, suspicious: boolean, changed: boolean, cluster: ClusterMembership | null, cfg: FingerprintConfig): SellerVerdict {
  const halfDistance = p.halves ? p.halves.distance : NaN;
  let classification: Classification = 'normal';
  const reasons: Reason[] = [];
  if (!p.sufficient) {
    reasons.push(insufficientReason(p, cfg));
  } else {
    if (changed) {
      classification = 'sudden_strategy_change';
    } else if (cluster) {
      classification = 'bot_cluster';
      reasons.push(clusterReason(cluster, cfg));
    } else if (suspicious) {
      classification = 'repeated_manipulation';
    }
    if (changed) reasons.push(...changeReasons(p, cfg));
    if (suspicious) reasons.push(...suspicionReasons(p, changed ? 'changed' : cluster ? 'member' : 'alone', cfg));
    if (classification === 'normal') reasons.push(...normalReasons(p, cfg));
  }
  return {
    sellerId: p.sellerId,
    classification,
    reasons,
    sufficient: p.sufficient,
    suspicious,
    features: p.features,
    signature: p.signature,
    halfDistance,
    cluster,
  };
}
