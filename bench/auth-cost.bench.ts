/**
 * Auth and rate-limit cost (issue 5). `npm run bench:auth`
 *
 * Two copies of the real server run side by side: one as configured (keys and rate limits on),
 * one with `access.enabled: false`. wrk posts single events to them in short alternating slices
 * (the order flipping every pair), so both see the same machine state; this VM drifts ±20 %
 * between 10-second runs, which swamps a 10 % effect when the two are measured minutes apart.
 * Reported: the median of the per-pair throughput ratios (target ≥ 0.90) and, as a second view
 * that does not depend on the scheduler, the main thread's CPU time per request of each server.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchConfig, kMsPerSec } from './bench-config.js';
import { runWrk } from './wrk-driver.js';
import { startServer, stopServer, type ServerChild } from './server-process.js';
import { freePort } from './free-port.js';
import { cpuSeconds } from './proc-sampler.js';
import { median } from './stats.js';

const kPairs = Number(process.env.BENCH_PAIRS ?? 15);
const kSliceSeconds = Number(process.env.BENCH_SLICE_SECONDS ?? 3);
const kTarget = benchConfig.targets.singleVsOpenEngine;
const kKillSlackMs = 10_000;
const kMicrosPerSec = 1_000_000;

interface Slice { reqPerSec: number; mainCpuUsPerRequest: number; non2xx: number }

async function slice(server: ServerChild, workDir: string, body: string, tag: string): Promise<Slice> {
  const stat = `/proc/${server.pid}/task/${server.pid}/stat`;
  const before = cpuSeconds(stat);
  const r = await runWrk({
    url: `${server.baseUrl}/events`, body, contentType: 'application/json', threads: benchConfig.http.wrkThreads,
    connections: benchConfig.http.connections, durationSec: kSliceSeconds, workDir, name: tag, killAfterMs: kSliceSeconds * kMsPerSec + kKillSlackMs,
  }, () => {});
  const cpu = cpuSeconds(stat) - before;
  return { reqPerSec: r.requests / r.durationSec, mainCpuUsPerRequest: (cpu * kMicrosPerSec) / r.requests, non2xx: r.non2xx };
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'sellerpulse-auth-cost-'));
  const openConfig = join(workDir, 'access-off.json');
  writeFileSync(openConfig, JSON.stringify({ access: { enabled: false } }));
  const common = { SELLERPULSE_LOG_LEVEL: benchConfig.engineLogLevel, SELLERPULSE_DURABILITY: benchConfig.durability };
  const on = await startServer({ name: 'keys and limits on', script: 'dist/api/main.js', port: await freePort(benchConfig.host), env: { ...common, SELLERPULSE_DATA_DIR: join(workDir, 'on') } });
  const off = await startServer({ name: 'keys and limits off', script: 'dist/api/main.js', port: await freePort(benchConfig.host), env: { ...common, SELLERPULSE_DATA_DIR: join(workDir, 'off'), SELLERPULSE_CONFIG: openConfig } });
  try {
    const body = JSON.stringify({ sellerId: 'auth-cost', timestamp: Date.now(), type: 'CLICK' });
    // warm both (JIT, connection setup) before anything counts
    await slice(on, workDir, body, 'warm-on');
    await slice(off, workDir, body, 'warm-off');
    const pairs: { on: Slice; off: Slice }[] = [];
    for (let i = 0; i < kPairs; i++) {
      const first = i % 2 === 0 ? on : off;
      const second = first === on ? off : on;
      const a = await slice(first, workDir, body, `pair-${i}-a`);
      const b = await slice(second, workDir, body, `pair-${i}-b`);
      pairs.push(first === on ? { on: a, off: b } : { on: b, off: a });
      process.stderr.write(`[auth-cost] pair ${i + 1}/${kPairs}: on ${Math.round(pairs[i].on.reqPerSec)} req/s, off ${Math.round(pairs[i].off.reqPerSec)} req/s\n`);
    }
    const ratio = median(pairs.map((p) => p.on.reqPerSec / p.off.reqPerSec));
    const cpuOn = median(pairs.map((p) => p.on.mainCpuUsPerRequest));
    const cpuOff = median(pairs.map((p) => p.off.mainCpuUsPerRequest));
    const non2xx = pairs.reduce((n, p) => n + p.on.non2xx + p.off.non2xx, 0);
    const report = [
      `# Auth and rate-limit cost — ${new Date().toISOString()}`,
      '',
      `Node ${process.version}, ${cpus()[0]?.model.trim()} × ${cpus().length}; wrk ${benchConfig.http.wrkThreads} thread, ${benchConfig.http.connections} connections, single-event POST /events; ${kPairs} pairs of ${kSliceSeconds} s slices, alternating which server goes first; durability ${benchConfig.durability}.`,
      '',
      '| Pair | on req/s | off req/s | on / off | on main-thread µs/req | off main-thread µs/req |',
      '|--:|--:|--:|--:|--:|--:|',
      ...pairs.map((p, i) => `| ${i + 1} | ${Math.round(p.on.reqPerSec)} | ${Math.round(p.off.reqPerSec)} | ${(p.on.reqPerSec / p.off.reqPerSec).toFixed(3)} | ${p.on.mainCpuUsPerRequest.toFixed(2)} | ${p.off.mainCpuUsPerRequest.toFixed(2)} |`),
      '',
      `Median on/off throughput ratio: **${ratio.toFixed(3)}** (target ≥ ${kTarget}): ${ratio >= kTarget ? 'PASS' : 'FAIL'}.`,
      `Median main-thread CPU per request: on ${cpuOn.toFixed(2)} µs, off ${cpuOff.toFixed(2)} µs (off/on ${(cpuOff / cpuOn).toFixed(3)}).`,
      `Non-2xx answers: ${non2xx}.`,
      '',
    ].join('\n');
    process.stdout.write(report);
    writeFileSync(join(benchConfig.output.resultsDir, 'auth-cost.md'), report);
  } finally {
    await stopServer(on);
    await stopServer(off);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`auth-cost bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
