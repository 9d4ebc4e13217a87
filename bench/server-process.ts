/**
 * Starts a server under test as a child process (engine, bare uWS baseline or Fastify peer), waits
 * until GET /healthz answers 200, queries the ELU/GC probe over IPC, and stops it by PID (SIGTERM,
 * then SIGKILL after a timeout).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchConfig, kRepoRoot } from './bench-config.js';
import type { ProbeRequest, ProbeSnapshot } from './engine-probe.js';

const kTailLines = 40;

export interface ServerSpec {
  name: string;
  /** Script path relative to the repository root, e.g. dist/api/main.js. */
  script: string;
  port: number;
  env: Record<string, string>;
}

export interface ServerChild {
  name: string;
  pid: number;
  port: number;
  baseUrl: string;
  proc: ChildProcess;
  output: string[];
  /** The store directory made for this run (removed on stop); null when the caller gave one. */
  ownDataDir: string | null;
}

function keepTail(lines: string[], chunk: string): void {
  lines.push(...chunk.split('\n').filter((l) => l !== ''));
  if (lines.length > kTailLines) lines.splice(0, lines.length - kTailLines);
}

async function waitHealthy(child: ServerChild): Promise<void> {
  const { serverReadyMs, healthPollMs } = benchConfig.timeouts;
  const deadline = Date.now() + serverReadyMs;
  while (Date.now() < deadline) {
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) break;
    try {
      const res = await fetch(`${child.baseUrl}/healthz`);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(healthPollMs);
  }
  throw new Error(`${child.name} did not become healthy:\n${child.output.join('\n')}`);
}

export async function startServer(spec: ServerSpec): Promise<ServerChild> {
  const preload = (name: string) => ['--import', pathToFileURL(join(kRepoRoot, 'dist', 'bench', name)).href];
  // BENCH_CPU_PROF_DIR: every server (main thread and workers) writes a V8 CPU profile there on exit
  const profile = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`, `--cpu-prof-interval=${process.env.BENCH_CPU_PROF_INTERVAL_US ?? 1000}`] : [];
  const nodeArgs = [...profile, ...preload('parent-lifeline.js'), ...(benchConfig.probe ? preload('engine-probe.js') : [])];
  // each run starts on an empty store, so no config version or snapshot carries over between runs
  const ownDataDir = spec.env.SELLERPULSE_DATA_DIR === undefined ? mkdtempSync(join(tmpdir(), 'sellerpulse-bench-')) : null;
  const proc = spawn(process.execPath, [...nodeArgs, join(kRepoRoot, spec.script)], {
    cwd: kRepoRoot,
    env: { ...process.env, ...(ownDataDir === null ? {} : { SELLERPULSE_DATA_DIR: ownDataDir }), SELLERPULSE_BOOTSTRAP_ADMIN_KEY: benchConfig.apiKey, ...spec.env, HOST: benchConfig.host, PORT: String(spec.port) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  if (proc.pid === undefined) throw new Error(`cannot start ${spec.name}`);
  const child: ServerChild = {
    name: spec.name, pid: proc.pid, port: spec.port, baseUrl: `http://${benchConfig.host}:${spec.port}`, proc, output: [], ownDataDir,
  };
  proc.stdout?.setEncoding('utf8').on('data', (d: string) => keepTail(child.output, d));
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => keepTail(child.output, d));
  try {
    await waitHealthy(child);
  } catch (err) {
    await stopServer(child);
    throw err;
  }
  return child;
}

export async function stopServer(child: ServerChild): Promise<void> {
  await stopProcess(child);
  if (child.ownDataDir !== null) rmSync(child.ownDataDir, { recursive: true, force: true });
}

async function stopProcess(child: ServerChild): Promise<void> {
  const proc = child.proc;
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (proc.exitCode === null && proc.signalCode === null) process.kill(child.pid, 'SIGKILL');
  }, benchConfig.timeouts.serverStopMs);
  await exited;
  clearTimeout(timer);
}

let probeCounter = 0;

/** Cumulative ELU/GC counters of the server's main thread, or null without the probe. */
export function probeServer(child: ServerChild): Promise<ProbeSnapshot | null> {
  const proc = child.proc;
  if (!benchConfig.probe || !proc.connected) return Promise.resolve(null);
  const id = ++probeCounter;
  return new Promise((resolve) => {
    const onMessage = (m: unknown) => {
      const reply = m as ProbeSnapshot;
      if (reply?.type !== 'bench-probe-reply' || reply.id !== id) return;
      finish(reply);
    };
    const timer = setTimeout(() => finish(null), benchConfig.timeouts.probeReplyMs);
    const finish = (value: ProbeSnapshot | null) => {
      clearTimeout(timer);
      proc.off('message', onMessage);
      resolve(value);
    };
    proc.on('message', onMessage);
    const request: ProbeRequest = { type: 'bench-probe', id };
    proc.send(request);
  });
}
