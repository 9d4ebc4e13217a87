/**
 * Hooks bench (issue 6). `npm run bench:hooks`
 *
 * Two engine processes in the same run: one without hooks, one with a no-op module hook at every
 * point (pre/post-anomaly, pre/post-prediction, alert-trigger) and the monitor sweeping every
 * second so the hooks really run meanwhile. wrk posts single events to each, rounds alternating
 * the order; reported: the median of the per-round ratios of accepted req/s (target ≥ 95 %).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchConfig, kMsPerSec } from './bench-config.js';
import { startServer, stopServer, type ServerChild } from './server-process.js';
import { freePort } from './free-port.js';
import { runWrk } from './wrk-driver.js';
import { median, ratios, rotate } from './stats.js';

const kRounds = Number(process.env.BENCH_ROUNDS ?? 3);
const kSeconds = Number(process.env.BENCH_SECONDS ?? 10);
const kConnections = benchConfig.http.connections;
const kTarget = 0.95;
const kKillSlackMs = 10_000;
const kMonitorIntervalMs = 1_000;

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'sellerpulse-hooks-'));
  const hook = join(workDir, 'noop-hook.mjs');
  writeFileSync(hook, 'export default async () => null;\n');
  const configs = {
    none: { durability: { mode: 'snapshot' }, monitor: { intervalMs: kMonitorIntervalMs } },
    noop: {
      durability: { mode: 'snapshot' }, monitor: { intervalMs: kMonitorIntervalMs },
      hooks: { hooks: [{ name: 'noop', module: hook, timeoutMs: 1000, points: ['pre-anomaly', 'post-anomaly', 'pre-prediction', 'post-prediction', 'alert-trigger'] }] },
    },
  } as const;
  const servers: Record<string, ServerChild> = {};
  const results: Record<string, number[]> = { none: [], noop: [] };
  try {
    for (const [name, config] of Object.entries(configs)) {
      const file = join(workDir, `${name}.json`);
      writeFileSync(file, JSON.stringify(config));
      servers[name] = await startServer({ name, script: 'dist/api/main.js', port: await freePort(benchConfig.host), env: { SELLERPULSE_CONFIG: file, SELLERPULSE_LOG_LEVEL: 'warn' } });
    }
    const body = JSON.stringify({ sellerId: 'hooked-seller', timestamp: Date.now(), type: 'CLICK' });
    for (let round = 0; round <= kRounds; round++) {
      for (const name of rotate(['none', 'noop'], round)) {
        const r = await runWrk({
          url: `${servers[name].baseUrl}/events`, body, contentType: 'application/json', threads: 1, connections: kConnections,
          durationSec: kSeconds, workDir, name: `${name}-${round}`, killAfterMs: kSeconds * kMsPerSec + kKillSlackMs,
        }, () => {});
        const perSec = r.ok / r.durationSec;
        process.stderr.write(`[hooks] round ${round === 0 ? 'warm-up' : round} ${name}: ${Math.round(perSec)} req/s\n`);
        if (round > 0) results[name].push(perSec);
      }
    }
  } finally {
    await Promise.all(Object.values(servers).map((s) => stopServer(s)));
  }
  const ratio = median(ratios(results.noop, results.none));
  const report = [
    `# Ingest with a no-op hook at every point vs none — ${new Date().toISOString()}`,
    '',
    `Node ${process.version}, ${cpus()[0]?.model.trim()} × ${cpus().length}; wrk single-event POST /events, ${kConnections} connections, ${kSeconds} s × ${kRounds} rounds after a discarded warm-up, order alternating; monitor sweeping every ${kMonitorIntervalMs} ms in both.`,
    '',
    '| | req/s per round | median |',
    '|---|---|--:|',
    `| no hooks | ${results.none.map(Math.round).join(', ')} | ${Math.round(median(results.none))} |`,
    `| no-op hook at every point | ${results.noop.map(Math.round).join(', ')} | ${Math.round(median(results.noop))} |`,
    '',
    `Median of per-round ratios: **${(ratio * 100).toFixed(1)} %** (target ≥ ${kTarget * 100} %): ${ratio >= kTarget ? 'PASS' : 'FAIL'}.`,
    '',
  ].join('\n');
  process.stdout.write(report);
  writeFileSync(join(benchConfig.output.resultsDir, 'hooks.md'), report);
}

main().catch((err: unknown) => {
  process.stderr.write(`hooks bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
