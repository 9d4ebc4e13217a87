/**
 * Weekly-report bench (issue 7). `npm run bench:reports`
 *
 * The real server, in this process (so the bench can start the schedule), holding 1 000 sellers
 * with an hour of per-second SALE and CLICK data. wrk posts single events for a fixed time, first
 * idle, then while the schedule makes the 1 000 sellers' weekly reports (analyses in the shards,
 * assembly on the piscina pool, `reports.concurrency` at a time). Reported per round: ingest p99
 * idle and during generation, their ratio (target ≤ 2×), and how long the 1 000 reports took.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../config/index.js';
import { startServer, type ServerHandle } from '../api/server.js';
import { kOperatorTenantId } from '../engine/tenancy/tenant-registry.js';
import { IngestResult } from '../engine/index.js';
import { benchConfig, kMsPerSec } from './bench-config.js';
import { runWrk } from './wrk-driver.js';
import { median } from './stats.js';

const kSellers = Number(process.env.BENCH_REPORT_SELLERS ?? 1_000);
const kSeconds = Number(process.env.BENCH_SECONDS ?? 10);
const kRounds = Number(process.env.BENCH_ROUNDS ?? 3);
const kHistorySeconds = 3_600;
const kTarget = 2;
const kKillSlackMs = 10_000;
const kConnections = 8;

/** An hour of one SALE and one CLICK per seller per 10 s, loaded in columnar calls (in-process, no HTTP). */
function seed(server: ServerHandle, now: number): void {
  const result = new IngestResult();
  const ids = Array.from({ length: kSellers }, (_, i) => `report-${i}`);
  const step = 10;
  for (let s = 0; s < kHistorySeconds; s += step) {
    const n = kSellers * 2;
    const sellerIndex = new Uint32Array(n);
    const types = new Uint8Array(n);
    const timestamps = new Float64Array(n);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sellerIndex[i] = i >> 1;
      types[i] = i & 1;
      timestamps[i] = now - (kHistorySeconds - s) * kMsPerSec;
      values[i] = 10 + ((i * 7 + s) % 90);
    }
    for (;;) {
      server.engine.ingestColumnar(kOperatorTenantId, { sellerIds: ids, sellerIndex, timestamps, typeNames: ['SALE', 'CLICK'], types, values, length: n }, Date.now(), result);
      if (!result.queueFull) break;
      server.engine.publishRecovered();
    }
  }
}

async function wrk(port: number, workDir: string, name: string): Promise<number> {
  const r = await runWrk({
    url: `http://${benchConfig.host}:${port}/events`, body: JSON.stringify({ sellerId: 'probe', timestamp: Date.now(), type: 'CLICK' }),
    contentType: 'application/json', threads: 1, connections: kConnections, durationSec: kSeconds, workDir, name, killAfterMs: kSeconds * kMsPerSec + kKillSlackMs,
  }, () => {});
  return r.p99Ms;
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'sellerpulse-reports-'));
  const rows: string[] = [];
  const ratios: number[] = [];
  for (let round = 1; round <= kRounds; round++) {
    const config = loadConfig({
      env: {},
      overrides: {
        server: { host: benchConfig.host, port: 0 }, dataDir: join(workDir, `data-${round}`), durability: { mode: 'snapshot' },
        monitor: { enabled: false }, log: { level: 'warn' }, shard: { maxSellersPerShard: 1 << 16 },
        limits: { maxFrameSellers: kSellers, maxFrameEvents: kSellers * 2 },
      },
    });
    const server = await startServer({ config, logger: pino({ level: 'warn' }), bootstrapAdminKey: benchConfig.apiKey });
    try {
      seed(server, Date.now());
      await server.engine.drain();
      const idle = await wrk(server.port, workDir, `idle-${round}`);
      const started = performance.now();
      const making = server.weekly.runSchedule();
      const busy = await wrk(server.port, workDir, `busy-${round}`);
      const madeDuringLoad = server.weekly.generated;
      const made = await making;
      const tookS = (performance.now() - started) / kMsPerSec;
      ratios.push(busy / idle);
      rows.push(`| ${round} | ${idle.toFixed(2)} | ${busy.toFixed(2)} | ${(busy / idle).toFixed(2)}× | ${madeDuringLoad} | ${made} in ${tookS.toFixed(1)} s |`);
      process.stderr.write(`[reports] round ${round}: p99 idle ${idle.toFixed(2)} ms, during ${busy.toFixed(2)} ms, ${made} reports in ${tookS.toFixed(1)} s\n`);
    } finally {
      await server.close();
    }
  }
  const m = median(ratios);
  const report = [
    `# Weekly reports vs ingest latency — ${new Date().toISOString()}`,
    '',
    `Node ${process.version}, ${cpus()[0]?.model.trim()} × ${cpus().length}; ${kSellers} sellers with an hour of SALE and CLICK data; wrk single-event POST /events, ${kConnections} connections, ${kSeconds} s idle then ${kSeconds} s while the schedule makes every seller's weekly report (reports.concurrency ${loadConfig({ env: {} }).reports.concurrency}, pauseMs ${loadConfig({ env: {} }).reports.pauseMs}, busyPauseMs ${loadConfig({ env: {} }).reports.busyPauseMs} above event-loop utilisation ${loadConfig({ env: {} }).reports.busyUtilization}, pool threads ${loadConfig({ env: {} }).pool.maxThreads}).`,
    '',
    '| Round | ingest p99 idle (ms) | p99 during generation (ms) | ratio | reports made during the load | all reports made |',
    '|--:|--:|--:|--:|--:|---|',
    ...rows,
    '',
    `Median ratio: **${m.toFixed(2)}×** (target ≤ ${kTarget}×): ${m <= kTarget ? 'PASS' : 'FAIL'}.`,
    '',
  ].join('\n');
  process.stdout.write(report);
  writeFileSync(join(benchConfig.output.resultsDir, 'reports.md'), report);
}

main().catch((err: unknown) => {
  process.stderr.write(`reports bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
