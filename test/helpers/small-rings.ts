/** A config with tiny rings (8 × 1 s, 4 × 1 min) and chunks of two sellers, for ring-level unit tests. */
import { loadConfig } from '../../dist/config/index.js';

export function smallRingsConfig(extra: Record<string, unknown> = {}) {
  return loadConfig({
    env: {},
    overrides: {
      rings: { resolutions: [{ name: '1s', bucketMs: 1000, window: 8 }, { name: '1m', bucketMs: 60_000, window: 4 }] },
      shard: { sellersPerChunk: 2, maxSellersPerShard: 16 },
      sampling: { activityResolution: '1m', activityBuckets: 4, tiers: [{ name: 'all', minEventsPerHour: 0, resolution: '1m', ttlMs: 1000 }] },
      ...extra,
    },
  });
}
