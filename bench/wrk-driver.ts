/**
 * Drives HTTP load with wrk: a small Lua script sets the method, content type and a pre-built body
 * (read from a file), and its done() hook prints one JSON line with the exact totals and latency
 * percentiles, which is parsed from wrk's output. The child is killed (by PID) if it overruns.
 */
import { benchConfig } from './bench-config.js';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpLoadResult } from './autocannon-driver.js';

const kResultMarker = 'BENCH_WRK_RESULT ';
const kMicrosPerMs = 1000;
const kMicrosPerSec = 1_000_000;

export interface WrkJob {
  url: string;
  body: string;
  contentType: string;
  threads: number;
  connections: number;
  durationSec: number;
  /** Directory for the body and the Lua script. */
  workDir: string;
  name: string;
  killAfterMs: number;
  /** API key sent (default: the operator key every server under test starts with). */
  apiKey?: string;
}

function luaString(s: string): string {
  return JSON.stringify(s); // a JSON string literal is a valid Lua string literal for these ASCII paths/types
}

export function writeWrkScript(job: WrkJob): string {
  const bodyPath = join(job.workDir, `${job.name}.body`);
  const scriptPath = join(job.workDir, `${job.name}.lua`);
  writeFileSync(bodyPath, job.body);
  writeFileSync(scriptPath, [
    'wrk.method = "POST"',
    `wrk.headers["Content-Type"] = ${luaString(job.contentType)}`,
    `wrk.headers["Authorization"] = ${luaString(`Bearer ${job.apiKey ?? benchConfig.apiKey}`)}`,
    `local f = assert(io.open(${luaString(bodyPath)}, "rb"))`,
    'wrk.body = f:read("*a")',
    'f:close()',
    'function done(summary, latency, requests)',
    '  local e = summary.errors',
    `  io.write(string.format('${kResultMarker}{"durationUs":%d,"requests":%d,"non2xx":%d,"socketErrors":%d,"p50Us":%d,"p99Us":%d}\\n',`,
    '    summary.duration, summary.requests, e.status, e.connect + e.read + e.write + e.timeout,',
    '    latency:percentile(50), latency:percentile(99)))',
    'end',
    '',
  ].join('\n'));
  return scriptPath;
}

interface WrkLine {
  durationUs: number;
  requests: number;
  non2xx: number;
  socketErrors: number;
  p50Us: number;
  p99Us: number;
}

export function parseWrkOutput(stdout: string): HttpLoadResult {
  const line = stdout.split('\n').find((l) => l.startsWith(kResultMarker));
  if (line === undefined) throw new Error(`wrk printed no result line:\n${stdout.slice(-2000)}`);
  const r = JSON.parse(line.slice(kResultMarker.length)) as WrkLine;
  return {
    durationSec: r.durationUs / kMicrosPerSec,
    requests: r.requests,
    ok: r.requests - r.non2xx,
    non2xx: r.non2xx,
    errors: r.socketErrors,
    p50Ms: r.p50Us / kMicrosPerMs,
    p99Ms: r.p99Us / kMicrosPerMs,
  };
}

/** Runs wrk; `onSpawn` receives its PID (for CPU sampling) once it started. */
export function runWrk(job: WrkJob, onSpawn: (pid: number) => void): Promise<HttpLoadResult> {
  const script = writeWrkScript(job);
  const args = ['-t', String(job.threads), '-c', String(job.connections), '-d', `${job.durationSec}s`, '-s', script, job.url];
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const killer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, job.killAfterMs);
    child.once('spawn', () => {
      if (child.pid !== undefined) onSpawn(child.pid);
    });
    child.once('error', (err) => {
      clearTimeout(killer);
      reject(new Error(`cannot run wrk (install it: apt-get install -y wrk): ${err.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(killer);
      if (code !== 0) {
        reject(new Error(`wrk exited with ${code ?? signal}: ${stderr.slice(-1000)}`));
        return;
      }
      try {
        resolve(parseWrkOutput(stdout));
      } catch (err) {
        reject(err as Error);
      }
    });
  });
}
