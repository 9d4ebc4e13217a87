/** Plain-language reasons for the fingerprint verdicts, each with the number and threshold behind it. */
import type { FingerprintConfig } from '../../config/fingerprint-schema.js';
import { kFeatureNames, type ClusterMembership, type Fingerprint, type Reason } from './types.js';

const kPercent = 100;

function pct(v: number): string {
  return `${(v * kPercent).toFixed(1)} %`;
}

function num(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : 'n/a';
}

export function insufficientReason(p: Fingerprint, cfg: FingerprintConfig): Reason {
  return {
    message: `only ${p.features.events} events in the window (at least ${cfg.minEvents} needed): too little data to fingerprint, treated as normal`,
    measure: 'events',
    value: p.features.events,
    threshold: cfg.minEvents,
  };
}

export function clusterReason(c: ClusterMembership, cfg: FingerprintConfig): Reason {
  return {
    message: `one of ${c.size} suspicious sellers with near-identical signatures (cluster ${c.id}; nearest member at distance ${num(c.nearestDistance)}, linked below ${cfg.cluster.linkDistance}; clusters need ${cfg.cluster.minSize})`,
    measure: 'clusterSize',
    value: c.size,
    threshold: cfg.cluster.minSize,
  };
}

/** Where a suspicious seller stands with respect to the clusters. */
export type ClusterStanding = 'member' | 'alone' | 'changed';

export function suspicionReasons(p: Fingerprint, standing: ClusterStanding, cfg: FingerprintConfig): Reason[] {
  const f = p.features;
  const out: Reason[] = [];
  if (f.periodicity >= cfg.suspect.minPeriodicity && f.peakRatio >= cfg.suspect.minPeakRatio) {
    out.push({
      message: `strongly periodic: a period of ${num(f.period)} buckets and its harmonics hold ${pct(f.periodicity)} of the spectral power (suspicious from ${pct(cfg.suspect.minPeriodicity)})`,
      measure: 'periodicity',
      value: f.periodicity,
      threshold: cfg.suspect.minPeriodicity,
    }, {
      message: `the peak stands ${num(f.peakRatio)} times above the local noise floor (from ${cfg.suspect.minPeakRatio})`,
      measure: 'peakRatio',
      value: f.peakRatio,
      threshold: cfg.suspect.minPeakRatio,
    });
  }
  if (f.allan <= cfg.suspect.maxAllan) {
    out.push({
      message: `low complexity: counts are far more regular than random arrivals (Allan factor ${num(f.allan)}, at most ${cfg.suspect.maxAllan}; random ≈ 1)`,
      measure: 'allan',
      value: f.allan,
      threshold: cfg.suspect.maxAllan,
    });
  }
  if (f.coarseAllan <= cfg.suspect.maxCoarseAllan) {
    out.push({
      message: `clockwork over the day: coarse counts are far more regular than random arrivals (Allan factor ${num(f.coarseAllan)}, at most ${cfg.suspect.maxCoarseAllan}; random ≈ 1)`,
      measure: 'coarseAllan',
      value: f.coarseAllan,
      threshold: cfg.suspect.maxCoarseAllan,
    });
  }
  if (standing === 'alone') {
    out.push({
      message: `not part of any cluster of ${cfg.cluster.minSize} or more similar sellers: acting alone`,
      measure: 'clusterSize',
      value: 1,
      threshold: cfg.cluster.minSize,
    });
  }
  return out;
}

export function changeReasons(p: Fingerprint, cfg: FingerprintConfig): Reason[] {
  const h = p.halves;
  if (!h) return [];
  // The coordinate that moved most, named with its before/after values.
  let top = 0;
  for (let i = 1; i < kFeatureNames.length; i++) {
    if (Math.abs(h.secondSignature[i] - h.firstSignature[i]) > Math.abs(h.secondSignature[top] - h.firstSignature[top])) top = i;
  }
  return [
    {
      message: `behaviour changed within the window: first- and second-half signatures are ${num(h.distance)} apart (change from ${cfg.change.minDistance})`,
      measure: 'halfDistance',
      value: h.distance,
      threshold: cfg.change.minDistance,
    },
    {
      message: `largest change in ${kFeatureNames[top]}: ${num(h.firstSignature[top])} → ${num(h.secondSignature[top])} (periodicity ${pct(h.first.periodicity)} → ${pct(h.second.periodicity)})`,
      measure: kFeatureNames[top],
      value: h.secondSignature[top] - h.firstSignature[top],
      threshold: null,
    },
  ];
}

export function normalReasons(p: Fingerprint, cfg: FingerprintConfig): Reason[] {
  const f = p.features;
  const out: Reason[] = [
    f.periodicity < cfg.suspect.minPeriodicity
      ? {
        message: `no strong periodicity: the dominant period and its harmonics hold ${pct(f.periodicity)} of the power (below ${pct(cfg.suspect.minPeriodicity)})`,
        measure: 'periodicity',
        value: f.periodicity,
        threshold: cfg.suspect.minPeriodicity,
      }
      : {
        message: `no clear period: the strongest peak stands only ${num(f.peakRatio)} times above the local noise floor (below ${cfg.suspect.minPeakRatio})`,
        measure: 'peakRatio',
        value: f.peakRatio,
        threshold: cfg.suspect.minPeakRatio,
      },
    {
      message: `counts as irregular as organic traffic (Allan factor ${num(f.allan)}, above ${cfg.suspect.maxAllan}; over the day ${num(f.coarseAllan)}, above ${cfg.suspect.maxCoarseAllan})`,
      measure: 'allan',
      value: f.allan,
      threshold: cfg.suspect.maxAllan,
    },
  ];
  out.push(p.halves
    ? {
      message: `steady behaviour: the two halves of the window differ by ${num(p.halves.distance)} (below ${cfg.change.minDistance})`,
      measure: 'halfDistance',
      value: p.halves.distance,
      threshold: cfg.change.minDistance,
    }
    : {
      message: `halves not compared: one half of the window has fewer than ${cfg.minEvents} events`,
      measure: 'halfDistance',
      value: NaN,
      threshold: cfg.change.minDistance,
    });
  return out;
}
