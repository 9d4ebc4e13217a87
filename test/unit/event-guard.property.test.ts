/**
 * STYLE §8: the hand-written per-event guard and the zod event schema agree — on acceptance and
 * on the normalised event — for arbitrary inputs, valid and hostile.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadConfig } from '../../dist/config/index.js';
import { EventGuard, GuardedEvent } from '../../dist/engine/intake/event-guard.js';
import { makeEventSchema } from '../../dist/engine/intake/event-schema.js';
import { RingGeometry } from '../../dist/engine/ring/layout.js';

const config = loadConfig({ env: {} });
const geometry = new RingGeometry(config);
const now = Date.UTC(2026, 10, 22, 12, 0, 0);
const day = 86_400_000;
const kOk = 0;
const kLate = 1;

const sellerId = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/),
  fc.emailAddress(),
  fc.stringMatching(/^\+?[0-9][0-9 .-]{5,16}[0-9]$/),
  fc.string({ maxLength: 70 }),
  fc.integer(),
  fc.constant(undefined),
  fc.constant(null),
);
const timestamp = fc.oneof(
  fc.integer({ min: now - 200 * day, max: now + day }),
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.double({ noDefaultInfinity: false }),
  fc.date({ min: new Date(now - 200 * day), max: new Date(now + day), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.string({ maxLength: 30 }),
  fc.constantFrom('2026-11-22T12:00Z', '2026-11-22T12:00:00+02:00', '2026-02-30T00:00:00Z', String(now)),
  fc.constant(undefined),
  fc.constant(null),
);
const type = fc.oneof(fc.constantFrom('SALE', 'CLICK', 'VIEW', 'sale', 'RETURN'), fc.string({ maxLength: 8 }), fc.integer(), fc.constant(undefined));
const value = fc.oneof(
  fc.double({ min: 0, max: 1e6, noNaN: true }),
  fc.double(),
  fc.integer({ min: -10, max: 10 }),
  fc.constantFrom(1e8, 1e8 + 1, -0, 1e300),
  fc.string({ maxLength: 5 }),
  fc.constant(undefined),
  fc.constant(null),
);
const eventId = fc.oneof(fc.constant(undefined), fc.stringMatching(/^[\x21-\x7e]{1,140}$/), fc.string({ maxLength: 10 }), fc.integer());
const extra = fc.dictionary(fc.constantFrom('email', 'first_name', 'ip', 'note', 'Phone', 'x'), fc.anything(), { maxKeys: 3 });

/** Mostly well-formed events, so both the accepting and the rejecting side are exercised. */
const likely = <T, U>(valid: fc.Arbitrary<T>, any: fc.Arbitrary<U>) => fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: any, weight: 1 });
const event = fc.record({
  sellerId: likely(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.:-]{0,20}$/), sellerId),
  timestamp: likely(fc.integer({ min: now - 100 * day, max: now + 60_000 }), timestamp),
  type: likely(fc.constantFrom('SALE', 'CLICK', 'VIEW'), type),
  value: likely(fc.double({ min: 0, max: 1e6, noNaN: true }), value),
  eventId,
  extra,
}).map(({ extra: more, ...fields }) => {
  const out: Record<string, unknown> = { ...more };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out;
});

describe('EventGuard ⟺ zod event schema', () => {
  const guard = new EventGuard(config, geometry.longestWindowMs);
  guard.nowMs = now;
  const schema = makeEventSchema(config, geometry.longestWindowMs, now);

  it('agree on acceptance and on the normalised event', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(event, fc.anything()), (input) => {
        const out = new GuardedEvent();
        const status = guard.check(input, out);
        const parsed = schema.safeParse(input);
        expect(status === kOk || status === kLate).toBe(parsed.success);
        if (parsed.success) {
          accepted++;
          expect({ sellerId: out.sellerId, timestamp: out.timestamp, type: out.type, units: out.units, eventId: out.eventId, late: status === kLate })
            .toEqual(parsed.data);
        }
      }),
      { numRuns: 20_000, seed: 42 },
    );
    // the generators must reach the accepting side often enough for the property to mean something
    expect(accepted).toBeGreaterThan(500);
  });

  it('counts PII-looking fields by name and never keeps them', () => {
    const g = new EventGuard(config, geometry.longestWindowMs);
    g.nowMs = now;
    const out = new GuardedEvent();
    const status = g.check({ sellerId: 's1', timestamp: now, type: 'CLICK', Email: 'a@b.c', first_name: 'Jo', color: 'red' }, out);
    expect(status).toBe(kOk);
    expect(Object.keys(out).sort()).toEqual(['eventId', 'location', 'sellerId', 'timestamp', 'type', 'units', 'value']);
    expect(g.strip.piiByField.get('email')).toBe(1);
    expect(g.strip.piiByField.get('firstname')).toBe(1);
    expect(g.strip.unknownDropped).toBe(1);
    expect(out.units).toBe(config.events.valueScale);
  });
});
