/**
 * How figures are written in reports: one place, used by the builders and the chart axes, so a
 * test that knows an API answer can find the same figure in the PDF's text.
 */
import type { TimeWindow } from '../query/series.js';

const kScoreDigits = 3;
const kValueDigits = 2;
const kPercentDigits = 1;
/** Above this magnitude values lose their decimals (they would not help a reader). */
const kWholeAbove = 10_000;
const kMsPerSecond = 1000;
const kMsPerMinute = 60 * kMsPerSecond;
const kMsPerHour = 60 * kMsPerMinute;
const kMsPerDay = 24 * kMsPerHour;

/** Anomaly scores and probabilities in [0, 1]: three decimals ("0.734"). */
export function formatScore(x: number): string {
  return Number.isFinite(x) ? x.toFixed(kScoreDigits) : 'n/a';
}

/** Series values and predictions: two decimals, whole numbers when large; thousands unseparated. */
export function formatValue(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  return Math.abs(x) >= kWholeAbove ? Math.round(x).toString() : x.toFixed(kValueDigits);
}

/** Health scores and sub-scores 0–100: one decimal ("87.5"). */
export function formatHealth(x: number): string {
  return Number.isFinite(x) ? x.toFixed(kPercentDigits) : 'n/a';
}

/** A share in [0, 1] as a percentage ("12.5%"). */
export function formatShare(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(kPercentDigits)}%` : 'n/a';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-11-22 04:05 UTC" (seconds shown when they are not zero). */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const seconds = d.getUTCSeconds() === 0 ? '' : `:${pad(d.getUTCSeconds())}`;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${seconds} UTC`;
}

/** "2 h", "15 min", "1 d" — bucket widths and windows. */
export function formatDurationMs(ms: number): string {
  if (ms % kMsPerDay === 0) return `${ms / kMsPerDay} d`;
  if (ms % kMsPerHour === 0) return `${ms / kMsPerHour} h`;
  if (ms % kMsPerMinute === 0) return `${ms / kMsPerMinute} min`;
  return `${ms / kMsPerSecond} s`;
}

/** A time window as "from – to (n × width buckets)". */
export function formatWindow(w: TimeWindow): string {
  return `${formatTime(w.startTimestamp)} – ${formatTime(w.endTimestamp)} (${w.windowSize} × ${formatDurationMs(w.bucketMs)} buckets)`;
}

/** The attachment name of a report: "sellerpulse-<kind>-<seller>-<yyyymmdd-hhmm>.pdf" (safe in any header or file system). */
export function reportFilename(kind: string, sellerId: string, generatedAt: number): string {
  const d = new Date(generatedAt);
  const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}`;
  return `sellerpulse-${kind}-${sellerId.replace(/[^A-Za-z0-9_.-]/g, '_')}-${stamp}.pdf`;
}
