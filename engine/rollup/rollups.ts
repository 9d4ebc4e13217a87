/**
 * Rollups (issue 7): hourly, daily and weekly count, sum, avg, min, max, p50, p95 and p99 of one
 * seller and event type, built from the hourly ring (count and sum: exact, integer units) and the
 * stored hourly quantile sketches (merged per bucket: min, max and quantiles within the sketch's
 * relative accuracy). No raw event is kept anywhere. Plus the period-over-period comparison.
 */
import type { Config } from '../../config/index.js';
import type { Engine } from '../index.js';
import type { Store } from '../store/store.js';
import { QuantileSketch } from './quantile-sketch.js';

export type Granularity = 'hourly' | 'daily' | 'weekly';

export interface RollupBucket {
  start: number;
  end: number;
  count: number;
  sum: number;
  avg: number | null;
  /** From the sketches (null for types whose values are not sketched, or no sketched value). */
  min: number | null;
  max: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface RollupSeries {
  type: string;
  sketched: boolean;
  buckets: RollupBucket[];
}

const kQuantiles = [0.5, 0.95, 0.99] as const;

/** Start of the bucket holding `t` (weeks are offset so they start on the configured weekday). */
export function bucketStart(t: number, granularityMs: number, offsetMs: number): number {
  return Math.floor((t - offsetMs) / granularityMs) * granularityMs + offsetMs;
}

export function granularityMs(config: Readonly<Config>, g: Granularity): { ms: number; offset: number } {
  return { ms: config.rollup.granularities[g], offset: g === 'weekly' ? config.rollup.weekOffsetMs : 0 };
}

/** Rollups of one type over [from, to) (aligned to whole buckets); undefined when the seller is unknown. */
export async function rollupSeries(engine: Engine, store: Store, sellerKey: string, type: number, g: Granularity, from: number, to: number): Promise<RollupSeries | undefined> {
  const config = engine.config;
  const hourMs = config.rollup.granularities.hourly;
  const hourRes = config.rings.resolutions.findIndex((r) => r.bucketMs === hourMs);
  if (hourRes < 0) throw new Error(`rollups need a ring of ${hourMs} ms buckets (rollup.granularities.hourly); the configured rings have none`);
  const series = await engine.series(sellerKey, type, hourRes);
  if (series === undefined) return undefined;
  const { ms, offset } = granularityMs(config, g);
  const first = bucketStart(from, ms, offset);
  const scale = config.events.valueScale;
  const typeName = config.events.types[type].name;
  const sketched = config.rollup.sketchTypes.includes(typeName);
  const count = new Map<number, number>();
  const units = new Map<number, number>();
  const w = series.timeWindow;
  for (let i = 0; i < series.counts.length; i++) {
    const t = w.startTimestamp + i * w.bucketMs;
    if (t < first || t >= to || series.counts[i] === 0) continue;
    const b = bucketStart(t, ms, offset);
    count.set(b, (count.get(b) ?? 0) + series.counts[i]);
    units.set(b, (units.get(b) ?? 0) + Math.round(series.sums[i] * scale));
  }
  const sketches = new Map<number, QuantileSketch>();
  if (sketched) {
    for (const { key, value } of store.rollupSketches.getRange({ start: [sellerKey, typeName, first], end: [sellerKey, typeName, to] })) {
      const b = bucketStart((key as [string, string, number])[2], ms, offset);
      const s = QuantileSketch.deserialize(value.bytes);
      const acc = sketches.get(b);
      if (acc === undefined) sketches.set(b, s);
      else acc.merge(s);
    }
  }
  const buckets: RollupBucket[] = [];
  for (let b = first; b < to && buckets.length < config.rollup.maxBuckets; b += ms) {
    const n = count.get(b) ?? 0;
    const sum = (units.get(b) ?? 0) / scale;
    const s = sketches.get(b);
    const q = (x: number) => (s === undefined || s.count === 0 ? null : s.quantile(x) / scale);
    buckets.push({
      start: b, end: b + ms, count: n, sum, avg: n === 0 ? null : sum / n,
      min: s === undefined || s.count === 0 ? null : s.min / scale, max: s === undefined || s.count === 0 ? null : s.max / scale,
      p50: q(kQuantiles[0]), p95: q(kQuantiles[1]), p99: q(kQuantiles[2]),
    });
  }
  return { type: typeName, sketched, buckets };
}

export interface PeriodFigures {
  start: number;
  end: number;
  revenue: number;
  orders: number;
  averageOrderValue: number | null;
  conversionRate: number | null;
}

function figures(orders: RollupBucket | undefined, visits: RollupBucket | undefined, start: number, end: number): PeriodFigures {
  const n = orders?.count ?? 0;
  const revenue = orders?.sum ?? 0;
  const v = visits?.count ?? 0;
  return { start, end, revenue, orders: n, averageOrderValue: n === 0 ? null : revenue / n, conversionRate: v === 0 ? null : n / v };
}

const change = (now: number | null, before: number | null) => (now === null || before === null || before === 0 ? null : (now - before) / before);

/**
 * This period (the bucket holding `to - 1`) against the one before: revenue, orders, AOV, conversion.
 * `known`: series the caller already rolled up at this granularity — reused when they hold both periods.
 */
export async function periodComparison(engine: Engine, store: Store, sellerKey: string, g: Granularity, to: number, known: readonly RollupSeries[] = []) {
  const config = engine.config;
  const { ms, offset } = granularityMs(config, g);
  const current = bucketStart(to - 1, ms, offset);
  const previous = current - ms;
  const typeIndex = (name: string) => config.events.types.findIndex((t) => t.name === name);
  const series = (name: string) => known.find((s) => s.type === name && s.buckets.some((b) => b.start === previous) && s.buckets.some((b) => b.start === current))
    ?? rollupSeries(engine, store, sellerKey, typeIndex(name), g, previous, current + ms);
  const [orders, visits] = await Promise.all([series(config.rollup.comparison.orderType), series(config.rollup.comparison.visitType)]);
  const at = (s: RollupSeries | undefined, start: number) => s?.buckets.find((b) => b.start === start);
  const now = figures(at(orders, current), at(visits, current), current, current + ms);
  const before = figures(at(orders, previous), at(visits, previous), previous, current);
  return {
    granularity: g,
    current: now,
    previous: before,
    change: {
      revenue: change(now.revenue, before.revenue), orders: change(now.orders, before.orders),
      averageOrderValue: change(now.averageOrderValue, before.averageOrderValue), conversionRate: change(now.conversionRate, before.conversionRate),
    },
  };
}
