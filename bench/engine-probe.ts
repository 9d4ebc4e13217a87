/**
 * Preloaded into each server under test (`node --import <this file> server.js`) so the bench can
 * read main-thread event-loop utilisation and GC activity without an endpoint in the server: the
 * orchestrator asks over the IPC channel and gets cumulative counters back. Does nothing in worker
 * threads or without an IPC channel. The channel is unref'd so it never keeps the server alive.
 */
import { isMainThread } from 'node:worker_threads';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchConfig } from './bench-config.js';

export interface ProbeSnapshot {
  type: 'bench-probe-reply';
  id: number;
  /** Cumulative event-loop idle and active time (ms) of the main thread. */
  idleMs: number;
  activeMs: number;
  gcCount: number;
  gcMs: number;
  heapUsedBytes: number;
}

export interface ProbeRequest {
  type: 'bench-probe';
  id: number;
}

function isProbeRequest(m: unknown): m is ProbeRequest {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'bench-probe';
}

const kNsPerMs = 1e6;

/** Wall-clock milliseconds of a performance timestamp. */
const wallMs = (t: number): number => Math.round(performance.timeOrigin + t);

if (isMainThread && typeof process.send === 'function') {
  let gcCount = 0;
  let gcMs = 0;
  const { dir, checkMs, stallMs } = benchConfig.gcLog;
  const logFile = dir === '' ? null : join(dir, `server-${process.pid}.log`);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcCount++;
      gcMs += entry.duration;
      if (logFile !== null) {
        const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0;
        appendFileSync(logFile, `gc ${kind} ${wallMs(entry.startTime)} ${entry.duration.toFixed(2)}\n`);
      }
    }
  }).observe({ entryTypes: ['gc'] });
  if (logFile !== null && stallMs > 0) {
    // /proc/thread-self/schedstat: ns on a CPU, ns waiting in a run queue — tells a stall our code
    // spent running from one the scheduler kept the thread off a core
    const schedstat = (): [number, number] => {
      const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ');
      return [Number(run) / kNsPerMs, Number(wait) / kNsPerMs];
    };
    let last = performance.now();
    let [lastRun, lastWait] = schedstat();
    setInterval(() => {
      const now = performance.now();
      const [run, wait] = schedstat();
      if (now - last > stallMs) appendFileSync(logFile, `stall ${wallMs(last)} ${(now - last).toFixed(1)} run ${(run - lastRun).toFixed(2)} wait ${(wait - lastWait).toFixed(2)}\n`);
      last = now;
      lastRun = run;
      lastWait = wait;
    }, checkMs).unref();
  }

  process.on('message', (m: unknown) => {
    if (!isProbeRequest(m) || !process.send) return;
    const elu = performance.eventLoopUtilization();
    const reply: ProbeSnapshot = {
      type: 'bench-probe-reply', id: m.id, idleMs: elu.idle, activeMs: elu.active, gcCount, gcMs,
      heapUsedBytes: process.memoryUsage().heapUsed,
    };
    process.send(reply);
  });
  process.channel?.unref();
}
