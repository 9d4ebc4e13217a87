/**
 * Pricing tiers (issue 7): the data-driven table that recommends a tier for a seller, and each
 * tier's opinionated defaults. Part of the one config schema as `pricing`.
 */
import { z } from 'zod';
import { tierSchema } from './access-schema.js';

export const kPricingSignals = ['alertsPerMonth', 'highSeverityShare', 'predictionError', 'eventsPerHour'] as const;

/** One signal's row: the lowest tier that covers a value; thresholds ascending. */
export const pricingRuleSchema = z
  .object({
    signal: z.enum(kPricingSignals),
    thresholds: z.array(z.object({ atLeast: z.number().min(0), tier: tierSchema }).strict()).min(1),
    /** Why a higher tier helps at this signal (shown with the recommendation). */
    because: z.string().min(1),
  })
  .strict()
  .refine((r) => r.thresholds[0].atLeast === 0 && r.thresholds.every((t, i) => i === 0 || t.atLeast > r.thresholds[i - 1].atLeast), 'thresholds start at 0 and ascend');

export const pricingSchema = z
  .object({
    /** Alerts and severity are counted over this many days (and scaled to a 30-day month). */
    windowDays: z.number().positive(),
    /** Event type whose forecast accuracy is measured (its default metric, the seller's activity resolution). */
    predictionType: z.string(),
    rules: z.array(pricingRuleSchema).min(1),
    /** Levels counted as high severity. */
    highSeverityLevels: z.array(z.enum(['info', 'warning', 'high', 'critical'])).min(1),
    /** Opinionated per-tier defaults beyond thresholds, retention and rate limits (which live in their own sections). */
    tierDefaults: z.object({
      basic: z.object({ insightDepth: z.enum(['summary', 'detailed', 'full']), embedWatermark: z.enum(['light', 'reduced', 'none']) }).strict(),
      premium: z.object({ insightDepth: z.enum(['summary', 'detailed', 'full']), embedWatermark: z.enum(['light', 'reduced', 'none']) }).strict(),
      enterprise: z.object({ insightDepth: z.enum(['summary', 'detailed', 'full']), embedWatermark: z.enum(['light', 'reduced', 'none']) }).strict(),
    }).strict(),
  })
  .strict();

export type PricingConfig = z.infer<typeof pricingSchema>;
export type PricingSignal = (typeof kPricingSignals)[number];

export function defaultPricingConfig(): PricingConfig {
  return {
    windowDays: 30,
    predictionType: 'SALE',
    highSeverityLevels: ['high', 'critical'],
    rules: [
      { signal: 'alertsPerMonth', thresholds: [{ atLeast: 0, tier: 'basic' }, { atLeast: 10, tier: 'premium' }, { atLeast: 100, tier: 'enterprise' }], because: 'more alerts need lower thresholds, webhooks at volume and longer history to triage' },
      { signal: 'highSeverityShare', thresholds: [{ atLeast: 0, tier: 'basic' }, { atLeast: 0.2, tier: 'premium' }, { atLeast: 0.5, tier: 'enterprise' }], because: 'frequent severe alerts call for detailed insights and faster escalation' },
      { signal: 'predictionError', thresholds: [{ atLeast: 0, tier: 'basic' }, { atLeast: 0.25, tier: 'premium' }, { atLeast: 0.5, tier: 'enterprise' }], because: 'hard-to-forecast sellers benefit from full insight depth and longer retention for seasonality' },
      { signal: 'eventsPerHour', thresholds: [{ atLeast: 0, tier: 'basic' }, { atLeast: 3_600, tier: 'premium' }, { atLeast: 360_000, tier: 'enterprise' }], because: 'real-time streams need second-level analysis and higher ingest limits' },
    ],
    tierDefaults: {
      basic: { insightDepth: 'summary', embedWatermark: 'light' },
      premium: { insightDepth: 'detailed', embedWatermark: 'reduced' },
      enterprise: { insightDepth: 'full', embedWatermark: 'none' },
    },
  };
}
