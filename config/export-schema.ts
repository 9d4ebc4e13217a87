/**
 * Tunables of the report exports (engine/reports, issue 7): what a report shows, how the PDF is
 * rendered and the SMTP server reports are mailed through. Merged into the main schema as the
 * `export` key; every field has a default, so `exportSchema.parse({})` is the default config.
 */
import { z } from 'zod';

const kSmtpPort = 25;
const kSmtpTimeoutMs = 15_000;

export const smtpSchema = z
  .object({
    host: z.string().min(1).default('localhost'),
    port: z.number().int().min(1).max(65535).default(kSmtpPort),
    /** true: TLS from the first byte (port 465); false: plain, upgraded by STARTTLS when offered. */
    secure: z.boolean().default(false),
    /** Credentials for SMTP AUTH; both or neither. Redacted from config snapshots. */
    user: z.string().min(1).optional(),
    pass: z.string().min(1).optional(),
    from: z.string().min(3).default('SellerPulse <reports@localhost>'),
    /** Connection, greeting and socket inactivity limit of one delivery. */
    timeoutMs: z.number().int().min(100).default(kSmtpTimeoutMs),
  })
  .strict()
  .refine((s) => (s.user === undefined) === (s.pass === undefined), { message: 'user and pass go together', path: ['pass'] });

export const exportSchema = z
  .object({
    smtp: smtpSchema.prefault({}),
    /** Recipients of one e-mail export at most. */
    maxRecipients: z.number().int().min(1).max(100).default(10),
    /** Exports rendered or mailed at the same time at most; more are answered 503 export_busy. */
    maxConcurrent: z.number().int().min(1).max(64).default(4),
    /** Suggested client back-off (Retry-After) when every export slot is taken. */
    retryAfterMs: z.number().int().min(1).default(2_000),
    /** Render PDFs on the piscina pool (false: on the main thread). */
    renderInPool: z.boolean().default(true),
    /** Newest history buckets drawn before a chart's cutoff (the whole analysed window when smaller). */
    chartHistoryBuckets: z.number().int().min(2).max(1 << 16).default(240),
    /** Rows of a report table at most (e.g. forecast steps); the rest is summarised in a line. */
    maxTableRows: z.number().int().min(1).max(10_000).default(120),
    /** Insights listed in an insights report at most (newest first). */
    maxInsights: z.number().int().min(1).max(1000).default(50),
    /** Config keys (any depth, case-insensitive) whose values a snapshot replaces by "[redacted]". */
    redactKeys: z.array(z.string().min(1)).default(['pass', 'password', 'secret', 'token', 'authorization', 'apikey', 'key']),
  })
  .strict();

export type ExportConfig = z.infer<typeof exportSchema>;
export type SmtpConfig = ExportConfig['smtp'];

export function defaultExportConfig(): ExportConfig {
  return exportSchema.parse({});
}
