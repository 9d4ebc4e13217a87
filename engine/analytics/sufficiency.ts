/**
 * Data sufficiency and the plain-language confidence sentence every analytic response carries
 * (DESIGN §4).
 *
 * `available` counts NON-EMPTY buckets (finite and non-zero), not the span: an hour of minute
 * buckets with sales in 12 of them has 12 points of evidence, not 60. `span` (the number of
 * buckets looked at) is reported alongside. A result is sufficient when available >= required
 * and, when a structural minimum is given, span >= that minimum.
 */
import type { AnalyticsConfig } from '../../config/analytics-schema.js';

export type SufficiencyStatus = 'sufficient' | 'insufficient';

export interface DataSufficiency {
  status: SufficiencyStatus;
  /** Non-empty buckets required. */
  required: number;
  /** Non-empty (finite, non-zero) buckets in the series. */
  available: number;
  /** Buckets in the series (empty ones included). */
  span: number;
  /** Shortest span the computation can work with (0 when it has no structural minimum). */
  minSpan: number;
}

/** Finite, non-zero buckets of the series. */
export function countNonEmpty(series: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < series.length; i++) {
    const v = series[i];
    if (v !== 0 && Number.isFinite(v)) n++;
  }
  return n;
}

export function dataSufficiency(series: ArrayLike<number>, requiredPoints: number, minSpan = 0): DataSufficiency {
  const required = Math.max(0, Math.ceil(requiredPoints));
  const available = countNonEmpty(series);
  const span = series.length;
  const ok = available >= required && span >= minSpan;
  return { status: ok ? 'sufficient' : 'insufficient', required, available, span, minSpan };
}

/** What the sentence talks about ("this score", "this forecast", ...). */
export type ConfidenceSubject = 'score' | 'forecast' | 'health score';

export interface ConfidenceOptions {
  /** Singular bucket unit, e.g. "minute" (see bucketUnit); plural adds "s". */
  unit: string;
  subject: ConfidenceSubject;
  /** Volatility sub-score (0–100, health.ts) when known: decides "stable" vs "volatile" wording. */
  volatilityScore?: number | null;
}

const kSecondMs = 1000;
const kMinuteMs = 60 * kSecondMs;
const kHourMs = 60 * kMinuteMs;
const kDayMs = 24 * kHourMs;

/** The natural unit word of a bucket duration: "second", "minute", "hour", "day", else "bucket". */
export function bucketUnit(bucketMs: number): string {
  if (bucketMs === kSecondMs) return 'second';
  if (bucketMs === kMinuteMs) return 'minute';
  if (bucketMs === kHourMs) return 'hour';
  if (bucketMs === kDayMs) return 'day';
  return 'bucket';
}

/** Integer with a space between thousands ("1 380"): locale-independent, hence deterministic. */
export function formatCount(n: number): string {
  const digits = String(Math.max(0, Math.round(n)));
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

function plural(unit: string, n: number): string {
  return n === 1 ? unit : `${unit}s`;
}

/**
 * One sentence saying why the result can or cannot be trusted. Cases, in order:
 * nothing at all / too short a span / too few non-empty buckets / enough data (stable, volatile,
 * or stability unknown).
 */
export function confidenceMessage(s: DataSufficiency, opts: ConfidenceOptions, cfg: Pick<AnalyticsConfig, 'confidence'>): string {
  const { unit, subject } = opts;
  const span = `${formatCount(s.span)} ${plural(unit, s.span)}`;
  if (s.available === 0) {
    return s.span === 0
      ? `There is no data yet, so this ${subject} cannot be trusted.`
      : `None of the last ${span} has any data, so this ${subject} cannot be trusted yet.`;
  }
  if (s.span < s.minSpan) {
    return `Only ${formatCount(s.span)} of the ${formatCount(s.minSpan)} ${plural(unit, s.minSpan)} of history needed exist so far; treat this ${subject} as a rough indication.`;
  }
  if (s.available < s.required) {
    return `Only ${formatCount(s.available)} of the ${formatCount(s.required)} ${plural(unit, s.required)} with data needed are available; treat this ${subject} as a rough indication.`;
  }
  const basis = `Based on ${formatCount(s.available)} of the last ${span} with data`;
  const vol = opts.volatilityScore;
  if (vol === undefined || vol === null || !Number.isFinite(vol)) return `${basis}, enough for a reliable ${subject}.`;
  if (vol >= cfg.confidence.stableVolatilityScore) return `${basis}; the pattern is stable, so this ${subject} is reliable.`;
  return `${basis}; the pattern is volatile, so this ${subject} is less certain than its number suggests.`;
}
