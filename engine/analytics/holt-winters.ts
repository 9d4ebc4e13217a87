/**
 * Additive Holt-Winters with a damped trend (error-correction form; Hyndman, Koehler, Ord &
 * Snyder, "Forecasting with Exponential Smoothing", 2008, ETS(A,Ad,A); no season ⇒ ETS(A,Ad,N)):
 *
 *   ŷ_t   = l_{t-1} + φ b_{t-1} + s_{t-m}            e_t = y_t - ŷ_t
 *   l_t   = l_{t-1} + φ b_{t-1} + α e_t
 *   b_t   = φ b_{t-1} + α β e_t                      (β is β* of the smoothing form)
 *   s_t   = s_{t-m} + γ e_t
 *   ŷ_{n+h|n} = l_n + (φ + ... + φ^h) b_n + s_{n+h-m⌈h/m⌉}
 *   Var(e_{n+h|n}) = σ² (1 + Σ_{j=1}^{h-1} c_j²),  c_j = α (1 + β φ_j) + γ [j mod m = 0],
 *   φ_j = φ + ... + φ^j                                              (ibid., Table 6.1, class 1)
 */
import type { DspKernels } from '../../dsp-wasm/host/types.js';

/** Seasons consumed by the classical seasonal initialisation (their means give the trend). */
export const kInitSeasons = 2;

export interface SmoothingParams {
  alpha: number;
  beta: number;
  /** 0 for the non-seasonal model. */
  gamma: number;
  phi: number;
}

/** State after the initialisation, valid at time `start - 1`. */
export interface InitialState {
  start: number;
  level: number;
  trend: number;
  /** Seasonal states by slot t mod m (empty without season). */
  season: Float64Array;
}

export interface FittedState {
  level: number;
  trend: number;
  season: Float64Array;
  /** Σ e_t² over t >= evalFrom, and how many terms. */
  sse: number;
  count: number;
}

function meanOf(x: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i];
  return s / (to - from);
}

/** Level/trend from the OLS line through the first k points (no season). */
export function initNonSeasonal(x: Float64Array, k: number, dsp: DspKernels): InitialState {
  const n = Math.min(k, x.length);
  const head = x.subarray(0, n);
  const slope = n >= 2 ? dsp.trendSlope(head) : 0;
  const trend = Number.isFinite(slope) ? slope : 0;
  return { start: n, level: meanOf(x, 0, n) + (trend * (n - 1)) / 2, trend, season: new Float64Array(0) };
}

/**
 * Classical additive initialisation over the first two seasons: trend from the difference of
 * their means, seasonal states = first season minus its trend line, centred to sum 0.
 */
export function initSeasonal(x: Float64Array, m: number): InitialState {
  const first = meanOf(x, 0, m);
  const second = meanOf(x, m, kInitSeasons * m);
  const trend = (second - first) / m;
  const season = new Float64Array(m);
  let total = 0;
  for (let i = 0; i < m; i++) {
    season[i] = x[i] - (first + (i - (m - 1) / 2) * trend);
    total += season[i];
  }
  for (let i = 0; i < m; i++) season[i] -= total / m;
  return { start: m, level: first + (trend * (m - 1)) / 2, trend, season };
}

/**
 * Runs the recursions over x from init.start: the state after the last point, and the SSE of the
 * one-step errors at t >= evalFrom. When the SSE exceeds `bound` the run stops with sse Infinity —
 * a sum of squares only grows, so the rest cannot bring it back to the bound (the grid search
 * passes the best SSE it knows of; the state is then not the final one). The season slot is a
 * counter that wraps at m (the values of t mod m, without a division per point).
 */
export function runSmoother(x: Float64Array, init: InitialState, p: SmoothingParams, evalFrom: number, bound = Infinity): FittedState {
  const m = init.season.length;
  const season = init.season.slice();
  let level = init.level;
  let trend = init.trend;
  let sse = 0;
  let count = 0;
  const { alpha, phi, gamma } = p;
  const ab = alpha * p.beta;
  let slot = m > 0 ? init.start % m : 0;
  for (let t = init.start; t < x.length; t++) {
    const s = m > 0 ? season[slot] : 0;
    const base = level + phi * trend;
    const e = x[t] - (base + s);
    if (t >= evalFrom) {
      sse += e * e;
      count++;
      if (sse > bound) return { level, trend, season, sse: Infinity, count };
    }
    level = base + alpha * e;
    trend = phi * trend + ab * e;
    if (m > 0) {
      season[slot] = s + gamma * e;
      if (++slot === m) slot = 0;
    }
  }
  return { level, trend, season, sse, count };
}

/**
 * The SSEs runSmoother(x, init, p, evalFrom, bound) and runSmoother(x, init, q, evalFrom, bound) give,
 * in one interleaved pass into out[0] and out[1]: each step of a run waits for the one before it,
 * so two independent runs side by side keep the CPU busy while each waits (the grid search's time
 * nearly halves). The same operations in the same order per run: the same bits.
 */
export function smootherSsePair(x: Float64Array, init: InitialState, p: SmoothingParams, q: SmoothingParams, evalFrom: number, bound: number, out: Float64Array): void {
  const m = init.season.length;
  const seasonP = init.season.slice();
  const seasonQ = init.season.slice();
  let levelP = init.level;
  let trendP = init.trend;
  let levelQ = init.level;
  let trendQ = init.trend;
  let sseP = 0;
  let sseQ = 0;
  let overP = false;
  let overQ = false;
  const { alpha: alphaP, phi: phiP, gamma: gammaP } = p;
  const { alpha: alphaQ, phi: phiQ, gamma: gammaQ } = q;
  const abP = alphaP * p.beta;
  const abQ = alphaQ * q.beta;
  let slot = m > 0 ? init.start % m : 0;
  for (let t = init.start; t < x.length; t++) {
    const y = x[t];
    const sP = m > 0 ? seasonP[slot] : 0;
    const sQ = m > 0 ? seasonQ[slot] : 0;
    const baseP = levelP + phiP * trendP;
    const baseQ = levelQ + phiQ * trendQ;
    const eP = y - (baseP + sP);
    const eQ = y - (baseQ + sQ);
    if (t >= evalFrom) {
      sseP += eP * eP;
      sseQ += eQ * eQ;
      if (sseP > bound) overP = true;
      if (sseQ > bound) overQ = true;
      if (overP && overQ) break;
    }
    levelP = baseP + alphaP * eP;
    levelQ = baseQ + alphaQ * eQ;
    trendP = phiP * trendP + abP * eP;
    trendQ = phiQ * trendQ + abQ * eQ;
    if (m > 0) {
      seasonP[slot] = sP + gammaP * eP;
      seasonQ[slot] = sQ + gammaQ * eQ;
      if (++slot === m) slot = 0;
    }
  }
  out[0] = overP ? Infinity : sseP;
  out[1] = overQ ? Infinity : sseQ;
}

/** Point forecasts for steps 1..h after the last observation (index n - 1). */
export function pointForecast(state: FittedState, p: SmoothingParams, n: number, h: number): Float64Array {
  const m = state.season.length;
  const out = new Float64Array(h);
  let damp = 0;
  let power = 1;
  for (let j = 1; j <= h; j++) {
    power *= p.phi;
    damp += power;
    const s = m > 0 ? state.season[(n - 1 + j) % m] : 0;
    out[j - 1] = state.level + damp * state.trend + s;
  }
  return out;
}

/** Variance multipliers 1 + Σ_{j<h} c_j² for h = 1..H (m = 0: no season). */
export function varianceMultipliers(p: SmoothingParams, m: number, h: number): Float64Array {
  const out = new Float64Array(h);
  let acc = 1;
  let damp = 0;
  let power = 1;
  for (let j = 1; j <= h; j++) {
    out[j - 1] = acc;
    power *= p.phi;
    damp += power;
    const c = p.alpha * (1 + p.beta * damp) + (m > 0 && j % m === 0 ? p.gamma : 0);
    acc += c * c;
  }
  return out;
}
