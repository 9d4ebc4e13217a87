/**
 * Parent side of the driver protocol: forks bench/driver-child.js, hands it the job, calls
 * `onReady` (start sampling) before releasing the load and `onLoadEnded` (stop sampling) when the
 * timed part is over, and resolves with the result. The child is killed by PID if it overruns.
 */
import { fork } from 'node:child_process';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { kRepoRoot } from './bench-config.js';
import type { ChildMessage, DriverJob, DriverResult, ParentMessage } from './driver-protocol.js';

export interface DriverHooks {
  onReady(pid: number): Promise<void>;
  onLoadEnded(): Promise<void>;
}

/** BENCH_DRIVER_NICE, when set, overrides every bench's choice (0: the generator at the server's priority). */
function driverNice(benchDefault: number): number {
  const env = process.env.BENCH_DRIVER_NICE;
  return env === undefined || env === '' ? benchDefault : Number(env);
}

/**
 * `nice`: the load generator's nice value (0 unless a bench asks otherwise) — a niced generator yields a
 * core to the server under test whenever both want it, and still takes every idle cycle.
 */
export function runDriver(job: DriverJob, hooks: DriverHooks, killAfterMs: number, nice = 0): Promise<DriverResult> {
  const child = fork(join(kRepoRoot, 'dist', 'bench', 'driver-child.js'), [], { cwd: kRepoRoot, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pid = child.pid;
  const niceness = driverNice(nice);
  if (pid !== undefined && niceness !== 0) setPriority(pid, niceness);
  return new Promise<DriverResult>((resolve, reject) => {
    let settled = false;
    let loadEnded: Promise<void> | null = null;
    let gotResult = false;
    const killer = setTimeout(() => {
      fail(new Error(`load driver ${job.kind} overran ${killAfterMs} ms; killed`));
      if (pid !== undefined && child.exitCode === null) process.kill(pid, 'SIGKILL');
    }, killAfterMs);
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(killer);
      reject(err);
    };
    const send = (m: ParentMessage) => child.send(m);
    child.on('message', (m: ChildMessage) => {
      switch (m.type) {
        case 'ready':
          hooks.onReady(pid ?? -1).then(() => send({ type: 'go' }), (err: Error) => fail(err));
          break;
        case 'load-ended':
          loadEnded = hooks.onLoadEnded();
          break;
        case 'result':
          gotResult = true;
          (loadEnded ?? hooks.onLoadEnded()).then(() => {
            if (settled) return;
            settled = true;
            clearTimeout(killer);
            resolve(m.result);
          }, (err: Error) => fail(err));
          break;
        case 'failed':
          fail(new Error(`load driver ${job.kind} failed: ${m.error}`));
          break;
      }
    });
    child.once('error', (err) => fail(err));
    child.once('exit', (code, signal) => {
      if (!gotResult) setImmediate(() => fail(new Error(`load driver ${job.kind} exited (${code ?? signal}) without a result`)));
    });
    send({ type: 'job', job });
  });
}
