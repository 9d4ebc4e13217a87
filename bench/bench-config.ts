/**
 * Every bench parameter in one place. Durations, rounds and load shapes can be overridden from the
 * environment (BENCH_*); BENCH_QUICK=1 selects the smoke-test profile (short, one round).
 * Server-side limits (body/frame sizes, event types) come from the engine's own configuration
 * (defaults + SELLERPULSE_CONFIG) so the baselines enforce the same limits as the server under test.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/index.js';

const kMsPerSecond = 1000;
const kMsPerMinute = 60 * kMsPerSecond;

function envNumber(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name}=${raw}: expected a number ≥ ${min}`);
  return n;
}

function envList(name: string, fallback: string[]): string[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function envFlag(name: string): boolean {
  const raw = process.env[name];
  return raw !== undefined && raw !== '' && raw !== '0' && raw.toLowerCase() !== 'false';
}

const quick = envFlag('BENCH_QUICK');

/** Performance targets (reported as PASS/FAIL). */
const targets = {
  singleVsBaseline: 0.8,
  singleVsFastify: 2,
  /** Auth and rate limiting may cost at most 10 % of single-event throughput (engine vs engine with access off). */
  singleVsOpenEngine: 0.9,
  batchVsBaseline: 0.85,
  batchEvents: 1000,
  wsRowEventsPerSec: 1_000_000,
  wsRowVsBaseline: 0.7,
  wsColumnarEventsPerSec: 3_000_000,
  wsFrameEvents: 1000,
  wsP99Ms: 20,
} as const;

interface PacedScenario {
  format: string;
  eventsPerFrame: number;
  eventsPerSec: number;
}

/** The engine's effective configuration (defaults + SELLERPULSE_CONFIG), as the server will load it. */
const engineConfig = loadConfig();

/** Repository root (this file runs as dist/bench/bench-config.js). */
export const kRepoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const benchConfig = {
  quick,
  host: '127.0.0.1',
  /**
   * The operator admin key every server under test starts with (SELLERPULSE_BOOTSTRAP_ADMIN_KEY);
   * every driver sends it, so the baselines parse the same header bytes the engine authenticates.
   */
  apiKey: 'sp_bench-operator-key-0123456789abcdef',
  /** Seconds per timed measurement. */
  seconds: envNumber('BENCH_SECONDS', quick ? 2 : 10, 1),
  /** Seconds per warm-up measurement (the warm-up round is discarded); 0 skips the warm-up. */
  warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', quick ? 1 : 3, 0),
  /** Timed rounds; the order of the servers rotates from one round to the next. */
  rounds: envNumber('BENCH_ROUNDS', quick ? 1 : 3, 1),
  /** Regular expression selecting scenario ids (e.g. "^ws-columnar|http-single"); empty = all. */
  only: process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null,
  /** Shard workers of the engine; 0 = the server's default (one per CPU). */
  engineShards: envNumber('BENCH_SHARDS', 0, 0),
  engineLogLevel: 'warn',
  /** Load ELU/GC probe (bench/engine-probe.ts) into each server with --import. */
  probe: !envFlag('BENCH_NO_PROBE'),
  /**
   * BENCH_GC_LOG_DIR: the probe also writes each main-thread GC (kind, wall-clock start, ms) and every
   * event-loop stall longer than `stallMs` (BENCH_GC_LOG_STALL_MS; checked every `checkMs`) of each server to
   * <dir>/server-<pid>.log, and the analytics bench prints its query windows — a GC/stall timeline.
   */
  gcLog: { dir: process.env.BENCH_GC_LOG_DIR ?? '', checkMs: 1, stallMs: envNumber('BENCH_GC_LOG_STALL_MS', 10, 0) },

  http: {
    connections: envNumber('BENCH_HTTP_CONNECTIONS', 32, 1),
    wrkThreads: envNumber('BENCH_WRK_THREADS', 1, 1),
    autocannonPipelining: envNumber('BENCH_AUTOCANNON_PIPELINING', 1, 1),
    /** Events per request of the batch scenarios (the single scenario posts one event to /events). */
    batchSizes: envList('BENCH_BATCH_SIZES', ['100', '1000']).map(Number),
    drivers: envList('BENCH_HTTP_DRIVERS', ['wrk', 'autocannon']),
  },

  /**
   * The engine's durability mode for these ingest scenarios. snapshot (ack once queued) is what the
   * engine-core targets were set for; wal mode's cost is measured by bench/durability.bench.ts.
   */
  durability: process.env.BENCH_DURABILITY === 'wal' ? 'wal' : 'snapshot',

  ws: {
    connections: envNumber('BENCH_WS_CONNECTIONS', 4, 1),
    /**
     * Frames in flight per connection. In a closed loop the ack latency is about in-flight events /
     * throughput, so a latency-minded producer keeps few frames in flight: 2 × 4 connections ×
     * 1000 events ≈ 7 ms of queue at 1.2 M events/s, and still enough to keep the server busy.
     */
    window: envNumber('BENCH_WS_WINDOW', 2, 1),
    frameSizes: envList('BENCH_FRAME_SIZES', ['1', '100', '1000']).map(Number),
    /** row-msgpack | row-json | columnar */
    formats: envList('BENCH_WS_FORMATS', ['row-msgpack', 'columnar']),
    /**
     * Paced (open-loop) latency scenarios: frames offered at a fixed rate — the throughput targets —
     * so the p99 ack latency is measured "under that load" rather than at saturation, where a closed
     * loop's latency is just in-flight events / throughput. BENCH_WS_PACED=0 disables them.
     */
    paced: (process.env.BENCH_WS_PACED === undefined || envFlag('BENCH_WS_PACED')
      ? [
        { format: 'row-msgpack', eventsPerFrame: targets.wsFrameEvents, eventsPerSec: targets.wsRowEventsPerSec },
        { format: 'columnar', eventsPerFrame: targets.wsFrameEvents, eventsPerSec: targets.wsColumnarEventsPerSec },
      ]
      : []) as PacedScenario[],
    /** Distinct pre-encoded frames per connection (each in-flight slot reuses one). */
    distinctFrames: 4,
    /** How long to wait for the acks of frames still in flight when the timed part ends. */
    graceMs: 3 * kMsPerSecond,
    /** A zero mask makes `ws` skip client-side masking (saves client CPU; the server unmasks regardless). */
    zeroMask: envFlag('BENCH_WS_ZERO_MASK'),
  },

  fixtures: {
    /** Sellers per HTTP body set and per WS run (every WS run uses fresh sellers for the ring check). */
    sellers: 64,
    /** Timestamps are spread over this much of the recent past. */
    timestampSpreadMs: 5 * kMsPerMinute,
    maxValue: 500,
    /** Values carry this many decimals. */
    valueDecimals: 2,
    seed: 0x5e11e7,
    eventTypes: engineConfig.events.types.map((t) => t.name),
  },

  /** Limits the baselines enforce, taken from the engine's configuration. */
  limits: {
    maxBodyBytes: engineConfig.limits.maxBodyBytes,
    maxBatchEvents: engineConfig.limits.maxBatchEvents,
    maxFrameBytes: engineConfig.limits.maxFrameBytes,
    wsIdleTimeoutSec: engineConfig.ws.idleTimeoutSec,
    wsMaxBackpressureBytes: engineConfig.ws.maxBackpressureBytes,
  },

  ringCheck: {
    resolution: '1m',
    timeoutMs: 15 * kMsPerSecond,
    pollMs: 250,
    concurrency: 16,
  },

  timeouts: {
    serverReadyMs: 20 * kMsPerSecond,
    healthPollMs: 100,
    serverStopMs: 20 * kMsPerSecond,
    driverPrepareMs: 30 * kMsPerSecond,
    /** Extra time a driver may take beyond its duration and grace before it is killed. */
    driverSlackMs: 15 * kMsPerSecond,
    probeReplyMs: 2 * kMsPerSecond,
  },

  sampling: {
    intervalMs: 250,
    /** wrk sampling stops this long before its duration ends (its process is gone afterwards). */
    endMarginMs: 100,
  },

  targets,

  output: {
    resultsDir: resolve(kRepoRoot, 'bench', 'results'),
    resultsFile: 'latest.md',
  },
} as const;

export type BenchConfig = typeof benchConfig;
export const kMsPerSec = kMsPerSecond;
