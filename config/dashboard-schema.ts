/**
 * The dashboard, embed pages and JS SDK (issue 8): how their built files are served and the page
 * sizes of the event log. Part of the one config schema as `dashboard`; every value is read per
 * request, so a new version applies at the next request.
 */
import { z } from 'zod';

export const kEmbedThemes = ['light', 'dark', 'auto'] as const;

export const dashboardSchema = z
  .object({
    /** Serve GET /, /assets/*, /embed/<widget> and /sdk.js (false: they answer 404). */
    enabled: z.boolean(),
    /** Cache-Control max-age of content-hashed assets (a new build gives them new names). */
    immutableMaxAgeSec: z.number().int().min(0),
    /** Cache-Control max-age of pages and the SDK, whose names stay the same across builds. */
    pageMaxAgeSec: z.number().int().min(0),
    /** Files at least this large are sent gzip-compressed to clients that accept it (compressed once, at start). */
    gzipMinBytes: z.number().int().min(0),
    /** GET /metrics/:seller/buckets: buckets per page by default and at most. */
    bucketsPage: z.object({ default: z.number().int().min(1), max: z.number().int().min(1) }).strict()
      .refine((p) => p.default <= p.max, 'default must not exceed max'),
    /** Theme of embedded widgets when the embedding page names none. */
    embedTheme: z.enum(kEmbedThemes),
  })
  .strict();

export type DashboardConfig = z.infer<typeof dashboardSchema>;

const kYearSeconds = 365 * 24 * 60 * 60;
const kKiB = 1024;

export function defaultDashboardConfig(): DashboardConfig {
  return {
    enabled: true,
    immutableMaxAgeSec: kYearSeconds,
    pageMaxAgeSec: 0,
    gzipMinBytes: kKiB,
    bucketsPage: { default: 50, max: 500 },
    embedTheme: 'auto',
  };
}
