/** Collected measurements of the timed rounds and their per-round/median views. */
import type { Measurement } from './measure.js';
import type { TargetName } from './scenarios.js';
import { median, ratios } from './stats.js';

export type Metric = 'reqPerSec' | 'eventsPerSec' | 'p50Ms' | 'p99Ms' | 'elu' | 'gcCount' | 'gcMs' | 'clientCpuPct';

export class ResultSet {
  readonly #byKey = new Map<string, Measurement[]>();

  static key(scenarioId: string, target: TargetName): string {
    return `${scenarioId}|${target}`;
  }

  add(m: Measurement): void {
    const key = ResultSet.key(m.scenarioId, m.target);
    const list = this.#byKey.get(key) ?? [];
    list.push(m);
    this.#byKey.set(key, list);
  }

  get(scenarioId: string, target: TargetName): Measurement[] {
    return (this.#byKey.get(ResultSet.key(scenarioId, target)) ?? []).slice().sort((a, b) => a.round - b.round);
  }

  has(scenarioId: string, target: TargetName): boolean {
    return this.get(scenarioId, target).length > 0;
  }

  /** Values of `metric` by round (NaN for a round without a measurement). */
  perRound(scenarioId: string, target: TargetName, metric: Metric, rounds: number[]): number[] {
    const list = this.get(scenarioId, target);
    return rounds.map((r) => list.find((m) => m.round === r)?.[metric] ?? NaN);
  }

  rounds(): number[] {
    const set = new Set<number>();
    for (const list of this.#byKey.values()) for (const m of list) set.add(m.round);
    return [...set].sort((a, b) => a - b);
  }

  median(scenarioId: string, target: TargetName, pick: (m: Measurement) => number): number {
    return median(this.get(scenarioId, target).map(pick));
  }

  /** Median over rounds of a[round] / b[round] for `metric`. */
  ratio(scenarioId: string, a: TargetName, b: TargetName, metric: Metric): number {
    const rounds = this.rounds();
    return median(ratios(this.perRound(scenarioId, a, metric, rounds), this.perRound(scenarioId, b, metric, rounds)));
  }

  /** Ring check over all rounds: true if every engine WS round matched, null if none was checked. */
  countedInRings(scenarioId: string): boolean | null {
    const checks = this.get(scenarioId, 'engine').map((m) => m.ws?.ring).filter((r) => r != null);
    if (checks.length === 0) return null;
    return checks.every((r) => r.ok);
  }
}
