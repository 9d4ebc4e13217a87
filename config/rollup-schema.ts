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
  })
  .strict();

export type RollupConfig = z.infer<typeof rollupSchema>;
export type SketchConfig = RollupConfig['sketch'];
export type RollupGranularities = RollupConfig['granularities'];

export function defaultRollupConfig(): RollupConfig {
  return rollupSchema.parse({});
}
