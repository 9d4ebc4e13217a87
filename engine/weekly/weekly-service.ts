/**
 * Weekly reports (issue 7): per seller and week (weeks as the weekly rollups align them), gathered
 * on the main thread (weekly-inputs.ts), assembled on the piscina pool (weekly-task.ts) and stored
 * in LMDB under retention. A schedule makes the last complete week's report for every seller that
 * lacks one, a few at a time (`reports.concurrency`), pausing between reports — longer while the
 * main thread is busy serving requests — so ingest keeps its latency; a query for a
 * missing report makes it at once (one computation per seller and week at a time).
 */
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Piscina } from 'piscina';
import type { Store } from '../store/store.js';
import { splitSellerKey } from '../router/seller-directory.js';
import { bucketStart } from '../rollup/rollups.js';
import { gatherWeekly, type WeeklySources } from './weekly-inputs.js';
import type { StoredWeeklyReport, WeeklyReport } from './weekly-task.js';
import { kMsPerDay } from '../time-units.js';


export class WeeklyReports {
  readonly #src: WeeklySources;
  readonly #pool: Piscina;
  readonly #now: () => number;
  readonly #log: Logger;
  readonly #running = new Map<string, Promise<StoredWeeklyReport | undefined>>();
  #timer: NodeJS.Timeout | null = null;
  #sweep: Promise<number> | null = null;
  generated = 0;
  /** Pauses the schedule lengthened because the main thread was busy (reports.busyUtilization). */
  yielded = 0;

  /**
   * The redacted config of a version, attached to a report when it is answered — stored once per
   * version (the config history) instead of once per report, and never copied into the pool.
   */
  snapshotOf: (version: number) => { version: number; config: object } = (version) => ({ version, config: {} });

  constructor(src: WeeklySources, pool: Piscina, now: () => number, log: Logger) {
    this.#src = src;
    this.#pool = pool;
    this.#now = now;
    this.#log = log.child({ component: 'weekly-reports' });
  }

  static taskFile(): string {
    return fileURLToPath(new URL('./weekly-task.js', import.meta.url));
  }

  get #store(): Store {
    return this.#src.store;
  }

  /** The last complete week before `at`. */
  lastCompleteWeek(at: number): { start: number; end: number } {
    const r = this.#src.engine.config.rollup;
    const end = bucketStart(at, r.granularities.weekly, r.weekOffsetMs);
    return { start: end - r.granularities.weekly, end };
  }

  /** The stored report of that week (default: the last complete one), made now if missing; undefined for an unknown seller. */
  async get(tenantId: string, sellerId: string, weekStart?: number): Promise<WeeklyReport | undefined> {
    const r = this.#src.engine.config.rollup;
    const week = weekStart === undefined ? this.lastCompleteWeek(this.#now()) : { start: bucketStart(weekStart, r.granularities.weekly, r.weekOffsetMs), end: 0 };
    if (week.end === 0) week.end = week.start + r.granularities.weekly;
    const stored = this.#store.weeklyReports.get([tenantId, sellerId, week.start]);
    const report = stored !== undefined ? (stored.report as StoredWeeklyReport) : await this.generate(tenantId, sellerId, week);
    return report === undefined ? undefined : { ...report, configSnapshot: this.snapshotOf(report.configVersion) };
  }

  generate(tenantId: string, sellerId: string, week: { start: number; end: number }): Promise<StoredWeeklyReport | undefined> {
    const id = `${tenantId}/${sellerId}/${week.start}`;
    let run = this.#running.get(id);
    if (run === undefined) {
      run = this.#generate(tenantId, sellerId, week).finally(() => this.#running.delete(id));
      this.#running.set(id, run);
    }
    return run;
  }

  async #generate(tenantId: string, sellerId: string, week: { start: number; end: number }): Promise<StoredWeeklyReport | undefined> {
    const inputs = await gatherWeekly(this.#src, tenantId, sellerId, week, this.#now());
    if (inputs === undefined) return undefined;
    const report = (await this.#pool.run(inputs, { filename: WeeklyReports.taskFile() })) as StoredWeeklyReport;
    const retentionMs = this.#src.engine.config.reports.retentionDays * kMsPerDay;
    await this.#store.weeklyReports.put([tenantId, sellerId, week.start], { expiresAt: week.end + retentionMs, report });
    this.generated++;
    return report;
  }

  start(): void {
    this.#timer = setInterval(() => {
      this.runSchedule().catch((err: unknown) => this.#log.error({ err }, 'weekly report schedule failed'));
    }, this.#src.engine.config.reports.scheduleMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.#sweep?.catch(() => undefined);
    await Promise.allSettled([...this.#running.values()]);
  }

  /** Makes the last complete week's missing reports; resolves with how many were made. */
  runSchedule(): Promise<number> {
    this.#sweep ??= this.#schedule().finally(() => {
      this.#sweep = null;
    });
    return this.#sweep;
  }

  async #schedule(): Promise<number> {
    const week = this.lastCompleteWeek(this.#now());
    const todo = [...this.#src.engine.directory.entries()].map(([key]) => splitSellerKey(key))
      .filter(({ tenantId, sellerId }) => this.#store.weeklyReports.get([tenantId, sellerId, week.start]) === undefined);
    let next = 0;
    let made = 0;
    let elu = performance.eventLoopUtilization();
    /** The pause after a report: longer while the main thread is busy serving (see reports.busyUtilization). */
    const pause = () => {
      const cfg = this.#src.engine.config.reports;
      const now: EventLoopUtilization = performance.eventLoopUtilization();
      const busy = performance.eventLoopUtilization(now, elu).utilization > cfg.busyUtilization;
      elu = now;
      if (busy) this.yielded++;
      return busy ? cfg.busyPauseMs : cfg.pauseMs;
    };
    const worker = async () => {
      while (next < todo.length) {
        const { tenantId, sellerId } = todo[next++];
        if ((await this.generate(tenantId, sellerId, week)) !== undefined) made++;
        await sleep(pause());
      }
    };
    await Promise.all(Array.from({ length: this.#src.engine.config.reports.concurrency }, worker));
    if (made > 0) this.#log.info({ made, week: week.start }, 'weekly reports made');
    return made;
  }
}
