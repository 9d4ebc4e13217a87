/**
 * A synthetic seller population for the fingerprint acceptance test, drawn from the project's
 * seeded PRNG (bench/prng.ts): CLICK counts per 1 s bucket (1024) and per 1 min bucket (1440).
 *
 *   normal      organic traffic: Poisson arrivals at rates over two decades, on a daily cycle, with
 *               slow rate drift; a third come in bursty sessions (a visitor clicks several times)
 *   bot         a planted cluster: every member fires `burst` clicks every `period` s with Gaussian
 *               `jitter` (its own phase), over a faint organic background; clusters differ in
 *               period and jitter
 *   switcher    organic traffic, then strongly periodic clicking from the middle of the fine window
 */
import { mulberry32 } from '../../../dist/bench/prng.js';
import type { SellerSignals } from '../../../engine/fingerprint/types.js';

export const kFineBuckets = 1024;
export const kCoarseBuckets = 1440;
const kSecondsPerMinute = 60;
const kSecondsPerDay = kCoarseBuckets * kSecondsPerMinute;

export interface BotPlan {
  period: number;
  jitter: number;
  burst: number;
}

export const kBotClusters: BotPlan[] = [
  { period: 7, jitter: 0.3, burst: 1 },
  { period: 13, jitter: 1.2, burst: 2 },
  { period: 31, jitter: 2.5, burst: 1 },
];
export const kBotsPerCluster = 4;
export const kSwitchers: BotPlan[] = [
  { period: 5, jitter: 0.2, burst: 1 },
  { period: 11, jitter: 0.5, burst: 1 },
];
export const kPopulation = 200;

export type Truth = { kind: 'normal' } | { kind: 'bot'; cluster: number } | { kind: 'switcher' };

export interface Population {
  sellers: SellerSignals[];
  truth: Map<string, Truth>;
}

type Rand = () => number;

function gaussian(rand: Rand): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Poisson(λ): Knuth's product method for small λ, a rounded normal above. */
function poisson(rand: Rand, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(rand)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k++;
    p *= rand();
  }
  return k;
}

/** Daily shape 1 + A sin(2π t / day + φ) at second t of the day. */
function diurnal(amplitude: number, phase: number, second: number): number {
  return 1 + amplitude * Math.sin((2 * Math.PI * second) / kSecondsPerDay + phase);
}

interface Organic {
  rate: number; // clicks per second at the daily mean
  amplitude: number;
  phase: number;
  sessions: boolean;
}

function organicPlan(rand: Rand, minRate: number, maxRate: number): Organic {
  return {
    rate: minRate * (maxRate / minRate) ** rand(),
    amplitude: 0.2 + 0.7 * rand(),
    phase: 2 * Math.PI * rand(),
    sessions: rand() < 1 / 3,
  };
}

/** Adds organic clicks for seconds [from, to) of the fine window, which ends at the end of the day. */
function addOrganicFine(rand: Rand, o: Organic, fine: Float64Array, from: number, to: number): void {
  const start = kSecondsPerDay - kFineBuckets;
  let drift = 0; // AR(1) on the log rate: slow wandering
  for (let t = from; t < to; t++) {
    drift = 0.995 * drift + 0.02 * gaussian(rand);
    const rate = o.rate * diurnal(o.amplitude, o.phase, start + t) * Math.exp(drift);
    if (!o.sessions) {
      fine[t] += poisson(rand, rate);
      continue;
    }
    // Sessions: a third of the rate arrives as visitors who click 1 + Poisson(2) times, 1-4 s apart.
    const sessions = poisson(rand, rate / 3);
    for (let s = 0; s < sessions; s++) {
      let at = t;
      const clicks = 1 + poisson(rand, 2);
      for (let c = 0; c < clicks && at < to; c++) {
        fine[at]++;
        at += 1 + Math.floor(rand() * 4);
      }
    }
  }
}

function addOrganicCoarse(rand: Rand, o: Organic, coarse: Float64Array, from: number, to: number): void {
  for (let m = from; m < to; m++) {
    const mean = o.rate * kSecondsPerMinute * diurnal(o.amplitude, o.phase, m * kSecondsPerMinute);
    // Sessions and drift make minute counts over-dispersed: a gamma-ish multiplier on the rate.
    const spread = o.sessions ? 0.3 : 0.1;
    coarse[m] += poisson(rand, mean * Math.max(0, 1 + spread * gaussian(rand)));
  }
}

/** Fires `burst` clicks every `period` s (own phase, Gaussian jitter) from second `from` of the day to its end. */
function addBot(rand: Rand, plan: BotPlan, fine: Float64Array, coarse: Float64Array, from: number): void {
  const start = kSecondsPerDay - kFineBuckets;
  for (let t0 = from + rand() * plan.period; t0 < kSecondsPerDay; t0 += plan.period) {
    const at = Math.floor(t0 + plan.jitter * gaussian(rand));
    if (at < from || at >= kSecondsPerDay) continue;
    coarse[Math.floor(at / kSecondsPerMinute)] += plan.burst;
    if (at >= start) fine[at - start] += plan.burst;
  }
}

function shuffledIds(rand: Rand, n: number): string[] {
  const ids = Array.from({ length: n }, (_, i) => `seller-${String(i).padStart(3, '0')}`);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  return ids;
}

export function makePopulation(seed: number): Population {
  const rand = mulberry32(seed);
  const ids = shuffledIds(rand, kPopulation);
  const sellers: SellerSignals[] = [];
  const truth = new Map<string, Truth>();
  const add = (t: Truth, fine: Float64Array, coarse: Float64Array): void => {
    const sellerId = ids[sellers.length];
    sellers.push({ sellerId, fine, coarse });
    truth.set(sellerId, t);
  };
  kBotClusters.forEach((plan, cluster) => {
    for (let b = 0; b < kBotsPerCluster; b++) {
      const [fine, coarse] = [new Float64Array(kFineBuckets), new Float64Array(kCoarseBuckets)];
      const background: Organic = { ...organicPlan(rand, 0.001, 0.005), sessions: false };
      addOrganicFine(rand, background, fine, 0, kFineBuckets);
      addOrganicCoarse(rand, background, coarse, 0, kCoarseBuckets);
      addBot(rand, plan, fine, coarse, 0);
      add({ kind: 'bot', cluster }, fine, coarse);
    }
  });
  for (const plan of kSwitchers) {
    const [fine, coarse] = [new Float64Array(kFineBuckets), new Float64Array(kCoarseBuckets)];
    const o = { ...organicPlan(rand, 0.3, 1), sessions: false };
    const switchSecond = kSecondsPerDay - kFineBuckets / 2;
    const switchMinute = Math.floor(switchSecond / kSecondsPerMinute);
    addOrganicFine(rand, o, fine, 0, kFineBuckets / 2);
    addOrganicCoarse(rand, o, coarse, 0, switchMinute);
    addBot(rand, plan, fine, coarse, switchSecond);
    add({ kind: 'switcher' }, fine, coarse);
  }
  while (sellers.length < kPopulation) {
    const [fine, coarse] = [new Float64Array(kFineBuckets), new Float64Array(kCoarseBuckets)];
    const o = organicPlan(rand, 0.05, 5);
    addOrganicFine(rand, o, fine, 0, kFineBuckets);
    addOrganicCoarse(rand, o, coarse, 0, kCoarseBuckets);
    add({ kind: 'normal' }, fine, coarse);
  }
  return { sellers, truth };
}
