/**
 * Tunables of the rollups (engine/rollup): the mergeable quantile sketch kept per seller, event type
 * and rollup bucket, and the rollup granularities. Meant to be merged into the main schema as the
 * `rollup` key; every field has a default, so `rollupSchema.parse({})` is the default config.
 */
import { z } from 'zod';

/** Sketch bucket arrays are preallocated at this many slots at most (64 K × 8 bytes = 512 KiB). */
export const kMaxSketchBuckets = 1 << 16;

const kHourMs = 3_600_000;
const kDayMs = 24 * kHourMs;
const kWeekMs = 7 * kDayMs;

export const sketchSchema = z
  .object({
    /**
     * α of the DDSketch guarantee (Masson, Rim & Lee 2019): every quantile of the non-zero values
     * is returned within relative error α, as long as no bucket had to be collapsed. Bucket keys
     * are ceil(ln v / ln γ) with γ = (1 + α) / (1 - α).
     */
    relativeAccuracy: z.number().finite().gt(0).lt(1).default(0.005),
    /**
     * Buckets kept per sketch. Beyond this many distinct keys the lowest ones are collapsed into
     * one bucket (only the smallest quantiles lose accuracy). With α = 0.005 γ^2048 ≈ 7.8e8: values
     * spanning less than that ratio never collapse.
     */
    maxBuckets: z.number().int().min(2).max(kMaxSketchBuckets).default(2048),
  })
  .strict();

const duration = z.number().int().positive();

export const granularitiesSchema = z
  .object({
    hourly: duration.default(kHourMs),
    daily: duration.default(kDayMs),
    weekly: duration.default(kWeekMs),
  })
  .strict()
  .superRefine((g, ctx) => {
    if (g.daily % g.hourly !== 0) ctx.addIssue({ code: 'custom', path: ['daily'], message: 'must be a multiple of hourly' });
    if (g.weekly % g.daily !== 0) ctx.addIssue({ code: 'custom', path: ['weekly'], message: 'must be a multiple of daily' });
    if (!(g.hourly < g.daily && g.daily < g.weekly)) {
      ctx.addIssue({ code: 'custom', path: ['weekly'], message: 'granularities must grow: hourly < daily < weekly' });
    }
  });

export const rollupSchema = z
  .object({
    sketch: sketchSchema.prefault({}),
    /** Rollup bucket widths in milliseconds; each one a multiple of the previous one. */
    granularities: granularitiesSchema.prefault({}),
    /**
     * Event types whose values are sketched (quantiles, min, max). Types whose values default to a
     * constant (CLICK, VIEW) have nothing to sketch; each sketched (seller, type, open hour) holds a
     * sketch in its shard worker until it is flushed (about 8 bytes × maxBuckets).
     */
    sketchTypes: z.array(z.string()).default(['SALE']),
    /** Hours a worker keeps open per seller and type; values older than that many hours are counted, not sketched. */
    liveHours: z.number().int().min(1).max(24).default(4),
    /** Workers hand their sketches to the store this often (and before every rollup query). */
    flushMs: z.number().int().min(100).default(30_000),
    /** Sketch deltas merged per store transaction; the main thread serves requests between transactions. */
    flushChunk: z.number().int().min(1).default(64),
    /**
     * Sketch deltas a worker hands over per request (a slot range at a time, about this many); the
     * worker folds and answers queries between slices, so a query waits behind at most one slice
     * (32 deltas: about 0.3 ms of a worker's time; 256 took 2 ms, 10–30 ms on a busy 2-core machine).
     */
    flushSliceDeltas: z.number().int().min(1).default(32),
    /** Stored hourly sketches live this long after their hour. */
    retentionDays: z.number().positive().default(90),
    /** Week buckets start this long after a multiple of a week since the epoch (4 days: Mondays 00:00 UTC). */
    weekOffsetMs: z.number().int().min(0).default(4 * kDayMs),
    /** Most buckets one rollup answer holds. */
    maxBuckets: z.number().int().min(1).default(1000),
    /** Period-over-period comparison: revenue and orders from `orderType`, conversion = orders / `visitType` count. */
    comparison: z.object({ orderType: z.string().default('SALE'), visitType: z.string().default('VIEW') }).strict().prefault({}),
  })
  .strict();

export type RollupConfig = z.infer<typeof rollupSchema>;
export type SketchConfig = RollupConfig['sketch'];
export type RollupGranularities = RollupConfig['granularities'];

export function defaultRollupConfig(): RollupConfig {
  return rollupSchema.parse({});
}
