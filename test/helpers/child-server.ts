/** Runs `node dist/api/main.js` as a child process, the way `npm start` does, on a free port. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { kTestAdminKey } from './keys.js';

const kMain = fileURLToPath(new URL('../../dist/api/main.js', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface ChildServer {
  proc: ChildProcess;
  port: number;
  base: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the server; a fresh data dir unless env sets SELLERPULSE_DATA_DIR (then restarts share it).
 * `wrapper`: a command the server runs under (e.g. setpriv to drop a capability).
 */
export async function startChildServer(env: Record<string, string> = {}, wrapper: readonly string[] = []): Promise<ChildServer> {
  const port = await freePort();
  const dataDir = env.SELLERPULSE_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'sellerpulse-child-'));
  const [command, ...args] = [...wrapper, process.execPath, kMain];
  const proc = spawn(command, args, {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), SELLERPULSE_LOG_LEVEL: 'info', SELLERPULSE_DATA_DIR: dataDir, SELLERPULSE_BOOTSTRAP_ADMIN_KEY: kTestAdminKey, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })));
  const child: ChildServer = { proc, port, base: `http://127.0.0.1:${port}`, stdout: () => out, stderr: () => err, exited };
  let gone = false;
  void exited.then(() => (gone = true));
  while (!gone) {
    try {
      if ((await fetch(`${child.base}/healthz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return child;
}

/** pino JSON lines of a child's stdout. */
export function logLines(stdout: string): Record<string, any>[] {
  return stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}
