#!/usr/bin/env node
/**
 * `npm run bench`: starts SellerPulse, the bare uWS baseline and the Fastify peer as child
 * processes, runs every scenario against them (warm-up round discarded, server order rotated per
 * round), and writes the medians, ratios and target verdicts as markdown to stdout and to
 * bench/results/latest.md. Progress goes to stderr. BENCH_QUICK=1 for a smoke test.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchConfig, kRepoRoot } from './bench-config.js';
import { httpBodies } from './event-fixtures.js';
import { freePort } from './free-port.js';
import { measure, type Measurement } from './measure.js';
import { renderReport, type Environment } from './report.js';
import { ResultSet } from './results.js';
import { buildScenarios, kTargetLabels, type Scenario, type TargetName } from './scenarios.js';
import { startServer, stopServer, type ServerChild } from './server-process.js';
import { rotate } from './stats.js';
import { evaluateTargets } from './targets.js';

const kBytesPerGiB = 1024 ** 3;
const kWarmupRound = 0;

const kServerScripts: Record<TargetName, string> = {
  engine: join('dist', 'api', 'main.js'),
  engineOpen: join('dist', 'api', 'main.js'),
  baseline: join('dist', 'bench', 'baseline-uws.js'),
  fastify: join('dist', 'bench', 'fastify-peer.js'),
};

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

function wrkVersion(): string | null {
  const r = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (r.error) return null;
  return /wrk\s+(\S+)/.exec(`${r.stdout}${r.stderr}`)?.[1] ?? 'wrk (unknown version)';
}

function environment(wrk: string | null): Environment {
  const list = cpus();
  return {
    startedAt: new Date().toISOString(),
    node: process.version,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    totalMemGiB: totalmem() / kBytesPerGiB,
    loadAvg: loadavg(),
    wrk: wrk === null ? 'wrk not installed' : `wrk ${wrk}`,
    engineShards: benchConfig.engineShards > 0 ? String(benchConfig.engineShards) : `server default (${list.length})`,
    engineConfig: `${process.env.SELLERPULSE_CONFIG ? `defaults + ${process.env.SELLERPULSE_CONFIG}` : 'defaults'}, durability ${benchConfig.durability}`,
  };
}

function serverEnv(target: TargetName, workDir: string): Record<string, string> {
  if (target !== 'engine' && target !== 'engineOpen') return {};
  const env: Record<string, string> = {
    SELLERPULSE_LOG_LEVEL: benchConfig.engineLogLevel,
    SELLERPULSE_DATA_DIR: join(workDir, `data-${target}`),
    SELLERPULSE_DURABILITY: benchConfig.durability,
  };
  if (target === 'engineOpen') {
    const file = join(workDir, 'access-off.json');
    writeFileSync(file, JSON.stringify({ access: { enabled: false } }));
    env.SELLERPULSE_CONFIG = file;
  }
  if (benchConfig.engineShards > 0) env.SELLERPULSE_SHARDS = String(benchConfig.engineShards);
  return env;
}

async function startServers(targets: TargetName[], workDir: string, servers: Map<TargetName, ServerChild>): Promise<void> {
  for (const target of targets) {
    const script = kServerScripts[target];
    if (!existsSync(join(kRepoRoot, script))) throw new Error(`${script} is missing; build first (npx tsc -p tsconfig.json)`);
    const port = await freePort(benchConfig.host);
    const child = await startServer({ name: kTargetLabels[target], script, port, env: serverEnv(target, workDir) });
    servers.set(target, child);
    log(`${kTargetLabels[target]} ready on port ${port} (pid ${child.pid})`);
  }
}

function describe(m: Measurement): string {
  const ring = m.ws?.ring ? `, rings ${m.ws.ring.ok ? 'ok' : `MISMATCH ${m.ws.ring.counted}/${m.ws.ring.expected}`}` : '';
  return `${Math.round(m.reqPerSec)} req|frames/s, ${Math.round(m.eventsPerSec)} events/s, p99 ${m.p99Ms.toFixed(2)} ms, `
    + `server CPU ${Math.round(m.server.cpuPct)} %${m.failures > 0 ? `, ${m.failures} failures` : ''}${ring}`;
}

async function runRounds(scenarios: Scenario[], servers: Map<TargetName, ServerChild>, workDir: string, results: ResultSet, errors: string[]): Promise<void> {
  const rounds: number[] = [];
  if (benchConfig.warmupSeconds > 0) rounds.push(kWarmupRound);
  for (let r = 1; r <= benchConfig.rounds; r++) rounds.push(r);
  let counter = 0;
  for (const round of rounds) {
    const seconds = round === kWarmupRound ? benchConfig.warmupSeconds : benchConfig.seconds;
    log(`round ${round === kWarmupRound ? 'warm-up (discarded)' : `${round}/${benchConfig.rounds}`}, ${seconds} s per measurement`);
    for (const scenario of scenarios) {
      for (const target of rotate(scenario.targets, round)) {
        const server = servers.get(target);
        if (!server) continue;
        if (server.proc.exitCode !== null || server.proc.signalCode !== null) {
          throw new Error(`${server.name} exited:\n${server.output.join('\n')}`);
        }
        const runTag = `${Date.now().toString(36)}${(counter++).toString(36)}`;
        try {
          const m = await measure(scenario, target, server, { seconds, round, workDir, runTag });
          log(`  ${scenario.id} × ${kTargetLabels[target]}: ${describe(m)}`);
          if (round !== kWarmupRound) results.add(m);
        } catch (err) {
          const message = `${scenario.id} × ${kTargetLabels[target]} (round ${round}): ${(err as Error).message}`;
          log(`  FAILED ${message}`);
          errors.push(message);
        }
      }
    }
  }
}

async function main(): Promise<void> {
  const wrk = wrkVersion();
  const env = environment(wrk);
  log(`Node ${env.node}; ${env.cpuModel} × ${env.cores} cores; ${benchConfig.quick ? 'quick' : 'full'} mode`);
  const scenarios = buildScenarios(httpBodies(Date.now()));
  if (scenarios.length === 0) throw new Error('no scenario selected (check BENCH_ONLY)');
  if (wrk === null && scenarios.some((s) => s.kind === 'http' && s.driver === 'wrk')) {
    throw new Error('wrk is not installed (apt-get install -y wrk), or set BENCH_HTTP_DRIVERS=autocannon');
  }
  const targets = (['engine', 'engineOpen', 'baseline', 'fastify'] as const).filter((t) => scenarios.some((s) => s.targets.includes(t)));
  const workDir = mkdtempSync(join(tmpdir(), 'sellerpulse-bench-'));
  const servers = new Map<TargetName, ServerChild>();
  const results = new ResultSet();
  const errors: string[] = [];
  const stopAll = async () => {
    await Promise.all([...servers.values()].map((s) => stopServer(s)));
    servers.clear();
  };
  const onSignal = () => {
    log('interrupted; stopping the servers');
    stopAll().finally(() => {
      rmSync(workDir, { recursive: true, force: true });
      process.exit(1);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await startServers(targets, workDir, servers);
    await runRounds(scenarios, servers, workDir, results, errors);
  } finally {
    await stopAll();
    rmSync(workDir, { recursive: true, force: true });
  }
  let report = renderReport(env, scenarios, results, evaluateTargets(results));
  if (errors.length > 0) report += `\n## Failed measurements\n\n${errors.map((e) => `- ${e.replace(/\n/g, ' ')}`).join('\n')}\n`;
  process.stdout.write(report);
  mkdirSync(benchConfig.output.resultsDir, { recursive: true });
  const file = join(benchConfig.output.resultsDir, benchConfig.output.resultsFile);
  writeFileSync(file, report);
  log(`written to ${file}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
