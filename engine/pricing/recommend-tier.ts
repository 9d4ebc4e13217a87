/**
 * Tier recommendation (issue 7): each signal of the seller — alerts per month, share of severe
 * alerts, forecast error, event rate (real-time need) — is looked up in its config row, which names
 * the lowest tier covering that value; the recommendation is the highest of those, with every row's
 * reason. Pure: the same signals and config give the same answer.
 */
import type { PricingConfig, PricingSignal } from '../../config/pricing-schema.js';
import type { TierName } from '../store/schema.js';

const kTierRank: Record<TierName, number> = { basic: 0, premium: 1, enterprise: 2 };

export type PricingSignals = Record<PricingSignal, number | null>;

export interface SignalVerdict {
  signal: PricingSignal;
  /** null: not measurable (e.g. too little data to forecast); it then asks for nothing. */
  value: number | null;
  tier: TierName;
  reason: string;
}

export function recommendTier(signals: PricingSignals, cfg: Readonly<PricingConfig>): { tier: TierName; verdicts: SignalVerdict[] } {
  let tier: TierName = 'basic';
  const verdicts: SignalVerdict[] = [];
  for (const rule of cfg.rules) {
    const value = signals[rule.signal];
    let row = rule.thresholds[0];
    if (value !== null) for (const t of rule.thresholds) if (value >= t.atLeast) row = t;
    const next = rule.thresholds.find((t) => t.atLeast > (value ?? 0));
    const reason = value === null
      ? `${rule.signal} not measurable yet: no requirement`
      : `${rule.signal} ${+value.toFixed(3)} ≥ ${row.atLeast} → ${row.tier}${next ? ` (${next.tier} from ${next.atLeast})` : ''}; ${rule.because}`;
    verdicts.push({ signal: rule.signal, value, tier: row.tier, reason });
    if (kTierRank[row.tier] > kTierRank[tier]) tier = row.tier;
  }
  return { tier, verdicts };
}
