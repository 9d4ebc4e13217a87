/**
 * Synthetic events and pre-built request bodies. Deterministic (seeded PRNG) so two runs send the
 * same bytes; timestamps are recent (now minus up to the configured spread) so the engine accepts
 * them.
 */
import { mulberry32 } from './prng.js';
import { benchConfig } from './bench-config.js';

export interface BenchEvent {
  sellerId: string;
  timestamp: number;
  type: string;
  value: number;
}

/** A seeded PRNG returning floats in [0, 1). */
export const seededRandom = mulberry32;

/** Seller ids valid for the engine (letter first, never phone- or e-mail-like). */
export function sellerIds(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}s${i}`);
}

export interface EventSpec {
  count: number;
  sellers: readonly string[];
  nowMs: number;
  seed: number;
  /** Index of the first event's seller, so successive small frames rotate over the sellers. */
  sellerOffset?: number;
}

/** Events spread round-robin over the sellers and the event types, with random recent timestamps. */
export function makeEvents(spec: EventSpec): BenchEvent[] {
  const { fixtures } = benchConfig;
  const rand = seededRandom(spec.seed);
  const decimals = 10 ** fixtures.valueDecimals;
  const types = fixtures.eventTypes;
  const offset = spec.sellerOffset ?? 0;
  const out = new Array<BenchEvent>(spec.count);
  for (let i = 0; i < spec.count; i++) {
    out[i] = {
      sellerId: spec.sellers[(offset + i) % spec.sellers.length],
      timestamp: spec.nowMs - Math.floor(rand() * fixtures.timestampSpreadMs),
      type: types[(offset + i) % types.length],
      value: Math.round(rand() * fixtures.maxValue * decimals) / decimals,
    };
  }
  return out;
}

/** Number of events of each configured type in `events` (indexed like benchConfig.fixtures.eventTypes). */
export function countByType(events: readonly BenchEvent[]): number[] {
  const types = benchConfig.fixtures.eventTypes;
  const counts = types.map(() => 0);
  for (const e of events) counts[types.indexOf(e.type)]++;
  return counts;
}

export interface HttpBody {
  /** Scenario suffix: "single" or "batch-<n>". */
  name: string;
  path: string;
  eventsPerRequest: number;
  json: string;
}

/** The JSON bodies of the HTTP scenarios: one event for POST /events, arrays for /events/batch. */
export function httpBodies(nowMs: number): HttpBody[] {
  const { fixtures, http } = benchConfig;
  const sellers = sellerIds('http', fixtures.sellers);
  const single = makeEvents({ count: 1, sellers, nowMs, seed: fixtures.seed })[0];
  const bodies: HttpBody[] = [{ name: 'single', path: '/events', eventsPerRequest: 1, json: JSON.stringify(single) }];
  for (const size of http.batchSizes) {
    const events = makeEvents({ count: size, sellers, nowMs, seed: fixtures.seed + size });
    bodies.push({ name: `batch-${size}`, path: '/events/batch', eventsPerRequest: size, json: JSON.stringify(events) });
  }
  return bodies;
}
