/**
 * Insights with a lifecycle (issue 6), kept in LMDB. The monitor hands every anomaly result of a
 * seller to `observe`: each insight kind the rules find is Generated, Confirmed when re-observed in
 * later data (or by a user), Superseded by a newer insight of the same kind that differs, Expired
 * past its TTL (or when a user rejects it). Every transition is stored with its time and cause and
 * published (live feed, webhooks).
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../../config/index.js';
import type { InsightKind } from '../../config/alerting-schema.js';
import type { Store } from '../store/store.js';
import type { AnalysisReport } from '../analysis/run-analysis.js';
import type { AnomalyResult } from '../analytics/anomaly-types.js';
import { sellerKey } from '../router/seller-directory.js';
import { isLive, type InsightRecord, type InsightState } from './insight-record.js';
import { transition } from './insight-lifecycle.js';
import { observeInsights, sameInsight } from './insight-rules.js';
import { summarise } from './insight-summary.js';
import { pageOf, type Page } from '../store/paging.js';
import { kMsPerDay } from '../time-units.js';


export type Publish = (tenantId: string, event: string, payload: unknown, idempotencyKey: string) => void;

export class InsightService {
  readonly #store: Store;
  readonly #config: () => Readonly<Config>;
  readonly #publish: Publish;
  /** `<seller key>|<event type>|<kind>` → id of the live (generated or confirmed) insight. */
  readonly #live = new Map<string, string>();

  constructor(store: Store, config: () => Readonly<Config>, publish: Publish) {
    this.#store = store;
    this.#config = config;
    this.#publish = publish;
    for (const { value } of store.insights.getRange()) {
      if (isLive(value.state)) this.#live.set(liveKey(value.tenantId, value.sellerId, value.eventType, value.kind), value.id);
    }
  }

  get(tenantId: string, id: string): InsightRecord | undefined {
    const r = this.#store.insights.get(id);
    return r !== undefined && r.tenantId === tenantId ? r : undefined;
  }

  /** New and changed insights from one anomaly result. */
  async observe(tenantId: string, sellerId: string, report: AnalysisReport, now: number): Promise<InsightRecord[]> {
    const result = report.result as AnomalyResult;
    const cfg = this.#config().insights;
    const changed: InsightRecord[] = [];
    for (const obs of observeInsights(result, cfg)) {
      const key = liveKey(tenantId, sellerId, report.type, obs.rule.kind);
      const liveId = this.#live.get(key);
      const live = liveId === undefined ? undefined : this.#store.insights.get(liveId);
      if (live !== undefined && sameInsight(live.evidence, obs.evidence, cfg.periodTolerance)) {
        if (report.timeWindow.endTimestamp <= live.lastWindowEnd) continue;
        let next: InsightRecord = {
          ...live, lastObservedAt: now, lastWindowEnd: report.timeWindow.endTimestamp, observations: live.observations + 1,
          probability: Math.max(live.probability, obs.probability), expiresAt: this.#expiresAt(now, obs.rule.ttlMs),
        };
        if (next.state === 'generated') {
          next = transition(next, 'confirmed', now, `re-observed in later data (window ending ${new Date(report.timeWindow.endTimestamp).toISOString()})`, cfg.maxTransitions);
        }
        await this.#save(next, live.state);
        changed.push(next);
        continue;
      }
      const { summary, recommendation } = summarise({ kind: obs.rule.kind, eventType: report.type, result, evidence: obs.evidence, probability: obs.probability, timeWindow: report.timeWindow });
      const created: InsightRecord = {
        id: newInsightId(now), tenantId, sellerId, eventType: report.type, metric: report.metric, kind: obs.rule.kind, state: 'generated',
        probability: obs.probability, anomalyScore: result.score, summary, recommendation, evidence: obs.evidence,
        timeWindow: report.timeWindow, dataSufficiency: report.dataSufficiency, confidenceMessage: report.confidenceMessage,
        configVersion: report.configVersion, reproducibilityHash: report.reproducibilityHash,
        createdAt: now, lastObservedAt: now, lastWindowEnd: report.timeWindow.endTimestamp, observations: 1,
        transitions: [{ from: null, to: 'generated', at: now, cause: `observed: ${obs.rule.component} probability ${obs.evidence.probability.toFixed(3)}` }],
        feedback: [], expiresAt: this.#expiresAt(now, obs.rule.ttlMs),
      };
      if (live !== undefined) {
        const old = transition(live, 'superseded', now, `superseded by ${created.id} (the ${obs.rule.kind} changed)`, cfg.maxTransitions);
        await this.#save(old, live.state);
        changed.push(old);
      }
      await this.#save(created, null);
      changed.push(created);
    }
    return changed;
  }

  /** Expires live insights not re-observed within their kind's TTL. */
  async expireDue(now: number): Promise<InsightRecord[]> {
    const cfg = this.#config().insights;
    const ttl = new Map<InsightKind, number>(cfg.kinds.map((k) => [k.kind, k.ttlMs]));
    const out: InsightRecord[] = [];
    for (const id of [...this.#live.values()]) {
      const r = this.#store.insights.get(id);
      if (r === undefined) continue;
      const ttlMs = ttl.get(r.kind) ?? 0;
      if (now - r.lastObservedAt < ttlMs) continue;
      const next = transition(r, 'expired', now, `not re-observed within its TTL (${ttlMs} ms)`, cfg.maxTransitions);
      await this.#save(next, r.state);
      out.push(next);
    }
    return out;
  }

  /** A user's verdict: confirm (Generated → Confirmed) or reject (→ Expired). */
  async feedback(tenantId: string, id: string, verdict: 'confirm' | 'reject', comment: string | null, now: number): Promise<InsightRecord | 'not_found' | 'closed'> {
    const r = this.get(tenantId, id);
    if (r === undefined) return 'not_found';
    if (!isLive(r.state)) return 'closed';
    const cfg = this.#config().insights;
    let next: InsightRecord = { ...r, feedback: [...r.feedback, { at: now, verdict, comment }] };
    if (verdict === 'reject') next = transition(next, 'expired', now, 'rejected by a user', cfg.maxTransitions);
    else if (r.state === 'generated') next = transition(next, 'confirmed', now, 'confirmed by a user', cfg.maxTransitions);
    await this.#save(next, r.state);
    return next;
  }

  /** One seller's insights, newest first, optionally in one state. */
  list(tenantId: string, sellerId: string, state: InsightState | undefined, limit: number, cursor: string | undefined): Page<InsightRecord> {
    return pageOf(this.#store.insightIndex, [tenantId, sellerId], limit, cursor, (id) => {
      const r = this.#store.insights.get(id);
      return r !== undefined && (state === undefined || r.state === state) ? r : undefined;
    });
  }

  #expiresAt(now: number, ttlMs: number): number {
    return now + ttlMs + this.#config().insights.retentionDays * kMsPerDay;
  }

  async #save(r: InsightRecord, previous: InsightState | null): Promise<void> {
    await this.#store.root.transaction(() => {
      void this.#store.insights.put(r.id, r);
      if (previous === null) void this.#store.insightIndex.put([r.tenantId, r.sellerId, r.createdAt, r.id], r.id);
    });
    const key = liveKey(r.tenantId, r.sellerId, r.eventType, r.kind);
    if (isLive(r.state)) this.#live.set(key, r.id);
    else if (this.#live.get(key) === r.id) this.#live.delete(key);
    if (previous !== r.state) {
      const t = r.transitions[r.transitions.length - 1];
      this.#publish(r.tenantId, 'insight.transition', { insight: r, transition: t }, `${r.id}:${t.to}:${t.at}`);
    }
  }
}

function liveKey(tenantId: string, sellerId: string, eventType: string, kind: string): string {
  return `${sellerKey(tenantId, sellerId)}|${eventType}|${kind}`;
}

/** Time-ordered ids: creation time (base 36, fixed width) then randomness. */
export function newInsightId(now: number): string {
  return `i_${now.toString(36).padStart(9, '0')}${randomBytes(6).toString('base64url')}`;
}
