/** Weekly reports (issue 7): what they analyse, how often the schedule runs, how long they are kept. */
import { z } from 'zod';

export const reportsSchema = z
  .object({
    /** Event type the report's health, anomaly and forecast figures are about (its default metric). */
    weeklyType: z.string().default('SALE'),
    /** Forecast horizon shown, in buckets of the seller's activity resolution. */
    forecastHorizon: z.number().int().min(1).default(24),
    /** The schedule looks for sellers without a report for the last complete week this often. */
    scheduleMs: z.number().int().min(1000).default(3_600_000),
    /** Reports generated at once by the schedule (each asks its shard for three analyses). */
    concurrency: z.number().int().min(1).max(64).default(1),
    /**
     * The schedule waits this long between two reports: a report costs the main thread a millisecond
     * or two (copies in and out of the shards and the pool), and spreading them keeps ingest's p99.
     */
    pauseMs: z.number().int().min(0).default(50),
    /**
     * Background work yields to requests: when the main thread's event-loop utilisation over the last
     * report was above `busyUtilization` (0..1), the schedule waits `busyPauseMs` instead of
     * `pauseMs`, so a saturated ingest keeps its p99 and the reports still progress.
     */
    busyUtilization: z.number().min(0).max(1).default(0.8),
    busyPauseMs: z.number().int().min(0).default(500),
    /** Insight summaries listed at most. */
    maxInsights: z.number().int().min(1).default(10),
    retentionDays: z.number().positive().default(365),
  })
  .strict();

export type ReportsConfig = z.infer<typeof reportsSchema>;
