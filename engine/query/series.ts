/** Turns a ring copy from a shard into the series response of DESIGN §4. */
import type { Config } from '../../config/index.js';
import type { RingGeometry } from '../ring/layout.js';
import type { SeriesReply } from '../shard/messages.js';

export interface TimeWindow {
  startTimestamp: number;
  /** Exclusive end: the end of the newest bucket. */
  endTimestamp: number;
  windowSize: number;
  bucketMs: number;
}

export interface SeriesResult {
  timeWindow: TimeWindow;
  /** Oldest first; counts and sums (in value units) per bucket. */
  counts: Float64Array;
  sums: Float64Array;
  totalCount: number;
  totalSum: number;
}

export function readSeries(geometry: RingGeometry, config: Readonly<Config>, resolution: number, reply: SeriesReply): SeriesResult {
  const bucketMs = geometry.bucketMs[resolution];
  const window = geometry.window[resolution];
  const scale = config.events.valueScale;
  let totalCount = 0;
  let totalUnits = 0;
  const sums = new Float64Array(window);
  for (let i = 0; i < window; i++) {
    totalCount += reply.counts[i];
    totalUnits += reply.sums[i];
    sums[i] = reply.sums[i] / scale;
  }
  const start = (reply.head - window + 1) * bucketMs;
  return {
    timeWindow: { startTimestamp: start, endTimestamp: start + window * bucketMs, windowSize: window, bucketMs },
    counts: reply.counts,
    sums,
    totalCount,
    totalSum: totalUnits / scale,
  };
}
