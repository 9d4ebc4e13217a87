/**
 * When an anomaly result becomes an alert (issue 6). One trigger only: the anomaly score reaches the
 * tenant tier's threshold, with sufficient data. The level comes from the config table by score;
 * the type from context (the dominant attribution component and its sign) — context, never an extra
 * trigger. Per seller, event type and alert type: while an alert is open, repeats are folded into it;
 * after one was raised, no new one for `cooldownMs` — a flapping score cannot storm.
 */
import type { AlertsConfig, AlertType } from '../../config/alerting-schema.js';
import type { AnomalyResult } from '../analytics/anomaly-types.js';
import { componentSign, dominantComponent, signMatches } from '../insights/component-sign.js';
import type { AlertLevel } from './alert-record.js';

export type TierName = 'basic' | 'premium' | 'enterprise';

export type AlertDecision =
  | { action: 'none'; reason: 'below_threshold' | 'insufficient_data' }
  | { action: 'suppressed'; type: AlertType; reason: 'cooldown' }
  | { action: 'repeat'; type: AlertType; alertId: string }
  | { action: 'raise'; type: AlertType; level: AlertLevel; threshold: number; dominant: string };

interface Track {
  openAlertId: string | null;
  lastRaisedAt: number;
}

export function levelOf(score: number, levels: AlertsConfig['levels']): AlertLevel {
  for (const row of levels) if (score >= row.minScore) return row.level;
  return levels[levels.length - 1].level;
}

export function typeOf(result: AnomalyResult, cfg: Readonly<AlertsConfig>): { type: AlertType; dominant: string } {
  const dominant = dominantComponent(result);
  const sign = componentSign(result, dominant);
  for (const rule of cfg.typeRules) {
    if (rule.dominant.includes(dominant) && signMatches(sign, rule.direction)) return { type: rule.type, dominant };
  }
  return { type: cfg.fallbackType, dominant };
}

export class AlertPolicy {
  /** `<seller key>|<event type>|<alert type>` → its open alert and last raise time. */
  readonly #tracks = new Map<string, Track>();
  suppressed = 0;

  decide(key: string, tier: TierName, result: AnomalyResult, cfg: Readonly<AlertsConfig>, now: number): AlertDecision {
    if (result.status !== 'sufficient') return { action: 'none', reason: 'insufficient_data' };
    const threshold = cfg.thresholds[tier];
    if (result.score < threshold) return { action: 'none', reason: 'below_threshold' };
    const { type, dominant } = typeOf(result, cfg);
    const track = this.#tracks.get(`${key}|${type}`);
    if (track?.openAlertId) return { action: 'repeat', type, alertId: track.openAlertId };
    if (track !== undefined && now - track.lastRaisedAt < cfg.cooldownMs) {
      this.suppressed++;
      return { action: 'suppressed', type, reason: 'cooldown' };
    }
    return { action: 'raise', type, level: levelOf(result.score, cfg.levels), threshold, dominant };
  }

  raised(key: string, type: AlertType, alertId: string, at: number): void {
    this.#tracks.set(`${key}|${type}`, { openAlertId: alertId, lastRaisedAt: at });
  }

  /** The alert was resolved: the next trigger (after the cooldown) raises a new one. */
  closed(key: string, type: AlertType, alertId: string): void {
    const t = this.#tracks.get(`${key}|${type}`);
    if (t?.openAlertId === alertId) t.openAlertId = null;
  }
}
