/**
 * Alerts (issue 6): raised from anomaly results by the policy (alert-policy.ts), stored in LMDB with
 * their history, acknowledged and resolved (one by one or in bulk), listed with filters, and
 * published — live feed and webhooks — on every change; replay re-publishes an alert with its own
 * idempotency key. The alert-trigger hooks may veto or annotate an alert before it is raised.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../../config/index.js';
import type { AlertType } from '../../config/alerting-schema.js';
import type { Store } from '../store/store.js';
import type { AnalysisReport } from '../analysis/run-analysis.js';
import type { AnomalyResult } from '../analytics/anomaly-types.js';
import { sellerKey } from '../router/seller-directory.js';
import { pageOf, type Page } from '../store/paging.js';
import type { Publish } from '../insights/insight-service.js';
import type { HookRunner } from '../hooks/hook-runner.js';
import { AlertPolicy, type TierName } from './alert-policy.js';
import type { AlertRecord, AlertState } from './alert-record.js';
import { kMsPerDay } from '../time-units.js';

const kMonitor = 'monitor';

export interface AlertFilter {
  state?: AlertState;
  level?: string;
  type?: string;
  sellerId?: string;
  from?: number;
  to?: number;
}

export const kAlertEvents: Record<AlertState, string> = { open: 'alert.created', acknowledged: 'alert.acknowledged', resolved: 'alert.resolved' };

export class AlertService {
  readonly policy = new AlertPolicy();
  readonly #store: Store;
  readonly #config: () => Readonly<Config>;
  readonly #publish: Publish;
  readonly #hooks: HookRunner;
  vetoed = 0;
  /** The seller's cached behaviour fingerprint, shown in the alert's context (never computed here). */
  fingerprintOf: (tenantId: string, sellerId: string) => { classification: string; cluster: { id: number } | null } | undefined = () => undefined;

  constructor(store: Store, config: () => Readonly<Config>, publish: Publish, hooks: HookRunner) {
    this.#store = store;
    this.#config = config;
    this.#publish = publish;
    this.#hooks = hooks;
    // the policy's memory (open alerts, cooldowns) comes back from the stored alerts, oldest first
    const all = [...store.alerts.getRange()].map((e) => e.value).sort((a, b) => a.createdAt - b.createdAt);
    for (const a of all) {
      const key = trackKey(a.tenantId, a.sellerId, a.eventType);
      this.policy.raised(key, a.type, a.id, a.createdAt);
      if (a.state === 'resolved') this.policy.closed(key, a.type, a.id);
    }
  }

  get(tenantId: string, id: string): AlertRecord | undefined {
    const a = this.#store.alerts.get(id);
    return a !== undefined && a.tenantId === tenantId ? a : undefined;
  }

  /** Applies the policy to one anomaly result; returns the alert raised or updated, if any. */
  async consider(tenantId: string, tier: TierName, sellerId: string, report: AnalysisReport, now: number): Promise<AlertRecord | null> {
    const result = report.result as AnomalyResult;
    const cfg = this.#config().alerts;
    const key = trackKey(tenantId, sellerId, report.type);
    const decision = this.policy.decide(key, tier, result, cfg, now);
    if (decision.action === 'repeat') {
      const open = this.#store.alerts.get(decision.alertId);
      if (open === undefined) return null;
      const next = { ...open, occurrences: open.occurrences + 1, lastSeenAt: now, updatedAt: now, peakScore: Math.max(open.peakScore, result.score) };
      await this.#store.alerts.put(next.id, next);
      return next;
    }
    if (decision.action !== 'raise') return null;
    const id = newAlertId(now);
    const draft: AlertRecord = {
      id, tenantId, sellerId, eventType: report.type, metric: report.metric, type: decision.type, level: decision.level, state: 'open',
      score: result.score, threshold: decision.threshold, peakScore: result.score, tier, direction: result.direction, dominantComponent: decision.dominant,
      attribution: { ...result.attribution }, timeWindow: report.timeWindow, dataSufficiency: report.dataSufficiency,
      confidenceMessage: report.confidenceMessage, configVersion: report.configVersion, reproducibilityHash: report.reproducibilityHash,
      idempotencyKey: id, createdAt: now, updatedAt: now, lastSeenAt: now, occurrences: 1, hookAnnotations: {},
      fingerprint: fingerprintContext(this.fingerprintOf(tenantId, sellerId)),
      history: [{ at: now, state: 'open', by: kMonitor, cause: `anomaly score ${result.score.toFixed(3)} ≥ ${tier} threshold ${decision.threshold}` }],
      expiresAt: now + cfg.retentionDays * kMsPerDay,
    };
    const verdict = await this.#hooks.run('alert-trigger', { alert: draft });
    if (verdict.veto) {
      this.vetoed++;
      this.policy.raised(key, decision.type, id, now);
      this.policy.closed(key, decision.type, id);
      return null;
    }
    draft.hookAnnotations = verdict.annotations;
    await this.#store.root.transaction(() => {
      void this.#store.alerts.put(id, draft);
      void this.#store.alertIndex.put([tenantId, now, id], id);
    });
    this.policy.raised(key, decision.type, id, now);
    this.#publish(tenantId, kAlertEvents.open, draft, draft.idempotencyKey);
    return draft;
  }

  /** Acknowledge or resolve; 'not_found' for another tenant's alert, 'unchanged' when already there (or resolved). */
  async setState(tenantId: string, id: string, state: 'acknowledged' | 'resolved', by: string, now: number): Promise<AlertRecord | 'not_found' | 'unchanged'> {
    const a = this.get(tenantId, id);
    if (a === undefined) return 'not_found';
    if (a.state === state || a.state === 'resolved') return 'unchanged';
    const next: AlertRecord = { ...a, state, updatedAt: now, history: [...a.history, { at: now, state, by, cause: state === 'acknowledged' ? 'acknowledged' : 'resolved' }] };
    await this.#store.alerts.put(id, next);
    if (state === 'resolved') this.policy.closed(trackKey(a.tenantId, a.sellerId, a.eventType), a.type as AlertType, a.id);
    this.#publish(tenantId, kAlertEvents[state], next, `${a.idempotencyKey}:${state}`);
    return next;
  }

  /** Re-publishes an alert (webhooks and feed) with its own idempotency key. */
  replay(tenantId: string, id: string): AlertRecord | undefined {
    const a = this.get(tenantId, id);
    if (a !== undefined) this.#publish(tenantId, kAlertEvents.open, a, a.idempotencyKey);
    return a;
  }

  list(tenantId: string, filter: AlertFilter, limit: number, cursor: string | undefined): Page<AlertRecord> {
    return pageOf(this.#store.alertIndex, [tenantId], limit, cursor, (id) => {
      const a = this.#store.alerts.get(id);
      if (a === undefined) return undefined;
      if (filter.state !== undefined && a.state !== filter.state) return undefined;
      if (filter.level !== undefined && a.level !== filter.level) return undefined;
      if (filter.type !== undefined && a.type !== filter.type) return undefined;
      if (filter.sellerId !== undefined && a.sellerId !== filter.sellerId) return undefined;
      if (filter.from !== undefined && a.createdAt < filter.from) return undefined;
      if (filter.to !== undefined && a.createdAt >= filter.to) return undefined;
      return a;
    });
  }
}

function fingerprintContext(f: { classification: string; cluster: { id: number } | null } | undefined): AlertRecord['fingerprint'] {
  return f === undefined ? null : { classification: f.classification, clusterId: f.cluster?.id ?? null };
}

function trackKey(tenantId: string, sellerId: string, eventType: string): string {
  return `${sellerKey(tenantId, sellerId)}|${eventType}`;
}

export function newAlertId(now: number): string {
  return `a_${now.toString(36).padStart(9, '0')}${randomBytes(6).toString('base64url')}`;
}
