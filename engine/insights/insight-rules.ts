/**
 * Auto-insight rules (issue 6): which insight kinds an anomaly result supports, and how probable
 * each is. Rules and thresholds come from config (`insights.kinds`); probabilities are the anomaly
 * components' own calibrated probabilities, combined with the overall score as independent evidence.
 * Only results with sufficient data produce insights.
 */
import type { InsightKindConfig, InsightsConfig } from '../../config/alerting-schema.js';
import type { AnomalyResult } from '../analytics/anomaly-types.js';
import { componentSign, signMatches } from './component-sign.js';
import type { InsightEvidence } from './insight-record.js';

export interface InsightObservation {
  rule: InsightKindConfig;
  probability: number;
  evidence: InsightEvidence;
}

export function observeInsights(result: AnomalyResult, config: Readonly<InsightsConfig>): InsightObservation[] {
  if (result.status !== 'sufficient') return [];
  const out: InsightObservation[] = [];
  for (const rule of config.kinds) {
    const c = result.components[rule.component];
    if (!c.available || c.probability < rule.minProbability) continue;
    const sign = componentSign(result, rule.component);
    if (!signMatches(sign, rule.sign)) continue;
    if (rule.alsoComponent !== null && !signMatches(componentSign(result, rule.alsoComponent), rule.alsoSign)) continue;
    const probability = rule.withScore ? 1 - (1 - c.probability) * (1 - result.score) : c.probability;
    const periodBuckets = rule.component === 'periodic' ? result.components.periodic.details.peakPeriod : null;
    out.push({ rule, probability, evidence: { component: rule.component, statistic: c.statistic, probability: c.probability, periodBuckets, sign } });
  }
  return out;
}

/** Two observations of one kind describe the same thing unless a periodic peak moved by more than the tolerance. */
export function sameInsight(a: InsightEvidence, b: InsightEvidence, periodTolerance: number): boolean {
  if (a.sign !== b.sign) return false;
  if (a.periodBuckets === null || b.periodBuckets === null) return a.periodBuckets === b.periodBuckets;
  return Math.abs(a.periodBuckets - b.periodBuckets) <= periodTolerance * Math.max(a.periodBuckets, b.periodBuckets);
}
