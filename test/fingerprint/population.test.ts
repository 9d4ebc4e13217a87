/**
 * Acceptance of the behaviour fingerprints (engine/fingerprint, compiled) on a synthetic population
 * of 200 sellers (support/population.ts): 186 organic sellers, 3 planted bot clusters of 4, and 2
 * sellers that switch from organic to periodic clicking in the middle of the window.
 *
 * Figures (printed for the README): purity and recall of the recovered clusters (defined in
 * support/scoring.ts), switchers flagged sudden_strategy_change, share of organic sellers
 * classified normal. Plus determinism: same input ⇒ identical output, whatever the input order.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../dist/bench/prng.js';
import { defaultFingerprintConfig, fingerprintSchema } from '../../dist/config/fingerprint-schema.js';
import { fingerprintPopulation } from '../../dist/engine/fingerprint/index.js';
import { kBotClusters, kBotsPerCluster, kPopulation, kSwitchers, makePopulation } from './support/population.js';
import { score, type Scores } from './support/scoring.js';

const cfg = defaultFingerprintConfig();
const kSeed = 20261122;
/** Further populations, to show the figures are not one lucky draw. */
const kMoreSeeds = [1, 2, 3, 4, 5, 6, 7, 8];
const kMinPurity = 0.9;
const kMinRecall = 0.9;
const kMinNormalRate = 0.9;

function figures(s: Scores): string {
  return `${s.predictedClusters} clusters, purity ${(s.purity * 100).toFixed(1)} %, recall ${(s.recall * 100).toFixed(1)} %, ` +
    `switchers flagged ${s.switchersFlagged}/${s.switchers}, normal sellers classified normal ${s.normalAsNormal}/${s.normals} ` +
    `(${(s.normalRate * 100).toFixed(1)} %)`;
}

describe('fingerprint population (seed 20261122)', () => {
  const population = makePopulation(kSeed);
  const verdicts = fingerprintPopulation(population.sellers, cfg);
  const s = score(verdicts, population.truth);

  it('has the planned shape', () => {
    expect(population.sellers).toHaveLength(kPopulation);
    expect(s.switchers).toBe(kSwitchers.length);
    expect(s.normals).toBe(kPopulation - kSwitchers.length - kBotClusters.length * kBotsPerCluster);
    expect(verdicts.map((v) => v.sellerId)).toEqual(population.sellers.map((x) => x.sellerId).sort());
  });

  it('recovers the planted bot clusters with ≥ 90 % purity and recall', () => {
    console.log(`fingerprints, seed ${kSeed}: ${figures(s)}`);
    console.log(`confusion (truth → classification): ${JSON.stringify(s.confusion)}`);
    expect(s.predictedClusters).toBe(kBotClusters.length);
    expect(s.purity).toBeGreaterThanOrEqual(kMinPurity);
    expect(s.recall).toBeGreaterThanOrEqual(kMinRecall);
  });

  it('flags both switchers as sudden_strategy_change', () => {
    expect(s.switchersFlagged).toBe(s.switchers);
  });

  it('classifies ≥ 90 % of the organic sellers as normal', () => {
    expect(s.normalRate).toBeGreaterThanOrEqual(kMinNormalRate);
  });

  it('explains every verdict with reasons and their numbers', () => {
    for (const v of verdicts) {
      expect(v.reasons.length, v.sellerId).toBeGreaterThan(0);
      for (const r of v.reasons) {
        expect(r.message.length).toBeGreaterThan(0);
        expect(typeof r.value).toBe('number');
      }
      expect(v.signature).toHaveLength(8);
      for (const x of v.signature) expect(x >= 0 && x <= 1, `${v.sellerId} signature`).toBe(true);
      if (v.classification === 'bot_cluster') expect(v.cluster?.size).toBeGreaterThanOrEqual(cfg.cluster.minSize);
      if (v.classification === 'sudden_strategy_change') expect(v.halfDistance).toBeGreaterThanOrEqual(cfg.change.minDistance);
    }
    const switcher = verdicts.find((v) => v.classification === 'sudden_strategy_change');
    console.log(`example reasons (${switcher?.sellerId}): ${switcher?.reasons.map((r) => r.message).join(' | ')}`);
  });
});

describe('fingerprint population, more seeds', () => {
  it(`keeps purity, recall and the normal rate ≥ 90 % on ${kMoreSeeds.length} more populations`, () => {
    let flagged = 0;
    let switchers = 0;
    for (const seed of kMoreSeeds) {
      const population = makePopulation(seed);
      const s = score(fingerprintPopulation(population.sellers, cfg), population.truth);
      console.log(`fingerprints, seed ${seed}: ${figures(s)}`);
      expect(s.purity, `seed ${seed}`).toBeGreaterThanOrEqual(kMinPurity);
      expect(s.recall, `seed ${seed}`).toBeGreaterThanOrEqual(kMinRecall);
      expect(s.normalRate, `seed ${seed}`).toBeGreaterThanOrEqual(kMinNormalRate);
      flagged += s.switchersFlagged;
      switchers += s.switchers;
    }
    expect(flagged / switchers).toBeGreaterThanOrEqual(kMinRecall);
  });
});

describe('fingerprint determinism', () => {
  it('gives identical verdicts for the same input, in any input order', () => {
    const population = makePopulation(kSeed);
    const first = fingerprintPopulation(population.sellers, cfg);
    const again = fingerprintPopulation(makePopulation(kSeed).sellers, cfg);
    const rand = mulberry32(99);
    const shuffled = [...population.sellers];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    const reordered = fingerprintPopulation(shuffled, cfg);
    expect(again).toEqual(first);
    expect(reordered).toEqual(first);
    const bytes = (v: typeof first): string => JSON.stringify(v, (_, x) => (x instanceof Float64Array ? Array.from(x) : x));
    expect(bytes(reordered)).toBe(bytes(first));
  });

  it('refuses a seller ID that appears twice', () => {
    const { sellers } = makePopulation(kSeed);
    expect(() => fingerprintPopulation([...sellers, sellers[0]], cfg)).toThrow(RangeError);
  });
});

describe('fingerprintSchema', () => {
  it('has defaults and is strict', () => {
    expect(fingerprintSchema.parse({})).toEqual(cfg);
    expect(fingerprintSchema.safeParse({ cluster: { linkDistance: 0.1, extra: 1 } }).success).toBe(false);
    expect(fingerprintSchema.safeParse({ features: { gateLow: 30, gateHigh: 20 } }).success).toBe(false);
    expect(fingerprintSchema.safeParse({ weights: { periodicity: 0, periodConfidence: 0, period: 0, timingEntropy: 0, complexity: 0, flatness: 0, regularity: 0, coarseRegularity: 0 } }).success).toBe(false);
  });
});
