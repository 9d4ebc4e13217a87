/**
 * The forecast's grid search stops a grid point once its SSE exceeds the best one known (and starts
 * from a hint). These check that it still picks exactly what an exhaustive search picks — the first
 * SSE minimum of the grid — and that a bounded smoother run is either the full run or abandoned.
 */
import { describe, expect, it } from 'vitest';
import type * as HoltWintersModule from '../../engine/analytics/holt-winters.js';
import { analytics, schema, wasm } from './support/implementations.js';
import { gauss, mulberry32 } from './support/synthetic.js';

const hw = (await import(new URL('../../dist/engine/analytics/holt-winters.js', import.meta.url).href)) as typeof HoltWintersModule;
const cfg = schema.defaultAnalyticsConfig();
const grid = cfg.forecast.grid;

/** period 0: trend and noise only. */
function series(n: number, seed: number, period: number): Float64Array {
  const rand = mulberry32(seed);
  const amplitude = period > 0 ? 5 + 40 * rand() : 0;
  const noise = 1 + 10 * rand();
  const slope = (rand() - 0.5) * 0.2;
  return Float64Array.from({ length: n }, (_, t) => Math.max(0, 100 + slope * t + (period > 0 ? amplitude * Math.sin((2 * Math.PI * t) / period) : 0) + noise * gauss(rand)));
}

describe('Holt-Winters grid search', () => {
  it('a smoother run bounded below its SSE is abandoned (sse Infinity); at or above it, it is the full run', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const x = series(400, seed, 24);
      const m = seed % 2 === 0 ? 24 : 0;
      const init = m > 0 ? hw.initSeasonal(x, m) : hw.initNonSeasonal(x, cfg.forecast.initPoints, wasm.dsp);
      const evalFrom = m > 0 ? hw.kInitSeasons * m : cfg.forecast.initPoints;
      const p = { alpha: grid.alpha[seed % grid.alpha.length], beta: grid.beta[seed % grid.beta.length], gamma: m > 0 ? grid.gamma[seed % grid.gamma.length] : 0, phi: grid.phi[seed % grid.phi.length] };
      const full = hw.runSmoother(x, init, p, evalFrom);
      expect(full.sse).toBeGreaterThan(0);
      expect(hw.runSmoother(x, init, p, evalFrom, full.sse * 0.999).sse).toBe(Infinity);
      expect(hw.runSmoother(x, init, p, evalFrom, 0).sse).toBe(Infinity);
      for (const bound of [full.sse, full.sse * 1.5, Infinity]) {
        const run = hw.runSmoother(x, init, p, evalFrom, bound);
        expect(run).toEqual(full);
        expect(Array.from(run.season)).toEqual(Array.from(full.season));
      }
    }
  });

  it('two grid points run side by side give the SSEs of two runs alone, bounds included', () => {
    const out = new Float64Array(2);
    for (let seed = 1; seed <= 24; seed++) {
      const x = series(300 + seed * 11, seed, [24, 12, 0][seed % 3]);
      const m = seed % 2 === 0 ? 24 : 0;
      const init = m > 0 ? hw.initSeasonal(x, m) : hw.initNonSeasonal(x, cfg.forecast.initPoints, wasm.dsp);
      const evalFrom = m > 0 ? hw.kInitSeasons * m : cfg.forecast.initPoints;
      const pick = (k: number) => ({ alpha: grid.alpha[k % grid.alpha.length], beta: grid.beta[(k >> 1) % grid.beta.length], gamma: m > 0 ? grid.gamma[(k >> 2) % grid.gamma.length] : 0, phi: grid.phi[(k >> 3) % grid.phi.length] });
      const p = pick(seed * 7);
      const q = pick(seed * 13 + 5);
      const alone = [hw.runSmoother(x, init, p, evalFrom).sse, hw.runSmoother(x, init, q, evalFrom).sse];
      for (const bound of [Infinity, Math.max(...alone), Math.min(...alone), (alone[0] + alone[1]) / 2, 0]) {
        hw.smootherSsePair(x, init, p, q, evalFrom, bound, out);
        expect(Array.from(out)).toEqual([hw.runSmoother(x, init, p, evalFrom, bound).sse, hw.runSmoother(x, init, q, evalFrom, bound).sse]);
      }
      hw.smootherSsePair(x, init, p, q, evalFrom, Infinity, out);
      expect(Array.from(out)).toEqual(alone);
    }
  });

  it('the forecast fits the first SSE minimum of the whole grid, as an exhaustive search does', () => {
    let seasonal = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const period = [24, 12, 0][seed % 3];
      const x = series(24 * 20 + seed * 7, seed, period);
      const f = analytics.forecast(x, 24, cfg, wasm.dsp);
      expect(f.status).toBe('sufficient');
      const m = f.seasonPeriod ?? 0;
      if (m > 0) seasonal++;
      const init = m > 0 ? hw.initSeasonal(x, m) : hw.initNonSeasonal(x, cfg.forecast.initPoints, wasm.dsp);
      const evalFrom = m > 0 ? hw.kInitSeasons * m : cfg.forecast.initPoints;
      let best: { alpha: number; beta: number; gamma: number | null; phi: number } | null = null;
      let bestSse = Infinity;
      for (const alpha of grid.alpha) {
        for (const beta of grid.beta) {
          for (const gamma of m > 0 ? grid.gamma : [0]) {
            for (const phi of grid.phi) {
              const sse = hw.runSmoother(x, init, { alpha, beta, gamma, phi }, evalFrom).sse;
              if (best === null || sse < bestSse) {
                best = { alpha, beta, gamma: m > 0 ? gamma : null, phi };
                bestSse = sse;
              }
            }
          }
        }
      }
      expect(f.params).toEqual(best);
      expect(f.fit.sse).toBe(bestSse);
    }
    // both kinds of model were searched
    expect(seasonal).toBeGreaterThan(0);
    expect(seasonal).toBeLessThan(12);
  });
});
