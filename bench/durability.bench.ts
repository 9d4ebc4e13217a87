/**
 * Durability bench (issue: store). `node dist/bench/durability.bench.js`
 *
 * 1. wal vs snapshot mode: the real server as a child process in each mode, rotated every round,
 *    WebSocket row frames of 1000 events (closed loop, same load generator as bench/run.ts; a
 *    discarded warm-up of benchConfig.warmupSeconds on each server first, as in bench/run.ts);
 *    reports events/s, p99 ack latency and the median of per-round wal/snapshot ratios.
 * 2. Snapshot of 100 000 sellers: an in-process server holding 100 000 changed sellers; times a periodic
 *    snapshot and measures, meanwhile, the longest main-thread event-loop stall (ingest runs on the
 *    main thread: that is how long ingest could not be served) with a 1 ms probe timer.
 */
import { cpus } from 'node:os';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { kOperatorTenantId } from '../engine/tenancy/tenant-registry.js';
import pino from 'pino';
import { benchConfig, kMsPerSec } from './bench-config.js';
import { startServer as startChild, stopServer } from './server-process.js';
import { runDriver } from './driver-runner.js';
import { freePort } from './free-port.js';
import { median, ratios, rotate } from './stats.js';
import { sellerIds } from './event-fixtures.js';
import { loadConfig } from '../config/index.js';
import { startServer } from '../api/server.js';
import { IngestResult } from '../engine/index.js';

const kRounds = Number(process.env.BENCH_ROUNDS ?? 3);
const kSeconds = Number(process.env.BENCH_SECONDS ?? 8);
const kFrameEvents = 1000;
const kSnapshotSellers = 100_000;
const kSellerBatch = 10_000;
const kProbeMs = 1;
const kSellersPerRun = 2000;
const kDriverSlackMs = 30_000;

async function wsRun(mode: 'wal' | 'snapshot', round: number): Promise<{ eventsPerSec: number; p99: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'sellerpulse-dbench-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ durability: { mode, walSyncMs: 2, snapshotIntervalMs: 30_000 }, log: { level: 'warn' } }));
  const port = await freePort(benchConfig.host);
  const server = await startChild({ name: `engine-${mode}`, script: 'dist/api/main.js', port, env: { SELLERPULSE_CONFIG: file, SELLERPULSE_DATA_DIR: join(dir, 'data') } });
  try {
    const sellers = sellerIds(`dur-${mode}-${round}-`, kSellersPerRun);
    const drive = async (producerPrefix: string, durationMs: number) => {
      const out = await runDriver({
        kind: 'ws',
        job: {
          url: `ws://${benchConfig.host}:${port}/stream`, producerPrefix, format: 'row-msgpack', eventsPerFrame: kFrameEvents, eventsPerSec: 0,
          sellers, nowMs: Date.now(), seed: round + 1, connections: benchConfig.ws.connections,
          window: benchConfig.ws.window, durationMs, graceMs: benchConfig.ws.graceMs, zeroMask: benchConfig.ws.zeroMask,
        },
      }, { onReady: async () => {}, onLoadEnded: async () => {} }, durationMs + kDriverSlackMs);
      if (out.kind !== 'ws') throw new Error('unexpected driver result');
      return out.result;
    };
    // discarded, as in the ingest bench: the timed part starts with the code compiled and the sellers,
    // their ring pages and (wal mode) the log file in place — both modes from the same state
    if (benchConfig.warmupSeconds > 0) await drive(`w${mode}${round}`, benchConfig.warmupSeconds * kMsPerSec);
    const result = await drive(`d${mode}${round}`, kSeconds * kMsPerSec);
    return { eventsPerSec: result.acceptedInWindow / (result.elapsedMs / kMsPerSec), p99: result.ackLatency.p99 };
  } finally {
    await stopServer(server);
  }
}

async function snapshotRun(): Promise<{ ms: number; maxStallMs: number; sellers: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sellerpulse-snap-'));
  const config = loadConfig({
    env: {},
    overrides: {
      server: { host: benchConfig.host, port: 0 }, dataDir, durability: { mode: 'snapshot', snapshotIntervalMs: 3_600_000 },
      shard: { maxSellersPerShard: 1 << 17 }, limits: { maxFrameSellers: kSellerBatch, maxFrameEvents: kSellerBatch },
    },
  });
  const server = await startServer({ config, logger: pino({ level: 'warn' }) });
  try {
    const engine = server.engine;
    const result = new IngestResult();
    const now = Date.now();
    for (let off = 0; off < kSnapshotSellers; off += kSellerBatch) {
      const ids = Array.from({ length: kSellerBatch }, (_, i) => `snap-${off + i}`);
      engine.ingestColumnar(kOperatorTenantId, {
        sellerIds: ids, sellerIndex: Uint32Array.from({ length: kSellerBatch }, (_, i) => i), timestamps: new Float64Array(kSellerBatch).fill(now),
        typeNames: ['CLICK'], types: new Uint8Array(kSellerBatch), values: new Float64Array(kSellerBatch).fill(1), length: kSellerBatch,
      }, now, result);
      if (result.queueFull) throw new Error('queue full while loading sellers');
    }
    await engine.drain();
    let maxStallMs = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      const t = performance.now();
      maxStallMs = Math.max(maxStallMs, t - last - kProbeMs);
      last = t;
    }, kProbeMs);
    const started = performance.now();
    await server.persistence.snapshot(); // the periodic kind: all 100 000 sellers are dirty after loading
    const ms = performance.now() - started;
    clearInterval(probe);
    return { ms, maxStallMs, sellers: engine.directory.size };
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  console.log(`# Durability bench\n\nNode ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}; ${kRounds} rounds × ${kSeconds} s ` +
    `after a discarded ${benchConfig.warmupSeconds} s warm-up on each server, order rotated per round, medians.\n`);
  const wal: number[] = [];
  const snap: number[] = [];
  const p99: Record<string, number[]> = { wal: [], snapshot: [] };
  for (let round = 0; round < kRounds; round++) {
    for (const mode of rotate(['snapshot', 'wal'] as const, round)) {
      const r = await wsRun(mode, round);
      (mode === 'wal' ? wal : snap).push(r.eventsPerSec);
      p99[mode].push(r.p99);
      console.error(`[durability] round ${round} ${mode}: ${Math.round(r.eventsPerSec)} events/s, p99 ${r.p99.toFixed(1)} ms`);
    }
  }
  const ratio = median(ratios(wal, snap));
  console.log('| WS rows, 1000-event frames | events/s (median) | p99 ack ms (median) |');
  console.log('|---|--:|--:|');
  console.log(`| snapshot mode | ${Math.round(median(snap)).toLocaleString('en-US')} | ${median(p99.snapshot).toFixed(1)} |`);
  console.log(`| wal mode | ${Math.round(median(wal)).toLocaleString('en-US')} | ${median(p99.wal).toFixed(1)} |`);
  console.log(`\nwal / snapshot (median of per-round ratios): ${(ratio * 100).toFixed(1)} % — target ≥ 60 %: ${ratio >= 0.6 ? 'PASS' : 'FAIL'}`);
  const s = await snapshotRun();
  console.log(`\nSnapshot of ${s.sellers.toLocaleString('en-US')} sellers: ${s.ms.toFixed(0)} ms (target ≤ 2000: ${s.ms <= 2000 ? 'PASS' : 'FAIL'}); ` +
    `longest main-thread stall meanwhile ${s.maxStallMs.toFixed(1)} ms (target ≤ 50: ${s.maxStallMs <= 50 ? 'PASS' : 'FAIL'})`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
