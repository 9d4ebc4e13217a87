/**
 * Access: tenants, API keys and per-key rate limits (DESIGN §8). Part of the one config schema
 * (./schema.ts); split out because it is a subject of its own.
 */
import { z } from 'zod';

export const kTierNames = ['basic', 'premium', 'enterprise'] as const;
export const tierSchema = z.enum(kTierNames);
export type Tier = z.infer<typeof tierSchema>;

/** A token bucket: `perSecond` tokens flow in, at most `burst` are held. */
export const bucketSchema = z
  .object({
    perSecond: z.number().positive(),
    burst: z.number().int().min(1),
  })
  .strict();

/**
 * Limits of one tier, per key. `ingest` counts events (a batch or frame of n events costs n);
 * `query` counts requests (reads, admin); `embed` counts requests made with embed keys.
 */
export const tierLimitsSchema = z
  .object({
    ingest: bucketSchema,
    query: bucketSchema,
    embed: bucketSchema,
  })
  .strict();

export const accessSchema = z
  .object({
    /**
     * false turns key checks and rate limits off (every request acts as the operator tenant) — only
     * for measuring their cost in the same bench run; refused unless the server listens on loopback.
     */
    enabled: z.boolean(),
    /** true: GET /metrics answers without a key (for a Prometheus scraper on a private network). */
    publicMetrics: z.boolean(),
    /** Tier of the `default` tenant created on first start. */
    bootstrapTier: tierSchema,
    /** Random bytes in a generated key (base64url-encoded after its prefix). */
    keyBytes: z.number().int().min(16).max(64),
    /** Authenticated keys kept in memory (so a request costs a map lookup, not an HMAC). */
    keyCacheEntries: z.number().int().min(1),
    /** Keys' last-used times are written to the store at most this often. */
    lastUsedFlushMs: z.number().int().min(100),
    rateLimits: z.object({ basic: tierLimitsSchema, premium: tierLimitsSchema, enterprise: tierLimitsSchema }).strict(),
  })
  .strict();

export type AccessConfig = z.infer<typeof accessSchema>;
export type BucketConfig = z.infer<typeof bucketSchema>;
export type TierLimits = z.infer<typeof tierLimitsSchema>;
