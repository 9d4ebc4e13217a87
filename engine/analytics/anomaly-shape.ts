/**
 * The two components that compare the SHAPE of the recent window with windows of the history
 * (same length, ending every historyStride buckets before it):
 *
 * (b) periodic spike, on the detail signal (series minus its zero-phase FIR smooth: level, trend
 *     and slow cycles removed, so a level shift is not mistaken for a line). Per window: power
 *     spectrum of the zero-padded window over the frequencies that repeat at least minCycles times
 *     in it; statistic ln(max power / median power) — a line in an otherwise flat spectrum (a bot
 *     clicking every P buckets) makes it large; noise, spikes and steps do not.
 *     z = (recent - median over history windows) / robust spread; only z > 0 is evidence.
 * (c) complexity, on the series itself minus each window's OLS line. Per window: Higuchi fractal
 *     dimension (kmax from config). Organic noise is close to 2; traffic that comes in bursts of
 *     irregular length (a bot switching on and off) has persistence and pulls it down, alternation
 *     pushes it up. z as above; both signs are evidence.
 *
 * A window that is flat (RMS about its mean <= flatTolerance × series scale) has no statistic;
 * the component is unavailable when the recent window has none or fewer than minHistoryWindows
 * history windows have one.
 */
import type { DspKernels } from '../../dsp-wasm/host/types.js';
import type { AnomalyConfig } from '../../config/analytics-schema.js';
import type { ComplexityDetails, PeriodicDetails } from './anomaly-types.js';
import { finiteOr, median, robustLocation } from './robust-stats.js';
import { historyWindowStarts } from './signal.js';

interface ShapeStat<D> {
  available: boolean;
  statistic: number;
  details: D;
}

/** w minus its OLS line (in place; returns w). */
function detrend(w: Float64Array, dsp: DspKernels): Float64Array {
  const n = w.length;
  const slope = dsp.trendSlope(w);
  let m = 0;
  for (const v of w) m += v;
  m /= n;
  const b = Number.isFinite(slope) ? slope : 0;
  for (let i = 0; i < n; i++) w[i] -= m + b * (i - (n - 1) / 2);
  return w;
}

function isFlat(w: Float64Array, flatLevel: number): boolean {
  let m = 0;
  for (const v of w) m += v;
  m /= w.length;
  let s = 0;
  for (const v of w) s += (v - m) * (v - m);
  return !(Math.sqrt(s / w.length) > flatLevel);
}

/**
 * ln(peak / median) of the detail power spectrum over the admissible frequencies, and the period
 * of the peak. The window (mean removed) is zero-padded to padFactor × its length and on to a power
 * of two, so a period that does not divide the window length still shows its full peak instead of
 * leaking into two bins.
 */
function peakRatio(w: Float64Array, cfg: AnomalyConfig['periodic'], dsp: DspKernels): { logRatio: number; period: number } {
  const padded = new Float64Array(w.length * cfg.padFactor);
  let m = 0;
  for (const v of w) m += v;
  m /= w.length;
  for (let i = 0; i < w.length; i++) padded[i] = w[i] - m;
  const mag = dsp.rfftMagPadPow2(padded);
  const nt = 2 * (mag.length - 1);
  const first = Math.ceil((cfg.minCycles * nt) / w.length);
  const last = mag.length - 1;
  const power = new Float64Array(last - first + 1);
  let peak = -1;
  let bin = first;
  let total = 0;
  for (let k = first; k <= last; k++) {
    const p = mag[k] * mag[k];
    power[k - first] = p;
    total += p;
    if (p > peak) {
      peak = p;
      bin = k;
    }
  }
  const floor = (cfg.powerFloor * total) / power.length;
  const med = Math.max(median(power), floor);
  return { logRatio: med > 0 ? Math.log(peak / med) : NaN, period: nt / bin };
}

export interface ShapeInput {
  /** The (seasonally adjusted) series. */
  raw: Float64Array;
  /** Series minus its zero-phase smooth. */
  detail: Float64Array;
  historyEnd: number;
  /** Windows with an RMS about their mean at or below this are flat. */
  flatLevel: number;
}

type WindowStat = (w: Float64Array, isRecent: boolean) => number;

/** The statistic of the recent window and of every history window (NaN for flat windows). */
function windowStats(signal: Float64Array, input: ShapeInput, cfg: AnomalyConfig, stat: WindowStat): { recent: number; history: Float64Array } {
  const r = cfg.recentWindow;
  const { historyEnd, flatLevel } = input;
  const evaluate = (start: number, isRecent: boolean): number => {
    const w = signal.slice(start, start + r);
    return isFlat(w, flatLevel) ? NaN : stat(w, isRecent);
  };
  const starts = historyWindowStarts(historyEnd, r, cfg.historyStride);
  return { recent: evaluate(historyEnd, true), history: Float64Array.from(starts, (s) => evaluate(s, false)) };
}

export function periodicStatistic(input: ShapeInput, cfg: AnomalyConfig, dsp: DspKernels): ShapeStat<PeriodicDetails> {
  let recentPeriod = 0;
  const { recent, history } = windowStats(input.detail, input, cfg, (w, isRecent) => {
    const { logRatio, period } = peakRatio(w, cfg.periodic, dsp);
    if (isRecent) recentPeriod = period;
    return logRatio;
  });
  const loc = robustLocation(history, cfg.periodic.scaleFloor);
  const available = Number.isFinite(recent) && loc.count >= cfg.minHistoryWindows;
  const z = available ? finiteOr((recent - loc.centre) / loc.spread, 0) : 0;
  return {
    available,
    statistic: Math.max(0, z),
    details: {
      recentLogRatio: Number.isFinite(recent) ? recent : null,
      peakPeriod: recentPeriod > 0 ? recentPeriod : null,
      historyCentre: loc.count > 0 ? loc.centre : null,
      historySpread: loc.count > 0 ? loc.spread : null,
      historyWindows: loc.count,
      z,
    },
  };
}

export function complexityStatistic(input: ShapeInput, cfg: AnomalyConfig, dsp: DspKernels): ShapeStat<ComplexityDetails> {
  const kmax = cfg.complexity.kmax;
  const { recent, history } = windowStats(input.raw, input, cfg, (w) => dsp.hfd(detrend(w, dsp), kmax));
  const loc = robustLocation(history, cfg.complexity.scaleFloor);
  const available = Number.isFinite(recent) && loc.count >= cfg.minHistoryWindows;
  const z = available ? finiteOr((recent - loc.centre) / loc.spread, 0) : 0;
  return {
    available,
    statistic: Math.abs(z),
    details: {
      recentHfd: Number.isFinite(recent) ? recent : null,
      historyCentre: loc.count > 0 ? loc.centre : null,
      historySpread: loc.count > 0 ? loc.spread : null,
      historyWindows: loc.count,
      z,
    },
  };
}
