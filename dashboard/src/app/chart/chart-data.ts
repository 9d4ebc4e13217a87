/**
 * History, forecast and band on one time axis for uPlot: x = bucket starts (ms) of the series, then
 * the forecast's timestamps; the forecast and its band start at the last history point before it,
 * so the two lines join at the cutoff. Anomaly marks snap to the nearest history bucket.
 */
import type { AlignedData } from 'uplot';
import type { PredictionResult, SeriesResult } from '../../shared/api-types.js';

export interface ChartInput {
  series: SeriesResult;
  metric: 'count' | 'sum';
  prediction: PredictionResult | null;
  /** Timestamps (ms) of anomalies. */
  marks: number[];
}

export interface ChartData {
  data: AlignedData;
  historyCount: number;
  forecastCount: number;
  cutoff: number | null;
  /** History indices marked anomalous. */
  markIdx: number[];
}

/** Index of the last x ≤ t (−1 if none). */
export function floorIndex(xs: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= t) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

export function chartData(input: ChartInput): ChartData {
  const b = input.series.buckets;
  const n = b.length;
  const lastX = n > 0 ? b[n - 1].start : Number.NEGATIVE_INFINITY;
  const pts = input.prediction?.predictions ?? [];
  // forecast buckets after the series are appended; one that the ring already holds (the newest,
  // still-filling bucket starts at the cutoff) shares its x with the history
  const extra = pts.filter((p) => p.timestamp > lastX);
  const total = n + extra.length;
  const xs = new Array<number>(total);
  const hist = new Array<number | null>(total).fill(null);
  const fc = new Array<number | null>(total).fill(null);
  const lo = new Array<number | null>(total).fill(null);
  const hi = new Array<number | null>(total).fill(null);
  for (let i = 0; i < n; i++) {
    xs[i] = b[i].start;
    hist[i] = input.metric === 'sum' ? b[i].sum : b[i].count;
  }
  extra.forEach((p, j) => (xs[n + j] = p.timestamp));
  let placed = 0;
  for (const p of pts) {
    const i = floorIndex(xs, p.timestamp);
    if (i < 0 || xs[i] !== p.timestamp) continue;
    fc[i] = p.value;
    lo[i] = p.lower ?? p.value;
    hi[i] = p.upper ?? p.value;
    placed++;
  }
  // the forecast and its band start from the last history point before the first forecast bucket
  const join = pts.length > 0 ? floorIndex(xs, pts[0].timestamp - 1) : -1;
  if (join >= 0 && join < n && fc[join] === null) fc[join] = lo[join] = hi[join] = hist[join];
  const histXs = xs.slice(0, n);
  const markIdx = [...new Set(input.marks.map((m) => floorIndex(histXs, m)).filter((i) => i >= 0 && xs[i] >= input.series.timeWindow.startTimestamp))];
  return {
    data: [xs, hist, fc, lo, hi],
    historyCount: n,
    forecastCount: placed,
    cutoff: placed > 0 ? input.prediction!.historicalCutoff : null,
    markIdx,
  };
}
