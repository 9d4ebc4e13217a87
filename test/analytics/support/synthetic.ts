/**
 * Labelled synthetic seller series (seeded, deterministic).
 *
 * Base process: bucket counts ~ Poisson(λ_t · G_t) with G_t ~ Gamma(shape k, mean 1) (mild
 * over-dispersion, as real sales have), λ_t = base · (1 + a_d sin(2π t / day + φ_d))
 * · (1 + a_w sin(2π t / week + φ_w)). Minute buckets: day = 1440 (a ring of one day sees part of
 * the daily cycle). Hourly buckets: day = 24, week = 168.
 *
 * Scenarios are injected at `onset`; amplitudes are in noise units σ = √(λ + λ²/k), the standard
 * deviation of the base process at the onset:
 *   spike            one bucket + U(7, 12) σ
 *   drop             zero for 30 buckets
 *   level-shift      rate × U(1.5, 2.0) from the onset on
 *   periodic-train   every P ∈ {4..8} buckets one bucket + U(2.5, 4) σ, for 120 buckets (a click bot)
 *   irregular-burst  for 90 buckets the traffic comes in bursts of irregular length (on/off with
 *                    geometric dwell times, mean 5 and 5): while on the rate is × U(1.5, 1.9)
 *                    (new U per burst), while off × 0.3 — the volume stays near normal, the
 *                    texture does not (bot-driven clumping; what the fractal dimension measures)
 *   additive-burst   the same on/off bot, but ADDING U(2, 4) σ while on and leaving organic
 *                    traffic alone: mostly a level deviation (reported, no attribution claim)
 *   clean            nothing (control)
 * plus makeHourlyClean: a 90-day hourly ring with daily AND weekly cycles and nothing injected
 * (the control for the seasonal adjustment), and makeForecastSeries for the prediction checks.
 */

export { mulberry32 } from '../../../dist/bench/prng.js';
import { mulberry32 } from '../../../dist/bench/prng.js';

export type Rand = () => number;

export function gauss(rand: Rand): number {
  const u = 1 - rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Poisson sample: Knuth's product method for small means, rounded normal approximation above. */
export function poisson(rand: Rand, lambda: number): number {
  if (!(lambda > 0)) return 0;
  if (lambda > 60) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gauss(rand)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k++;
    p *= rand();
  }
  return k;
}

/** Gamma(shape, scale = 1 / shape) (mean 1) for shape >= 1: Marsaglia & Tsang (2000). */
export function gammaMeanOne(rand: Rand, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = gauss(rand);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rand();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / shape;
  }
}

export type Resolution = 'minute' | 'hour';

export interface BaseSpec {
  resolution: Resolution;
  length: number;
  base: number;
  dailyAmplitude: number;
  weeklyAmplitude: number;
  /** Gamma shape of the over-dispersion (larger = closer to Poisson). */
  dispersion: number;
}

const kDay: Record<Resolution, number> = { minute: 1440, hour: 24 };
const kWeek: Record<Resolution, number> = { minute: 10080, hour: 168 };

/** The expected rate λ_t of a base spec (phases drawn from rand). */
export function baseRates(spec: BaseSpec, rand: Rand): Float64Array {
  const phaseD = 2 * Math.PI * rand();
  const phaseW = 2 * Math.PI * rand();
  const day = kDay[spec.resolution];
  const week = kWeek[spec.resolution];
  return Float64Array.from({ length: spec.length }, (_, t) => {
    const d = 1 + spec.dailyAmplitude * Math.sin((2 * Math.PI * t) / day + phaseD);
    const w = 1 + spec.weeklyAmplitude * Math.sin((2 * Math.PI * t) / week + phaseW);
    return spec.base * d * w;
  });
}

export function sampleCounts(rates: Float64Array, dispersion: number, rand: Rand): Float64Array {
  return rates.map((r) => poisson(rand, r * gammaMeanOne(rand, dispersion)));
}

export type ScenarioKind = 'clean' | 'spike' | 'drop' | 'level-shift' | 'periodic-train' | 'irregular-burst' | 'additive-burst' | 'clean-hourly';
export const kScenarios: readonly ScenarioKind[] = ['spike', 'drop', 'level-shift', 'periodic-train', 'irregular-burst', 'additive-burst', 'clean'];

export interface LabelledSeries {
  kind: ScenarioKind;
  seed: number;
  values: Float64Array;
  /** First anomalous bucket (null for clean controls). */
  onset: number | null;
  /** One past the last anomalous bucket (null for clean controls). */
  end: number | null;
  /** Expected rate at the onset (base of the σ units). */
  rateAtOnset: number;
}

export interface ScenarioLayout {
  /** Buckets before the test region (the ring length of the scorer). */
  warmup: number;
  /** Clean buckets between the start of the test region and the onset. */
  lead: number;
  /** Buckets of the test region after the onset. */
  tail: number;
}

export const kMinuteLayout: ScenarioLayout = { warmup: 1440, lead: 60, tail: 150 };

const uniform = (rand: Rand, lo: number, hi: number): number => lo + (hi - lo) * rand();

/** Mean dwell times (buckets) of the on/off bot. */
const kBurstOnMean = 5;
const kBurstOffMean = 5;
/** Rate multipliers of the clumped (irregular) burst: on ∈ U(lo, hi), off fixed; mean ≈ 1. */
const kClumpOn: [number, number] = [1.5, 1.9];
const kClumpOff = 0.3;

/** Drive an on/off process over [from, to): starts on; a new intensity is drawn per burst. */
function onOff(rand: Rand, from: number, to: number, draw: () => number, whileOn: (t: number, v: number) => void, whileOff: (t: number) => void): void {
  let on = true;
  let v = draw();
  for (let t = from; t < to; t++) {
    if (on) whileOn(t, v);
    else whileOff(t);
    if (rand() < 1 / (on ? kBurstOnMean : kBurstOffMean)) {
      on = !on;
      if (on) v = draw();
    }
  }
}

/** A minute-level sales-like series with one injected scenario. */
export function makeScenario(kind: ScenarioKind, seed: number, layout: ScenarioLayout = kMinuteLayout): LabelledSeries {
  const rand = mulberry32(seed * 7919 + kScenarios.indexOf(kind) + 1);
  const length = layout.warmup + layout.lead + layout.tail;
  const spec: BaseSpec = { resolution: 'minute', length, base: uniform(rand, 5, 40), dailyAmplitude: 0.6, weeklyAmplitude: 0, dispersion: 50 };
  const rates = baseRates(spec, rand);
  const onset = layout.warmup + layout.lead;
  const lambda = rates[onset];
  const sigma = Math.sqrt(lambda + (lambda * lambda) / spec.dispersion);
  let end = onset + 1;
  const extra = new Float64Array(length);
  let zeroFrom = -1;
  let zeroTo = -1;
  switch (kind) {
    case 'clean':
      break;
    case 'spike':
      extra[onset] = Math.round(uniform(rand, 7, 12) * sigma);
      break;
    case 'drop':
      end = onset + 30;
      zeroFrom = onset;
      zeroTo = end;
      break;
    case 'level-shift': {
      const factor = uniform(rand, 1.5, 2.0);
      end = length;
      for (let t = onset; t < length; t++) rates[t] *= factor;
      break;
    }
    case 'periodic-train': {
      const period = 4 + Math.floor(rand() * 5);
      end = Math.min(length, onset + 120);
      for (let t = onset; t < end; t += period) extra[t] = Math.round(uniform(rand, 2.5, 4) * sigma);
      break;
    }
    case 'irregular-burst':
      end = Math.min(length, onset + 90);
      onOff(rand, onset, end, () => uniform(rand, kClumpOn[0], kClumpOn[1]), (t, factor) => (rates[t] *= factor), (t) => (rates[t] *= kClumpOff));
      break;
    case 'additive-burst':
      end = Math.min(length, onset + 90);
      onOff(rand, onset, end, () => uniform(rand, 2, 4) * sigma, (t, amp) => (rates[t] += amp), () => undefined);
      break;
  }
  const values = sampleCounts(rates, spec.dispersion, rand);
  for (let t = 0; t < length; t++) values[t] += extra[t];
  if (zeroFrom >= 0) values.fill(0, zeroFrom, zeroTo);
  return { kind, seed, values, onset: kind === 'clean' ? null : onset, end: kind === 'clean' ? null : end, rateAtOnset: lambda };
}

/** Hourly ring of 90 days (2160 buckets) for the clean hourly control, evaluated over 96 more hours. */
export const kHourlyLayout: ScenarioLayout = { warmup: 2160, lead: 96, tail: 0 };

/**
 * Clean hourly control: daily + weekly seasonality (the seasonal adjustment must absorb it).
 * No anomaly; the whole test region is clean.
 */
export function makeHourlyClean(seed: number): LabelledSeries {
  const rand = mulberry32(seed * 3571 + 11);
  const spec: BaseSpec = { resolution: 'hour', length: kHourlyLayout.warmup + kHourlyLayout.lead, base: uniform(rand, 5, 200), dailyAmplitude: 0.6, weeklyAmplitude: 0.25, dispersion: 50 };
  const rates = baseRates(spec, rand);
  return { kind: 'clean-hourly', seed, values: sampleCounts(rates, spec.dispersion, rand), onset: null, end: null, rateAtOnset: rates[kHourlyLayout.warmup] };
}

export interface ForecastSeries {
  label: string;
  values: Float64Array;
  /** Season used by the seasonal-naive comparator (null: naive). */
  comparatorPeriod: number | null;
}

/**
 * Clean series for forecast evaluation: hourly with daily + weekly seasonality (6 weeks), and
 * minute-level (one day ring) where the daily cycle is slower than the window.
 */
export function makeForecastSeries(seed: number): ForecastSeries[] {
  const rand = mulberry32(seed * 104729 + 17);
  const hourly: BaseSpec = { resolution: 'hour', length: 6 * 168, base: uniform(rand, 20, 400), dailyAmplitude: 0.6, weeklyAmplitude: 0.25, dispersion: 50 };
  const minute: BaseSpec = { resolution: 'minute', length: 1440, base: uniform(rand, 5, 40), dailyAmplitude: 0.6, weeklyAmplitude: 0, dispersion: 50 };
  return [
    { label: 'hourly daily+weekly', values: sampleCounts(baseRates(hourly, rand), hourly.dispersion, rand), comparatorPeriod: 168 },
    { label: 'minute intraday', values: sampleCounts(baseRates(minute, rand), minute.dispersion, rand), comparatorPeriod: null },
  ];
}
