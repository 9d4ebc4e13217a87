/**
 * Rollups (issue 7): hourly and daily count, sum, avg, min, max, p50, p95, p99 from the rings and
 * the workers' mergeable quantile sketches — counts and sums exact, quantiles within 1 % of the
 * exact values of the stream — and the period-over-period comparison (revenue, orders, average
 * order value, conversion = SALE/VIEW).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, postJson, getJson, type TestServer } from '../helpers/server.js';
import { mulberry32 } from '../../dist/bench/prng.js';

const kHourMs = 3_600_000;
const kDayMs = 24 * kHourMs;
const kHours = 3;
const kSalesPerHour = 4_000;
const kViewsPerHour = [9_000, 12_000, 10_000];
const kBatch = 5_000;
const kTolerance = 0.01;

let server: TestServer;
/** Yesterday 09:00–12:00 UTC: whole hours inside one day, well inside every ring. */
const day = Math.floor((Date.now() - kDayMs) / kDayMs) * kDayMs;
const hour0 = day + 9 * kHourMs;
const sales: number[][] = [];

/** The rank the sketch answers for quantile q (floor(q (n − 1))), on sorted exact values. */
function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))];
}

beforeAll(async () => {
  // flushes in slices of a few deltas: every rollup query's flush takes several worker round trips
  server = await startTestServer({ rollup: { flushMs: 60_000, flushSliceDeltas: 3 } });
  const rand = mulberry32(42);
  // twenty other sellers seen first take the lower slots of both shards, so shop-r's sketches come in a
  // later slice of each flush
  const fillers = Array.from({ length: 20 }, (_, f) => ({ sellerId: `filler-${f}`, timestamp: hour0 + (f % kHours) * kHourMs, type: 'SALE', value: 1 + f }));
  expect((await postJson(server.base, '/events/batch', fillers)).status).toBe(202);
  const events: Record<string, unknown>[] = [];
  for (let h = 0; h < kHours; h++) {
    const values: number[] = [];
    for (let i = 0; i < kSalesPerHour; i++) {
      // lognormal-ish prices in cents: exact in value units
      const cents = Math.max(1, Math.round(Math.exp(3.5 + 1.1 * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())) * 100));
      values.push(cents);
      events.push({ sellerId: 'shop-r', timestamp: hour0 + h * kHourMs + Math.floor((i / kSalesPerHour) * kHourMs), type: 'SALE', value: cents / 100 });
    }
    sales.push(values);
    for (let i = 0; i < kViewsPerHour[h]; i++) events.push({ sellerId: 'shop-r', timestamp: hour0 + h * kHourMs + Math.floor(rand() * kHourMs), type: 'VIEW' });
  }
  for (let i = 0; i < events.length; i += kBatch) expect((await postJson(server.base, '/events/batch', events.slice(i, i + kBatch))).status).toBe(202);
});
afterAll(async () => server?.close());

function check(bucket: Record<string, number>, cents: number[]): void {
  const sorted = [...cents].sort((a, b) => a - b);
  expect(bucket.count).toBe(cents.length);
  expect(Math.round(bucket.sum * 100)).toBe(cents.reduce((a, b) => a + b, 0));
  expect(bucket.avg).toBeCloseTo(bucket.sum / bucket.count, 9);
  expect(bucket.min).toBeCloseTo(sorted[0] / 100, 1);
  expect(bucket.max).toBeGreaterThan((sorted[sorted.length - 1] / 100) * (1 - kTolerance));
  for (const [q, key] of [[0.5, 'p50'], [0.95, 'p95'], [0.99, 'p99']] as const) {
    const exact = exactQuantile(sorted, q) / 100;
    expect(Math.abs(bucket[key] - exact) / exact, `${key}: ${bucket[key]} vs ${exact}`).toBeLessThanOrEqual(kTolerance);
  }
}

describe('rollups', () => {
  it('rolls up hours: counts and sums exact, quantiles within 1 %', async () => {
    const r = await getJson(server.base, `/metrics/shop-r/rollups?granularity=hourly&type=SALE&from=${hour0}&to=${hour0 + kHours * kHourMs}`);
    expect(r.status).toBe(200);
    const buckets = r.body.series[0].buckets;
    expect(buckets.map((b: { start: number }) => b.start)).toEqual([0, 1, 2].map((h) => hour0 + h * kHourMs));
    buckets.forEach((b: Record<string, number>, h: number) => check(b, sales[h]));
  });

  it('merges hours into a day with the same guarantees', async () => {
    const r = await getJson(server.base, `/metrics/shop-r/rollups?granularity=daily&type=SALE&from=${day}&to=${day + kDayMs}`);
    const [b] = r.body.series[0].buckets;
    expect(b.start).toBe(day);
    check(b, sales.flat());
  });

  it('counts types whose values are not sketched, without quantiles', async () => {
    const r = await getJson(server.base, `/metrics/shop-r/rollups?granularity=hourly&type=VIEW&from=${hour0}&to=${hour0 + kHours * kHourMs}`);
    const s = r.body.series[0];
    expect(s.sketched).toBe(false);
    expect(s.buckets.map((b: { count: number }) => b.count)).toEqual(kViewsPerHour);
    expect(s.buckets[0].p50).toBeNull();
  });

  it('compares this period with the previous one: revenue, orders, AOV, conversion', async () => {
    const r = await getJson(server.base, `/metrics/shop-r/rollups?granularity=hourly&from=${hour0}&to=${hour0 + kHours * kHourMs}`);
    expect(r.body.series.map((s: { type: string }) => s.type)).toEqual(['SALE', 'CLICK', 'VIEW']);
    const c = r.body.comparison;
    const revenue = (h: number) => sales[h].reduce((a, b) => a + b, 0) / 100;
    expect(c.current).toMatchObject({ start: hour0 + 2 * kHourMs, orders: kSalesPerHour });
    expect(c.current.revenue).toBeCloseTo(revenue(2), 6);
    expect(c.previous.revenue).toBeCloseTo(revenue(1), 6);
    expect(c.current.averageOrderValue).toBeCloseTo(revenue(2) / kSalesPerHour, 6);
    expect(c.current.conversionRate).toBeCloseTo(kSalesPerHour / kViewsPerHour[2], 9);
    expect(c.change.conversionRate).toBeCloseTo((kSalesPerHour / kViewsPerHour[2]) / (kSalesPerHour / kViewsPerHour[1]) - 1, 9);
    expect(c.change.revenue).toBeCloseTo(revenue(2) / revenue(1) - 1, 9);
  });

  it('refuses bad ranges and unknown sellers', async () => {
    expect((await getJson(server.base, `/metrics/shop-r/rollups?granularity=hourly&from=${hour0}&to=${hour0 - 1}`)).status).toBe(400);
    expect((await getJson(server.base, `/metrics/shop-r/rollups?granularity=minutely`)).status).toBe(400);
    expect((await getJson(server.base, `/metrics/nobody/rollups`)).status).toBe(404);
    expect((await getJson(server.base, `/metrics/shop-r/rollups?granularity=hourly&from=0&to=${Date.now()}`)).status).toBe(400);
  });
});
