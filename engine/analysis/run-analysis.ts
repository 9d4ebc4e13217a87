/**
 * Runs one analysis on a seller's rings, in the shard worker that owns them (DESIGN §6): picks the
 * resolution by activity tier (smart sampling) unless asked, copies the ring once, drops the
 * newest bucket (still filling), clips to the requested time range and calls the analytics math.
 * Everything in the result is a function of the buckets and the config: deterministic bytes.
 */
import type { Config } from '../../config/index.js';
import type { DspKernels } from '../../dsp-wasm/host/types.js';
import type { RingStore } from '../ring/ring-store.js';
import {
  scoreAnomaly, forecast, forecastTimestamps, computeHealth, confidenceMessage, bucketUnit, type DataSufficiency,
} from '../analytics/index.js';
import { activityTier } from './activity-tier.js';
import { reproducibilityHash, kAlgorithmVersion } from './reproducibility.js';
import type { TimeWindow } from '../query/series.js';

export type AnalysisKind = 'anomaly' | 'prediction' | 'health';

export interface AnalysisRequest {
  kind: AnalysisKind;
  slot: number;
  type: number;
  /** -1: chosen by the seller's activity tier. */
  resolution: number;
  metric: 'count' | 'sum';
  horizon: number;
  /** Optional time range (epoch ms, [from, to)). */
  from: number | null;
  to: number | null;
}

export interface AnalysisReport {
  kind: AnalysisKind;
  configVersion: number;
  algorithmVersion: string;
  type: string;
  metric: 'count' | 'sum';
  resolution: string;
  tier: { name: string; eventsPerHour: number; ttlMs: number };
  timeWindow: TimeWindow;
  dataSufficiency: { status: DataSufficiency['status']; required: number; available: number };
  confidenceMessage: string;
  reproducibilityHash: string;
  result: unknown;
}

/** Sum of all types' counts at the activity resolution, newest last (input of the tier choice). */
function activityCounts(rings: RingStore, config: Readonly<Config>, slot: number): Float64Array {
  const res = config.rings.resolutions.findIndex((r) => r.name === config.sampling.activityResolution);
  const w = rings.geometry.window[res];
  const total = new Float64Array(w);
  const counts = new Float64Array(w);
  const sums = new Float64Array(w);
  for (let t = 0; t < rings.geometry.typeCount; t++) {
    rings.read(slot, t, res, counts, sums);
    for (let i = 0; i < w; i++) total[i] += counts[i];
  }
  return total;
}

export function runAnalysis(rings: RingStore, config: Readonly<Config>, configVersion: number, dsp: DspKernels, req: AnalysisRequest): AnalysisReport {
  const g = rings.geometry;
  const tier = activityTier(config, activityCounts(rings, config, req.slot));
  const resolution = req.resolution >= 0 ? req.resolution : tier.resolution;
  const window = g.window[resolution];
  const bucketMs = g.bucketMs[resolution];
  const counts = new Float64Array(window);
  const sums = new Float64Array(window);
  const head = rings.read(req.slot, req.type, resolution, counts, sums);
  // complete buckets only: the head bucket is still filling
  const newestStart = (head - 1) * bucketMs;
  let first = 0;
  let last = head === 0 ? 0 : window - 1; // exclusive; a seller without data here has no buckets
  const startOf = (i: number) => newestStart - (window - 2 - i) * bucketMs;
  if (req.from !== null) while (first < last && startOf(first) < req.from) first++;
  if (req.to !== null) while (last > first && startOf(last - 1) + bucketMs > req.to) last--;
  const series = new Float64Array(last - first);
  const scale = config.events.valueScale;
  for (let i = first; i < last; i++) series[i - first] = req.metric === 'sum' ? sums[i] / scale : counts[i];
  const timeWindow = { startTimestamp: startOf(first), endTimestamp: startOf(first) + series.length * bucketMs, windowSize: series.length, bucketMs };
  const a = config.analytics;
  let result: { dataSufficiency: DataSufficiency };
  let subject: 'score' | 'forecast' | 'health score';
  let volatilityScore: number | null = null;
  if (req.kind === 'anomaly') {
    result = scoreAnomaly(series, a, dsp);
    subject = 'score';
  } else if (req.kind === 'prediction') {
    const f = forecast(series, req.horizon, a, dsp);
    result = { ...f, timestamps: forecastTimestamps(timeWindow.endTimestamp, bucketMs, f.horizon), historicalCutoff: timeWindow.endTimestamp } as typeof f;
    subject = 'forecast';
  } else {
    const h = computeHealth(series, a, dsp);
    volatilityScore = h.breakdown.volatility.available ? h.breakdown.volatility.score : null;
    result = h;
    subject = 'health score';
  }
  const s = result.dataSufficiency;
  const request = { kind: req.kind, type: req.type, resolution, metric: req.metric, horizon: req.horizon, from: req.from, to: req.to };
  return {
    kind: req.kind,
    configVersion,
    algorithmVersion: kAlgorithmVersion,
    type: config.events.types[req.type].name,
    metric: req.metric,
    resolution: config.rings.resolutions[resolution].name,
    tier: { name: tier.name, eventsPerHour: tier.eventsPerHour, ttlMs: tier.ttlMs },
    timeWindow,
    dataSufficiency: { status: s.status, required: s.required, available: s.available },
    confidenceMessage: confidenceMessage(s, { unit: bucketUnit(bucketMs), subject, volatilityScore }, a),
    reproducibilityHash: reproducibilityHash(configVersion, a, request, [series]),
    result,
  };
}
