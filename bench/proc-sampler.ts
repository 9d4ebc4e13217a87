/**
 * CPU and memory of a process from /proc (Linux): utime+stime deltas of the whole process and of
 * its main thread (/proc/<pid>/task/<pid>/stat, a proxy for event-loop busy time), and VmRSS
 * sampled at a fixed interval (peak kept). Returns NaN where /proc is unavailable.
 */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const kDefaultClockTicks = 100;
const kKiBPerMiB = 1024;
const kMsPerSecond = 1000;
/** utime and stime are fields 14 and 15 of stat; after the ")" closing comm, field 3 has index 0. */
const kUtimeIndex = 14 - 3;
const kStimeIndex = 15 - 3;

function clockTicksPerSecond(): number {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(n) && n > 0 ? n : kDefaultClockTicks;
  } catch {
    return kDefaultClockTicks;
  }
}

const clockTicks = clockTicksPerSecond();

/** utime + stime in seconds of /proc/<path>/stat, or NaN. */
export function cpuSeconds(statPath: string): number {
  try {
    const stat = readFileSync(statPath, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[kUtimeIndex]) + Number(fields[kStimeIndex])) / clockTicks;
  } catch {
    return NaN;
  }
}

export function rssMiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / kKiBPerMiB : NaN;
  } catch {
    return NaN;
  }
}

export interface ProcSample {
  /** Percent of one core (200 = two cores busy). */
  cpuPct: number;
  mainThreadCpuPct: number;
  peakRssMiB: number;
  endRssMiB: number;
}

/** Samples one PID between start() and stop(). */
export class ProcSampler {
  readonly #pid: number;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | null = null;
  #t0 = 0;
  #cpu0 = NaN;
  #main0 = NaN;
  #peakRss = NaN;

  constructor(pid: number, intervalMs: number) {
    this.#pid = pid;
    this.#intervalMs = intervalMs;
  }

  start(): void {
    this.#t0 = performance.now();
    this.#cpu0 = cpuSeconds(`/proc/${this.#pid}/stat`);
    this.#main0 = cpuSeconds(`/proc/${this.#pid}/task/${this.#pid}/stat`);
    this.#peakRss = rssMiB(this.#pid);
    this.#timer = setInterval(() => this.#sampleRss(), this.#intervalMs);
  }

  #sampleRss(): number {
    const rss = rssMiB(this.#pid);
    if (Number.isFinite(rss) && !(rss <= this.#peakRss)) this.#peakRss = rss;
    return rss;
  }

  stop(): ProcSample {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    const seconds = (performance.now() - this.#t0) / kMsPerSecond;
    const endRss = this.#sampleRss();
    const pct = (now: number, then: number) => (100 * (now - then)) / seconds;
    return {
      cpuPct: pct(cpuSeconds(`/proc/${this.#pid}/stat`), this.#cpu0),
      mainThreadCpuPct: pct(cpuSeconds(`/proc/${this.#pid}/task/${this.#pid}/stat`), this.#main0),
      peakRssMiB: this.#peakRss,
      endRssMiB: endRss,
    };
  }
}
