/**
 * Default configuration. `SELLERPULSE_CONFIG` (a JSON file) is merged over this, then the
 * environment (PORT, HOST, SELLERPULSE_DATA_DIR, SELLERPULSE_SHARDS), then validated once.
 */
import { availableParallelism } from 'node:os';
import type { Config } from './schema.js';
import { defaultAnalyticsConfig } from './analytics-schema.js';
import { defaultAlertingConfig } from './alerting-schema.js';
import { defaultPricingConfig } from './pricing-schema.js';
import { defaultRollupConfig } from './rollup-schema.js';
import { reportsSchema } from './reports-schema.js';
import { fingerprintsSchema } from './fingerprint-schema.js';
import { defaultDeliveryConfig } from './delivery-schema.js';
import { defaultDashboardConfig } from './dashboard-schema.js';
import { defaultExportConfig } from './export-schema.js';

const kSecond = 1000;
const kMinute = 60 * kSecond;
const kHour = 60 * kMinute;
const kKiB = 1024;
const kMiB = 1024 * kKiB;

export function defaultConfig(): Config {
  return {
    server: { host: '0.0.0.0', port: 8080 },
    dataDir: './data',
    shards: availableParallelism(),
    events: {
      types: [
        { name: 'SALE', defaultValue: null },
        { name: 'CLICK', defaultValue: 1 },
        { name: 'VIEW', defaultValue: 1 },
      ],
      futureSkewMs: 5 * kMinute,
      valueScale: 10_000,
      maxValue: 100_000_000,
      phoneLikeDigits: { min: 7, max: 15 },
      piiFieldNames: [
        'name', 'firstname', 'lastname', 'fullname', 'email', 'mail', 'phone', 'mobile', 'telephone',
        'address', 'street', 'city', 'zip', 'postcode', 'postalcode', 'ip', 'ipaddress', 'useragent',
        'birthdate', 'dob', 'ssn', 'passport', 'iban', 'card', 'cardnumber', 'creditcard', 'customer',
        'customerid', 'userid', 'username', 'buyer', 'buyerid', 'location', 'lat', 'lon', 'geo',
      ],
      eventIdMemory: 1 << 16,
      maxEventIdLength: 128,
    },
    rings: {
      resolutions: [
        { name: '1s', bucketMs: kSecond, window: 1024 },
        { name: '1m', bucketMs: kMinute, window: 1440 },
        { name: '1h', bucketMs: kHour, window: 2160 },
      ],
    },
    limits: {
      maxBodyBytes: 1 * kMiB,
      maxBatchEvents: 5_000,
      maxFrameBytes: 1 * kMiB,
      maxFrameEvents: 10_000,
      maxFrameSellers: 10_000,
      bodyTimeoutMs: 10 * kSecond,
      maxHeaderValueBytes: 512,
    },
    queue: {
      capacity: 1 << 18,
      wakeDepth: 1 << 17,
      parkMs: 2,
      drainBatch: 1 << 10,
      yieldAfterMs: 0.3,
      yieldMs: 0.01,
      // an eighth of the queue: about 4 ms of folding at this machine's in-server rate
      yieldBelowDepth: 1 << 15,
      foldAheadSlots: 64,
      retryAfterMs: 50,
    },
    shard: {
      sellersPerChunk: 64,
      maxSellersPerShard: 1 << 16,
      restartDelayMs: 100,
      workerNice: 5,
      requestNice: 0,
      queryTimeoutMs: 5_000,
      drainTimeoutMs: 10_000,
    },
    decode: { internEntries: 1 << 14, internMaxBytes: 64 },
    http: { responseBatch: 64 },
    ws: {
      idleTimeoutSec: 120,
      softBackpressureBytes: 256 * kKiB,
      maxBackpressureBytes: 4 * kMiB,
      seqWindow: 4096,
      maxProducers: 10_000,
      frameTurnMs: 0.5,
      // a table of 1 000 seller IDs of up to 60 bytes each (with their msgpack headers); grown as tables arrive
      sellerTableBytes: 64 * kKiB,
      maxWaitingFrames: 64,
      pooledFrameBytes: 128 * kKiB,
    },
    log: { level: 'info', access: { success: 'debug', clientError: 'info', rateLimited: 'debug', serverError: 'error' } },
    durability: { mode: 'wal', walSyncMs: 2, snapshotIntervalMs: 30 * kSecond, snapshotSliceBytes: 256 * kKiB, snapshotWriteMs: 1 },
    pool: { maxThreads: 1, idleTimeoutMs: 30 * kSecond, threadNice: 10 },
    retention: { periodsDays: { basic: 30, premium: 90, enterprise: 365 }, defaultTier: 'basic', decayIntervalMs: 60 * kMinute },
    cache: { enabled: true, beta: 1, maxEntries: 100_000 },
    sampling: {
      activityResolution: '1m',
      activityBuckets: 60,
      tiers: [
        { name: 'hot', minEventsPerHour: 3_600, resolution: '1s', ttlMs: 2 * kSecond },
        { name: 'warm', minEventsPerHour: 60, resolution: '1m', ttlMs: 30 * kSecond },
        { name: 'cold', minEventsPerHour: 0, resolution: '1h', ttlMs: 5 * kMinute },
      ],
    },
    analytics: defaultAnalyticsConfig(),
    ...defaultAlertingConfig(),
    pricing: defaultPricingConfig(),
    rollup: defaultRollupConfig(),
    reports: reportsSchema.parse({}),
    fingerprints: fingerprintsSchema.parse({}),
    delivery: defaultDeliveryConfig(),
    dashboard: defaultDashboardConfig(),
    export: defaultExportConfig(),
    access: {
      enabled: true,
      publicMetrics: false,
      bootstrapTier: 'enterprise',
      keyBytes: 24,
      keyCacheEntries: 10_000,
      lastUsedFlushMs: 5 * kSecond,
      // ingest in events per second per key, query and embed in requests per second per key
      rateLimits: {
        basic: { ingest: { perSecond: 20_000, burst: 40_000 }, query: { perSecond: 50, burst: 100 }, embed: { perSecond: 10, burst: 30 } },
        premium: { ingest: { perSecond: 200_000, burst: 400_000 }, query: { perSecond: 500, burst: 1_000 }, embed: { perSecond: 50, burst: 150 } },
        enterprise: { ingest: { perSecond: 20_000_000, burst: 40_000_000 }, query: { perSecond: 20_000, burst: 40_000 }, embed: { perSecond: 500, burst: 1_500 } },
      },
    },
  };
}
