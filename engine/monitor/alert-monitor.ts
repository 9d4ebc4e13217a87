/**
 * The monitor (issue 6): every `monitor.intervalMs` it evaluates sellers — round robin over the
 * directory, at most `monitor.maxSellersPerSweep` per sweep — for each watched event type: one
 * anomaly analysis through the engine's result cache (so hot sellers are recomputed at their
 * activity tier's cadence, cold ones served from the cache; every recomputation is counted and
 * logged there), then insights and alerts from it. Sellers of suspended or unknown tenants are
 * skipped; a pre-anomaly hook may veto a seller. Analyses run a few at a time (shards × 2).
 */
import type { Logger } from 'pino';
import type { Engine } from '../index.js';
import type { InsightService } from '../insights/insight-service.js';
import type { AlertService } from '../alerts/alert-service.js';
import type { TierName } from '../alerts/alert-policy.js';
import type { HookRunner } from '../hooks/hook-runner.js';
import { splitSellerKey } from '../router/seller-directory.js';

export interface SweepReport {
  evaluated: number;
  insightsChanged: number;
  alertsRaised: number;
  expired: number;
  vetoed: number;
  failed: number;
}

/** Tier of an active tenant; undefined for a suspended or unknown one. */
export type ActiveTier = (tenantId: string) => TierName | undefined;

const kInFlightPerShard = 2;

export class AlertMonitor {
  readonly #engine: Engine;
  readonly #insights: InsightService;
  readonly #alerts: AlertService;
  readonly #hooks: HookRunner;
  readonly #tierOf: ActiveTier;
  readonly #now: () => number;
  readonly #log: Logger;
  #cursor = 0;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<SweepReport> | null = null;
  sweeps = 0;

  constructor(engine: Engine, insights: InsightService, alerts: AlertService, hooks: HookRunner, tierOf: ActiveTier, now: () => number, log: Logger) {
    this.#engine = engine;
    this.#insights = insights;
    this.#alerts = alerts;
    this.#hooks = hooks;
    this.#tierOf = tierOf;
    this.#now = now;
    this.#log = log.child({ component: 'monitor' });
  }

  start(): void {
    const tick = () => {
      this.#timer = setTimeout(() => {
        const cfg = this.#engine.config.monitor;
        const run = cfg.enabled ? this.runOnce() : Promise.resolve(null);
        run.catch((err: unknown) => this.#log.error({ err }, 'monitor sweep failed')).finally(() => {
          if (this.#timer !== null) tick();
        });
      }, this.#engine.config.monitor.intervalMs);
      this.#timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => undefined);
  }

  /** One sweep (a running sweep is joined, not doubled). */
  runOnce(): Promise<SweepReport> {
    this.#running ??= this.#sweep().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #sweep(): Promise<SweepReport> {
    const engine = this.#engine;
    const config = engine.config;
    const report: SweepReport = { evaluated: 0, insightsChanged: 0, alertsRaised: 0, expired: 0, vetoed: 0, failed: 0 };
    const keys = [...engine.directory.entries()].map(([k]) => k);
    const count = Math.min(keys.length, config.monitor.maxSellersPerSweep);
    if (this.#cursor >= keys.length) this.#cursor = 0;
    const batch: string[] = [];
    for (let i = 0; i < count; i++) batch.push(keys[(this.#cursor + i) % keys.length]);
    this.#cursor = keys.length === 0 ? 0 : (this.#cursor + count) % keys.length;
    const types = config.monitor.types.map((name) => config.events.types.findIndex((t) => t.name === name)).filter((t) => t >= 0);
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const key = batch[next++];
        for (const type of types) await this.#evaluate(key, type, report);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, engine.shards.length * kInFlightPerShard) }, worker));
    report.expired = (await this.#insights.expireDue(this.#now())).length;
    this.sweeps++;
    if (report.alertsRaised > 0 || report.insightsChanged > 0) this.#log.info({ ...report }, 'monitor sweep');
    return report;
  }

  async #evaluate(key: string, type: number, report: SweepReport): Promise<void> {
    const { tenantId, sellerId } = splitSellerKey(key);
    const tier = this.#tierOf(tenantId);
    if (tier === undefined) return;
    const config = this.#engine.config;
    const metric = config.events.types[type].defaultValue === null ? 'sum' : 'count';
    if (this.#hooks.has('pre-anomaly')) {
      const verdict = await this.#hooks.run('pre-anomaly', { tenantId, sellerId, type: config.events.types[type].name, source: 'monitor' });
      if (verdict.veto) {
        report.vetoed++;
        return;
      }
    }
    try {
      const out = await this.#engine.analyse(key, { kind: 'anomaly', type, resolution: -1, metric, horizon: 0, from: null, to: null });
      if (out === undefined) return;
      report.evaluated++;
      const now = this.#now();
      report.insightsChanged += (await this.#insights.observe(tenantId, sellerId, out.value, now)).length;
      if ((await this.#alerts.consider(tenantId, tier, sellerId, out.value, now))?.createdAt === now) report.alertsRaised++;
    } catch (err) {
      report.failed++;
      this.#log.warn({ err, tenantId }, 'monitor could not evaluate a seller');
    }
  }
}
