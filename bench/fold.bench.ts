/**
 * Micro-benchmark of a shard worker's fold (`RingStore.foldRecords`, default rings): nanoseconds per
 * event by how many sellers the records spread over and how far their timestamps spread. The fold is
 * memory-bound once the sellers' rings outgrow the caches — every event touches a bucket in each
 * resolution's ring — which is what this shows.
 *
 *   npm run build && node dist/bench/fold.bench.js
 *
 * Method: one queue-shaped block of records (seeded, round-robin sellers and types, timestamps spread
 * back from now), folded into a fresh RingStore once to touch every page, then ROUNDS rounds of
 * PASSES folds each; the median round gives ns per event. About 20 s.
 */
import { defaultConfig } from '../config/index.js';
import { RingGeometry } from '../engine/ring/layout.js';
import { RingStore } from '../engine/ring/ring-store.js';
import { kRecordF64, kRecordU32, kSlotU32, kTimestampF64, kTypeU32, kUnitsF64 } from '../engine/queue/layout.js';
import { mulberry32 } from './prng.js';
import { median } from './stats.js';

const kSellerCounts = [64, 1_000, 4_000];
const kSpreadsMs = [0, 60_000, 600_000];
/** Records per block: a power of two, like a queue. */
const kRecords = 1 << 16;
const kRounds = 7;
const kPasses = 10;
const kSeed = 20261123;
const kUnits = 100;
const kNsPerMs = 1e6;

function block(sellers: number, types: number, spreadMs: number, nowMs: number): { f64: Float64Array; u32: Uint32Array } {
  const f64 = new Float64Array(kRecords * kRecordF64);
  const u32 = new Uint32Array(f64.buffer);
  const random = mulberry32(kSeed + sellers + spreadMs);
  for (let i = 0; i < kRecords; i++) {
    u32[i * kRecordU32 + kSlotU32] = i % sellers;
    u32[i * kRecordU32 + kTypeU32] = i % types;
    f64[i * kRecordF64 + kTimestampF64] = nowMs - Math.floor(random() * spreadMs);
    f64[i * kRecordF64 + kUnitsF64] = kUnits;
  }
  return { f64, u32 };
}

function nsPerEvent(sellers: number, spreadMs: number): number {
  const config = defaultConfig();
  const store = new RingStore(new RingGeometry(config));
  const { f64, u32 } = block(sellers, config.events.types.length, spreadMs, Date.now());
  store.foldRecords(f64, u32, 0, kRecords, kRecords - 1);
  const rounds: number[] = [];
  for (let r = 0; r < kRounds; r++) {
    const start = performance.now();
    for (let p = 0; p < kPasses; p++) store.foldRecords(f64, u32, 0, kRecords, kRecords - 1);
    rounds.push(((performance.now() - start) * kNsPerMs) / (kPasses * kRecords));
  }
  return median(rounds);
}

function main(): void {
  const header = `| sellers | ${kSpreadsMs.map((s) => `timestamps within ${s / 1000} s`).join(' | ')} |`;
  const lines = [header, `|--:|${kSpreadsMs.map(() => '--:').join('|')}|`];
  for (const sellers of kSellerCounts) {
    lines.push(`| ${sellers} | ${kSpreadsMs.map((s) => `${nsPerEvent(sellers, s).toFixed(0)} ns`).join(' | ')} |`);
  }
  process.stdout.write(`# Fold per event (RingStore.foldRecords, default rings, median of ${kRounds} rounds)\n\n${lines.join('\n')}\n`);
}

main();
