/** Formatting of times, numbers and durations for labels, tooltips and screen readers. */
const kDateTime = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
const kNumber = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const kCompact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

export const kSecondMs = 1000;
export const kMinuteMs = 60 * kSecondMs;
export const kHourMs = 60 * kMinuteMs;
export const kDayMs = 24 * kHourMs;

export function dateTime(ms: number): string {
  return kDateTime.format(ms);
}

export function num(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : kNumber.format(v);
}

export function compact(v: number): string {
  return kCompact.format(v);
}

export function percent(v: number): string {
  return `${Math.round(v)} %`;
}

/** 1000 → "1 s", 60000 → "1 min", 3600000 → "1 h". */
export function duration(ms: number): string {
  if (ms % kDayMs === 0) return `${ms / kDayMs} d`;
  if (ms % kHourMs === 0) return `${ms / kHourMs} h`;
  if (ms % kMinuteMs === 0) return `${ms / kMinuteMs} min`;
  return `${ms / kSecondMs} s`;
}

/** "just now", "3 min ago", or the date. */
export function ago(ms: number, now = Date.now()): string {
  const d = now - ms;
  if (d < kMinuteMs) return 'just now';
  if (d < kHourMs) return `${Math.floor(d / kMinuteMs)} min ago`;
  if (d < kDayMs) return `${Math.floor(d / kHourMs)} h ago`;
  return dateTime(ms);
}

/** snake_case or camelCase → "Words like this". */
export function label(key: string): string {
  const words = key.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
