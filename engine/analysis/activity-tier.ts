/**
 * Smart sampling (DESIGN §6): a seller's activity — events per hour over the newest buckets of the
 * activity resolution — picks its tier, and the tier the resolution and cadence (cache TTL) of its
 * analysis.
 */
import type { Config } from '../../config/index.js';

export interface ActivityTier {
  name: string;
  resolution: number;
  ttlMs: number;
  eventsPerHour: number;
}

const kMsPerHour = 3_600_000;

/** `counts` are the activity resolution's buckets over all event types, newest last. */
export function activityTier(config: Readonly<Config>, counts: Float64Array): ActivityTier {
  const s = config.sampling;
  const res = config.rings.resolutions.findIndex((r) => r.name === s.activityResolution);
  const bucketMs = config.rings.resolutions[res].bucketMs;
  const n = Math.min(s.activityBuckets, counts.length);
  let events = 0;
  for (let i = counts.length - n; i < counts.length; i++) events += counts[i];
  const eventsPerHour = n === 0 ? 0 : (events * kMsPerHour) / (n * bucketMs);
  const tier = s.tiers.find((t) => eventsPerHour >= t.minEventsPerHour) ?? s.tiers[s.tiers.length - 1];
  return {
    name: tier.name,
    resolution: config.rings.resolutions.findIndex((r) => r.name === tier.resolution),
    ttlMs: tier.ttlMs,
    eventsPerHour,
  };
}
