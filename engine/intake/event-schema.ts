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

export function makeEventSchema(config: Readonly<Config>, longestWindowMs: number, nowMs: number) {
  const typeNames = config.events.types.map((t) => t.name);
  const rules = new SellerIdRules(config.events.phoneLikeDigits);
  const ev = config.events;
  return z
    .object({
      sellerId: z
        .string()
        .regex(kSellerIdPattern)
        .refine((s) => rules.check(s) === SellerIdCheck.Ok, 'seller ID looks like a direct identifier'),
      timestamp: z.union([
        z.number().int().nonnegative().max(nowMs + ev.futureSkewMs),
        z
          .string()
          .regex(kIsoTimestamp)
          .transform((s) => Date.parse(s))
          .pipe(z.number().int().nonnegative().max(nowMs + ev.futureSkewMs)),
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
        late: e.timestamp < nowMs - longestWindowMs,
      };
    });
}
