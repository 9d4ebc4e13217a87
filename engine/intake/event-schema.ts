/**
 * The event contract as a zod schema (DESIGN §2): the declarative specification of what the
 * hand-written EventGuard accepts. Not used per event; used by the property test that proves the
 * two agree, by documentation (OpenAPI) and at other boundaries that are not hot.
 */
import { z } from 'zod';
import type { Config } from '../../config/index.js';
import { kSellerIdPattern } from './seller-id.js';
import { kIsoTimestamp, kEventIdPattern } from './event-guard.js';
import { SellerIdRules, SellerIdCheck } from './seller-id.js';

export interface NormalisedEvent {
  sellerId: string;
  timestamp: number;
  type: number;
  units: number;
  eventId: string | undefined;
  late: boolean;
}

/**
 * `nowMs` null: the schema for documentation (OpenAPI), without the future-skew bound that moves
 * with the clock.
 */
export function makeEventSchema(config: Readonly<Config>, longestWindowMs: number, nowMs: number | null) {
  const typeNames = config.events.types.map((t) => t.name);
  const rules = new SellerIdRules(config.events.phoneLikeDigits);
  const ev = config.events;
  const notTooFar = (n: z.ZodNumber) => (nowMs === null ? n : n.max(nowMs + ev.futureSkewMs, `at most ${ev.futureSkewMs} ms ahead of the server clock`));
  return z
    .object({
      sellerId: z
        .string()
        .regex(kSellerIdPattern)
        .refine((s) => rules.check(s) === SellerIdCheck.Ok, 'seller ID looks like a direct identifier'),
      timestamp: z.union([
        notTooFar(z.number().int().nonnegative()),
        z
          .string()
          .regex(kIsoTimestamp)
          .transform((s) => Date.parse(s))
          .pipe(notTooFar(z.number().int().nonnegative())),
      ]),
      type: z.enum(typeNames as [string, ...string[]]),
      value: z.number().finite().nonnegative().max(ev.maxValue).optional(),
      eventId: z.string().min(1).max(ev.maxEventIdLength).regex(kEventIdPattern).optional(),
    })
    .passthrough()
    .superRefine((e, ctx) => {
      const type = typeNames.indexOf(e.type);
      if (e.value === undefined && config.events.types[type].defaultValue === null) {
        ctx.addIssue({ code: 'custom', path: ['value'], message: 'value is required for this event type' });
      }
    })
    .transform((e): NormalisedEvent => {
      const type = typeNames.indexOf(e.type);
      const value = e.value ?? (config.events.types[type].defaultValue as number);
      return {
        sellerId: e.sellerId,
        timestamp: e.timestamp,
        type,
        units: Math.round(value * ev.valueScale),
        eventId: e.eventId,
        late: nowMs !== null && e.timestamp < nowMs - longestWindowMs,
      };
    });
}
