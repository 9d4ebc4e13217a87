/**
 * The one configuration schema. Every tunable of SellerPulse lives here (STYLE §3, DESIGN §7):
 * code captures the parsed, frozen values at construction and never hard-codes a number that an
 * operator could want to change.
 */
import { z } from 'zod';
import { analyticsSchema } from './analytics-schema.js';
import { accessSchema } from './access-schema.js';
import { pricingSchema } from './pricing-schema.js';
import { rollupSchema } from './rollup-schema.js';
import { reportsSchema } from './reports-schema.js';
import { fingerprintsSchema } from './fingerprint-schema.js';
import { alertsSchema, hooksSchema, insightsSchema, monitorSchema } from './alerting-schema.js';
import { deliverySchema } from './delivery-schema.js';
import { dashboardSchema } from './dashboard-schema.js';
import { exportSchema } from './export-schema.js';

/** Bucket durations shorter than a second would overflow the u32 bucket stamp (see engine/ring/layout.ts). */
export const kMinBucketMs = 1000;
/** Ring windows are bounded so that one seller's rings stay a few hundred KiB. */
export const kMaxRingWindow = 1 << 16;
/** Event-type indices travel as one byte in queue records. */
export const kMaxEventTypes = 32;

const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;

export const resolutionSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9]{1,8}$/, 'a short lower-case name such as "1m"'),
    bucketMs: z.number().int().min(kMinBucketMs),
    window: z.number().int().min(2).max(kMaxRingWindow),
  })
  .strict();

export const eventTypeSchema = z
  .object({
    name: z.string().regex(/^[A-Z][A-Z0-9_]{0,31}$/, 'upper-case identifier such as "SALE"'),
    /** Value used when an event of this type arrives without one; null means a value is required. */
    defaultValue: z.number().finite().nonnegative().nullable(),
  })
  .strict();

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const kLoopbackHosts = new Set(['127.0.0.1', '::1', 'localhost']);

export const configSchema = z
  .object({
    server: z
      .object({
        host: z.string().min(1),
        port: z.number().int().min(0).max(65535),
      })
      .strict(),
    dataDir: z.string().min(1),
    /** Number of shard worker threads. */
    shards: z.number().int().min(1).max(64),
    events: z
      .object({
        types: z.array(eventTypeSchema).min(1).max(kMaxEventTypes),
        /** How far ahead of the server clock a timestamp may be before it is rejected. */
        futureSkewMs: z.number().int().min(0),
        /**
         * Sums are kept as integer multiples of 1/valueScale so they are exact and independent of
         * arrival order (determinism); values are rounded to this precision at intake.
         */
        valueScale: z.number().int().min(1).max(1_000_000),
        /** Largest accepted value; keeps a bucket's integer sum exact (< 2^53 units of 1/valueScale). */
        maxValue: z.number().positive(),
        /** A seller ID made only of digits and separators with this many digits looks like a phone number. */
        phoneLikeDigits: z.object({ min: z.number().int().min(1), max: z.number().int().min(1) }).strict(),
        /** Field names (lower case) that look like personal data; counted by name when stripped. */
        piiFieldNames: z.array(z.string().min(1)).max(256),
        /** eventId idempotency: how many recent (seller, eventId) pairs are remembered. Power of two. */
        eventIdMemory: z.number().int().refine(isPowerOfTwo, 'must be a power of two'),
        maxEventIdLength: z.number().int().min(1).max(256),
      })
      .strict(),
    rings: z
      .object({
        resolutions: z.array(resolutionSchema).min(1).max(8),
      })
      .strict(),
    limits: z
      .object({
        maxBodyBytes: z.number().int().min(1024),
        maxBatchEvents: z.number().int().min(1),
        maxFrameBytes: z.number().int().min(1024),
        maxFrameEvents: z.number().int().min(1),
        maxFrameSellers: z.number().int().min(1),
        /** A request body that has not fully arrived this long after its first bytes is refused (slow clients). */
        bodyTimeoutMs: z.number().int().min(100),
        /** Largest Authorization / X-Request-ID header value read; longer ones are refused unread. */
        maxHeaderValueBytes: z.number().int().min(64),
      })
      .strict(),
    queue: z
      .object({
        /** Records per shard ingest queue (SPSC ring in a SharedArrayBuffer). Power of two. */
        capacity: z.number().int().min(1024).refine(isPowerOfTwo, 'must be a power of two'),
        /**
         * The producer wakes a parked worker only once this many records wait; otherwise the worker's
         * park timeout (parkMs) does. A futex wake costs the producer microseconds to milliseconds on a
         * busy machine, so ingest never pays it in steady state; control requests always wake.
         */
        wakeDepth: z.number().int().min(1),
        /** How long an idle worker parks in Atomics.wait before looking again. */
        parkMs: z.number().min(0.1).max(1000),
        /** Records a worker folds between two looks at its control port. */
        drainBatch: z.number().int().min(1),
        /**
         * A worker folding a backlog steps off its core for `yieldMs` once it has folded this long
         * without parking (0: never). The scheduler otherwise lets a busy worker keep a core for its
         * whole slice (1.5–2 ms were seen on a 2-core machine) while the main thread — answering
         * queries, reading ingest — waits for one. Only while fewer than `yieldBelowDepth` records wait:
         * a deeper backlog means folding is what limits ingest, and the worker then folds flat out.
         */
        yieldAfterMs: z.number().min(0).max(1000),
        /** How long a yield lasts at most (a control request or a deep queue ends it early; the kernel's timer slack adds up to 0.05 ms). */
        yieldMs: z.number().min(0.001).max(10),
        /** A worker yields only while fewer records than this wait in its queue. */
        yieldBelowDepth: z.number().int().min(0),
        /**
         * Sellers whose queued records a query may fold ahead of the rest of the queue (read-your-writes
         * for that seller without waiting for the whole backlog, engine/ring/fold-ahead.ts); when that
         * many are pending the query drains the queue instead.
         */
        foldAheadSlots: z.number().int().min(1).max(1024),
        /** Suggested client back-off when a shard queue is full. */
        retryAfterMs: z.number().int().min(1),
      })
      .strict(),
    shard: z
      .object({
        /** Ring storage grows in chunks of this many sellers (power of two). */
        sellersPerChunk: z.number().int().min(1).refine(isPowerOfTwo, 'must be a power of two'),
        maxSellersPerShard: z.number().int().min(1).max(1 << 24),
        restartDelayMs: z.number().int().min(0),
        /**
         * Nice value of the shard worker threads (Linux applies it per thread): folding has a queue of
         * slack, the main thread's decoding has none, so when they share a core the main thread wins.
         */
        workerNice: z.number().int().min(0).max(19),
        /**
         * Nice value a shard worker runs at while a request of the main thread waits for it (a query,
         * or a snapshot slice or sketch flush that queries queue behind; a request that drains the
         * whole queue is folding and is not raised): the main thread raises the worker before posting,
         * the worker steps back to workerNice once none waits. Raising needs CAP_SYS_NICE or
         * RLIMIT_NICE (otherwise: workerNice, logged at start); at or above workerNice it is off.
         */
        requestNice: z.number().int().min(-20).max(19),
        /** How long a request to a shard worker (a query, a snapshot slice) may take before it fails. */
        queryTimeoutMs: z.number().int().min(1),
        /** How long folding a whole queue may take (stop, restore, drain) — and a new config version's hand-over to a worker — before the worker counts as stuck. */
        drainTimeoutMs: z.number().int().min(1),
      })
      .strict(),
    decode: z
      .object({
        /**
         * Seller IDs and type names decoded from msgpack are kept in a table of this many entries (a
         * power of two) and reused while frames repeat them (api/string-intern.ts).
         */
        internEntries: z.number().int().min(4).refine(isPowerOfTwo, 'must be a power of two'),
        /** Longest string kept, in UTF-8 bytes (a seller ID is at most 64 characters). */
        internMaxBytes: z.number().int().min(1).max(1024),
      })
      .strict(),
    http: z
      .object({
        /**
         * Answers are written together at the end of each event-loop poll phase, at most this many at
         * a time (api/http/response-batch.ts): a client woken once per burst instead of once per answer
         * costs the server less per request; an answer waits at most for the rest of its poll phase.
         * 0 writes every answer as soon as it is made.
         */
        responseBatch: z.number().int().min(0).max(4096),
      })
      .strict(),
    ws: z
      .object({
        idleTimeoutSec: z.number().int().min(0),
        /** Above this many buffered outgoing bytes frames are answered with retryAfterMs and not processed. */
        softBackpressureBytes: z.number().int().min(1024),
        /** uWS closes a socket whose send buffer exceeds this (a client that never reads its acks). */
        maxBackpressureBytes: z.number().int().min(1024),
        /** How many recent frame seqs per producer are remembered for idempotent retries. Power of two. */
        seqWindow: z.number().int().min(16).refine(isPowerOfTwo, 'must be a power of two'),
        /** Producer seq windows kept (least recently used evicted). */
        maxProducers: z.number().int().min(1),
        /**
         * Frames are processed in turns of at most this long, with a poll of every socket between
         * turns (api/ws/frame-turns.ts): how long a query can wait behind a burst of frames.
         */
        frameTurnMs: z.number().min(0.05).max(1000),
        /**
         * Bytes of a connection's last columnar seller table kept to recognise it when the next frame
         * repeats it (api/columnar-frame-reader.ts): its strings are then used again, not decoded. 0: off.
         */
        sellerTableBytes: z.number().int().min(0),
        /** Frames copied and waiting for their turn, over all sockets; beyond it the oldest are processed at once. */
        maxWaitingFrames: z.number().int().min(1),
        /** Frames up to this size are copied into reused buffers (one per waiting place; larger frames get their own). */
        pooledFrameBytes: z.number().int().min(0),
      })
      .strict(),
    log: z
      .object({
        level: logLevel,
        /**
         * Level of the one access-log line per request (never per event), by outcome: ingest at full
         * rate would otherwise write a line per request — successes and 429s default to debug.
         */
        access: z.object({ success: logLevel, clientError: logLevel, rateLimited: logLevel, serverError: logLevel }).strict(),
      })
      .strict(),
    durability: z
      .object({
        /**
         * wal: an ack is sent only once its events are in the shard's fdatasync'ed log (a crash loses
         * nothing acknowledged); snapshot: acks after queuing, a crash loses up to snapshotIntervalMs.
         */
        mode: z.enum(['wal', 'snapshot']),
        /** Group commit: a worker syncs its log at most this often while events keep coming. */
        walSyncMs: z.number().min(0),
        snapshotIntervalMs: z.number().int().min(100),
        /**
         * Bytes of ring snapshots a shard worker exports per slice (export time is proportional to
         * them); between slices it folds and answers queries, so this bounds how long a periodic
         * snapshot holds a query up (256 KiB: about 0.7 ms of a worker's time; 2 MiB took 2–3 ms, and
         * 10–30 ms at nice 5 on a busy 2-core machine).
         */
        snapshotSliceBytes: z.number().int().min(1024),
        /**
         * How long the main thread writes snapshot records per LMDB transaction; it serves requests in
         * between, so this is how long a snapshot can hold up a cached answer.
         */
        snapshotWriteMs: z.number().min(0.1),
      })
      .strict(),
    pool: z
      .object({
        /** piscina threads for heavy jobs (retention decay, later reports and exports). */
        maxThreads: z.number().int().min(1).max(64),
        idleTimeoutMs: z.number().int().min(0),
        /**
         * Nice value of the pool threads (per thread on Linux): reports, exports, fingerprints and
         * decay have no deadline, request handling on the main thread does — sharing a core, it wins.
         */
        threadNice: z.number().int().min(0).max(19),
      })
      .strict(),
    retention: z
      .object({
        /** How long stored records live after their newest data, per tenant tier (days). */
        periodsDays: z.object({ basic: z.number().positive(), premium: z.number().positive(), enterprise: z.number().positive() }).strict(),
        /** The tier of data written before tenants exist (and of the default tenant). */
        defaultTier: z.enum(['basic', 'premium', 'enterprise']),
        /** How often the decay job runs on the worker pool. */
        decayIntervalMs: z.number().int().min(1000),
      })
      .strict(),
    cache: z
      .object({
        /** false: every analytic query recomputes (for measuring; the recomputations are still counted). */
        enabled: z.boolean(),
        /** XFetch beta: > 1 refreshes earlier, < 1 later (result-cache.ts). */
        beta: z.number().positive(),
        maxEntries: z.number().int().min(1),
      })
      .strict(),
    sampling: z
      .object({
        /** Resolution and number of its newest buckets over which a seller's activity is measured. */
        activityResolution: z.string(),
        activityBuckets: z.number().int().min(1),
        /**
         * Activity tiers, busiest first: a seller with at least minEventsPerHour is analysed at
         * `resolution` and its cached results live `ttlMs` (the cadence of its analysis).
         */
        tiers: z
          .array(
            z.object({ name: z.string().min(1), minEventsPerHour: z.number().nonnegative(), resolution: z.string(), ttlMs: z.number().int().min(1) }).strict(),
          )
          .min(1),
      })
      .strict(),
    analytics: analyticsSchema,
    access: accessSchema,
    monitor: monitorSchema,
    insights: insightsSchema,
    alerts: alertsSchema,
    hooks: hooksSchema,
    pricing: pricingSchema,
    rollup: rollupSchema,
    reports: reportsSchema,
    fingerprints: fingerprintsSchema,
    delivery: deliverySchema,
    dashboard: dashboardSchema,
    export: exportSchema,
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const names = new Set(cfg.events.types.map((t) => t.name));
    if (names.size !== cfg.events.types.length) {
      ctx.addIssue({ code: 'custom', path: ['events', 'types'], message: 'event type names must be unique' });
    }
    const resNames = new Set(cfg.rings.resolutions.map((r) => r.name));
    if (resNames.size !== cfg.rings.resolutions.length) {
      ctx.addIssue({ code: 'custom', path: ['rings', 'resolutions'], message: 'resolution names must be unique' });
    }
    if (cfg.events.phoneLikeDigits.min > cfg.events.phoneLikeDigits.max) {
      ctx.addIssue({ code: 'custom', path: ['events', 'phoneLikeDigits'], message: 'min must not exceed max' });
    }
    if (cfg.events.maxValue * cfg.events.valueScale > Number.MAX_SAFE_INTEGER / 1024) {
      ctx.addIssue({
        code: 'custom',
        path: ['events', 'maxValue'],
        message: 'maxValue × valueScale must leave room for 1024 maximal events per bucket below 2^53',
      });
    }
    if (cfg.queue.wakeDepth > cfg.queue.capacity) {
      ctx.addIssue({ code: 'custom', path: ['queue', 'wakeDepth'], message: 'must not exceed queue.capacity' });
    }
    if (cfg.limits.maxBatchEvents > cfg.queue.capacity || cfg.limits.maxFrameEvents > cfg.queue.capacity) {
      ctx.addIssue({ code: 'custom', path: ['limits'], message: 'a batch or frame must fit in one shard queue' });
    }
    const resolutionNames = cfg.rings.resolutions.map((r) => r.name);
    if (!resolutionNames.includes(cfg.sampling.activityResolution)) {
      ctx.addIssue({ code: 'custom', path: ['sampling', 'activityResolution'], message: `one of ${resolutionNames.join(', ')}` });
    }
    cfg.sampling.tiers.forEach((t, i) => {
      if (!resolutionNames.includes(t.resolution)) {
        ctx.addIssue({ code: 'custom', path: ['sampling', 'tiers', i, 'resolution'], message: `one of ${resolutionNames.join(', ')}` });
      }
      if (i > 0 && t.minEventsPerHour >= cfg.sampling.tiers[i - 1].minEventsPerHour) {
        ctx.addIssue({ code: 'custom', path: ['sampling', 'tiers', i, 'minEventsPerHour'], message: 'tiers go from busiest to quietest' });
      }
    });
    if (cfg.sampling.tiers[cfg.sampling.tiers.length - 1].minEventsPerHour !== 0) {
      ctx.addIssue({ code: 'custom', path: ['sampling', 'tiers'], message: 'the last tier must take every seller (minEventsPerHour 0)' });
    }
    const typeNames = cfg.events.types.map((t) => t.name);
    cfg.monitor.types.forEach((t, i) => {
      if (!typeNames.includes(t)) ctx.addIssue({ code: 'custom', path: ['monitor', 'types', i], message: `one of ${typeNames.join(', ')}` });
    });
    for (const [path, names] of [[['rollup', 'sketchTypes'], cfg.rollup.sketchTypes], [['rollup', 'comparison'], [cfg.rollup.comparison.orderType, cfg.rollup.comparison.visitType]], [['fingerprints', 'eventType'], [cfg.fingerprints.eventType]], [['reports', 'weeklyType'], [cfg.reports.weeklyType]]] as const) {
      for (const n of names) if (!typeNames.includes(n)) ctx.addIssue({ code: 'custom', path: [...path], message: `${n}: not one of ${typeNames.join(', ')}` });
    }
    // fingerprints.*Resolution and a ring of rollup.granularities.hourly width are checked where they are
    // used (fingerprint-service.ts, rollups.ts): a layout without them (tests, the replay CLI) is valid
    if (!typeNames.includes(cfg.pricing.predictionType)) {
      ctx.addIssue({ code: 'custom', path: ['pricing', 'predictionType'], message: `one of ${typeNames.join(', ')}` });
    }
    if (!cfg.access.enabled && !kLoopbackHosts.has(cfg.server.host)) {
      ctx.addIssue({ code: 'custom', path: ['access', 'enabled'], message: 'keys and rate limits may be off only on a loopback host (for measuring their cost)' });
    }
    if (cfg.ws.softBackpressureBytes > cfg.ws.maxBackpressureBytes) {
      ctx.addIssue({ code: 'custom', path: ['ws', 'softBackpressureBytes'], message: 'must not exceed maxBackpressureBytes' });
    }
  });

export type Config = z.infer<typeof configSchema>;
export type ResolutionConfig = z.infer<typeof resolutionSchema>;
export type EventTypeConfig = z.infer<typeof eventTypeSchema>;
