/**
 * Insights, alerts, the monitor that evaluates sellers for them, and decision hooks (issue 6,
 * DESIGN §6–9). Part of the one config schema (./schema.ts) as `monitor`, `insights`, `alerts`,
 * `hooks`. Every threshold, table, TTL and cooldown the alerting code uses is here.
 */
import { z } from 'zod';

const probability = z.number().finite().min(0).max(1);
const ms = z.number().int().min(1);
const tierTable = <T extends z.ZodType>(t: T) => z.object({ basic: t, premium: t, enterprise: t }).strict();

export const kComponentNames = ['deviation', 'periodic', 'complexity', 'trend'] as const;
export const kInsightKinds = ['spike', 'drop', 'rising_trend', 'declining_trend', 'automated_traffic', 'irregular_pattern'] as const;
export const kAlertTypes = ['potential_spike', 'declining_trend', 'pattern_shift'] as const;
export const kHookPoints = ['pre-anomaly', 'post-anomaly', 'pre-prediction', 'post-prediction', 'alert-trigger'] as const;

export const monitorSchema = z
  .object({
    enabled: z.boolean(),
    /** How often the monitor evaluates sellers (anomaly analysis → insights and alerts). */
    intervalMs: ms,
    /** Sellers evaluated per sweep at most (round robin over the directory): bounds the analysis load. */
    maxSellersPerSweep: z.number().int().min(1),
    /** Event types watched (names; each analysed with its default metric at the seller's activity resolution). */
    types: z.array(z.string()).min(1),
  })
  .strict();

/**
 * An insight kind is observed when one anomaly component's probability reaches `minProbability`
 * with the given sign (deviation: its direction; trend and complexity: the sign of their z; periodic:
 * a stronger cycle than usual). Its probability is that component's probability, combined with the
 * overall anomaly score when `withScore` (independent evidence: 1 − (1 − p)(1 − score)).
 */
export const insightKindSchema = z
  .object({
    kind: z.enum(kInsightKinds),
    component: z.enum(kComponentNames),
    sign: z.enum(['up', 'down', 'any']),
    minProbability: probability,
    /** Optional second condition: another component's sign (e.g. automated traffic = a new strong cycle AND more volume). */
    alsoComponent: z.enum(kComponentNames).nullable(),
    alsoSign: z.enum(['up', 'down', 'any']),
    withScore: z.boolean(),
    /** A Generated or Confirmed insight expires this long after it was last observed. */
    ttlMs: ms,
  })
  .strict();

export const insightsSchema = z
  .object({
    kinds: z.array(insightKindSchema).min(1),
    /** Re-observations whose periodic peak differs by more than this fraction are a new insight (the old one is Superseded). */
    periodTolerance: z.number().finite().min(0).max(1),
    /** Transitions kept per insight (oldest dropped beyond). */
    maxTransitions: z.number().int().min(4),
    /** Stored insights live this long after they end (retention). */
    retentionDays: z.number().positive(),
  })
  .strict();

export const alertLevelSchema = z.object({ minScore: probability, level: z.enum(['info', 'warning', 'high', 'critical']) }).strict();

/**
 * Alert type from context (never a trigger): the first rule matching the component with the largest
 * attribution and that component's sign (deviation: its direction; trend, complexity: the sign of
 * their z; periodic: up); `fallbackType` otherwise.
 */
export const alertTypeRuleSchema = z
  .object({
    type: z.enum(kAlertTypes),
    dominant: z.array(z.enum(kComponentNames)).min(1),
    direction: z.enum(['up', 'down', 'any']),
  })
  .strict();

export const alertsSchema = z
  .object({
    /** The one trigger: anomaly score ≥ the tenant tier's threshold (with sufficient data). */
    thresholds: tierTable(probability),
    /** Level by score, highest minScore first; a table, not conditionals. */
    levels: z.array(alertLevelSchema).min(1),
    typeRules: z.array(alertTypeRuleSchema),
    fallbackType: z.enum(kAlertTypes),
    /** After an alert of a type for a seller, no new one of that type for this long (while one is open, repeats only update it). */
    cooldownMs: ms,
    retentionDays: z.number().positive(),
    maxBulk: z.number().int().min(1),
  })
  .strict();

export const hookSchema = z
  .object({
    name: z.string().min(1).max(100),
    points: z.array(z.enum(kHookPoints)).min(1),
    /** An ES module (path, resolved from the working directory) exporting `default async (point, context) => decision`. */
    module: z.string().min(1).optional(),
    /** Or an HTTP endpoint POSTed {point, context}, answering the decision as JSON. */
    url: z.url({ protocol: /^https?$/ }).optional(),
    timeoutMs: ms,
  })
  .strict()
  .refine((h) => (h.module === undefined) !== (h.url === undefined), 'a hook has exactly one of module or url');

export const hooksSchema = z.object({ hooks: z.array(hookSchema) }).strict();

export type MonitorConfig = z.infer<typeof monitorSchema>;
export type InsightsConfig = z.infer<typeof insightsSchema>;
export type InsightKindConfig = z.infer<typeof insightKindSchema>;
export type AlertsConfig = z.infer<typeof alertsSchema>;
export type HookConfig = z.infer<typeof hookSchema>;
export type InsightKind = (typeof kInsightKinds)[number];
export type AlertType = (typeof kAlertTypes)[number];
export type HookPoint = (typeof kHookPoints)[number];

const kMinute = 60_000;
const kHour = 60 * kMinute;

export function defaultAlertingConfig(): { monitor: MonitorConfig; insights: InsightsConfig; alerts: AlertsConfig; hooks: z.infer<typeof hooksSchema> } {
  const kind = (k: InsightKindConfig['kind'], component: InsightKindConfig['component'], sign: InsightKindConfig['sign'], ttlMs: number, also: [InsightKindConfig['alsoComponent'], InsightKindConfig['alsoSign']] = [null, 'any']): InsightKindConfig => ({
    kind: k, component, sign, minProbability: 0.9, alsoComponent: also[0], alsoSign: also[1], withScore: true, ttlMs,
  });
  return {
    monitor: { enabled: true, intervalMs: 10_000, maxSellersPerSweep: 2_000, types: ['SALE', 'CLICK', 'VIEW'] },
    insights: {
      kinds: [
        kind('automated_traffic', 'periodic', 'up', 6 * kHour, ['deviation', 'up']),
        kind('spike', 'deviation', 'up', 2 * kHour),
        kind('drop', 'deviation', 'down', 2 * kHour),
        kind('rising_trend', 'trend', 'up', 12 * kHour),
        kind('declining_trend', 'trend', 'down', 12 * kHour),
        kind('irregular_pattern', 'complexity', 'up', 6 * kHour),
      ],
      periodTolerance: 0.2,
      maxTransitions: 32,
      retentionDays: 90,
    },
    alerts: {
      thresholds: { basic: 0.95, premium: 0.9, enterprise: 0.85 },
      levels: [{ minScore: 0.99, level: 'critical' }, { minScore: 0.95, level: 'high' }, { minScore: 0.9, level: 'warning' }, { minScore: 0, level: 'info' }],
      typeRules: [
        { type: 'declining_trend', dominant: ['trend', 'deviation'], direction: 'down' },
        { type: 'pattern_shift', dominant: ['periodic', 'complexity'], direction: 'any' },
        { type: 'potential_spike', dominant: ['deviation', 'trend'], direction: 'up' },
      ],
      fallbackType: 'potential_spike',
      cooldownMs: 30 * kMinute,
      retentionDays: 365,
      maxBulk: 500,
    },
    hooks: { hooks: [] },
  };
}
