/**
 * Schedules the decay task on the piscina pool and applies its findings: expired sellers are
 * forgotten by the directory between the pool's scan and its delete (see decay-task.ts).
 */
import { Piscina } from 'piscina';
import type { Logger } from 'pino';
import type { Engine } from '../index.js';
import type { DecayResult, DecayTask } from './decay-task.js';

export interface DecayReport {
  at: number;
  sellers: number;
  removed: DecayResult['removed'];
}

export class RetentionJob {
  readonly #pool: Piscina;
  readonly #engine: Engine;
  readonly #log: Logger;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<DecayReport> | undefined;
  lastReport: DecayReport | undefined;

  constructor(pool: Piscina, engine: Engine, log: Logger, now: () => number) {
    this.#pool = pool;
    this.#engine = engine;
    this.#log = log.child({ component: 'retention' });
    this.#now = now;
  }

  static taskFile(): string {
    return new URL('./decay-task.js', import.meta.url).href;
  }

  /** One decay pass now; concurrent callers share it. */
  run(): Promise<DecayReport> {
    this.#running ??= this.#runOnce().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #runOnce(): Promise<DecayReport> {
    const now = this.#now();
    const dataDir = this.#engine.config.dataDir;
    const scan = (await this.#pool.run({ step: 'scan', dataDir, now } satisfies DecayTask, { filename: RetentionJob.taskFile() })) as DecayResult;
    for (const id of scan.sellers) this.#engine.directory.forget(id);
    const done = (await this.#pool.run({ step: 'delete', dataDir, now, sellers: scan.sellers } satisfies DecayTask, { filename: RetentionJob.taskFile() })) as DecayResult;
    const report: DecayReport = { at: now, sellers: scan.sellers.length, removed: done.removed };
    this.lastReport = report;
    this.#log.info(report, 'retention decay removed expired records');
    return report;
  }

  start(): void {
    this.#timer = setInterval(() => {
      this.run().catch((err) => this.#log.error({ err }, 'retention decay failed'));
    }, this.#engine.config.retention.decayIntervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}
