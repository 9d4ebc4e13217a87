/**
 * Time-axis ticks whose labels never overlap: the smallest step (from a fixed ladder) at which the
 * widest label plus a gap fits between two ticks, aligned to local time; labels switch format with
 * the step (seconds, minutes, days, months) and show the date at each local midnight.
 */
import { kDayMs, kHourMs, kMinuteMs, kSecondMs } from '../../shared/format.js';

const kSteps = [
  kSecondMs, 2 * kSecondMs, 5 * kSecondMs, 10 * kSecondMs, 15 * kSecondMs, 30 * kSecondMs,
  kMinuteMs, 2 * kMinuteMs, 5 * kMinuteMs, 10 * kMinuteMs, 15 * kMinuteMs, 30 * kMinuteMs,
  kHourMs, 2 * kHourMs, 3 * kHourMs, 6 * kHourMs, 12 * kHourMs,
  kDayMs, 2 * kDayMs, 7 * kDayMs, 14 * kDayMs, 30 * kDayMs, 91 * kDayMs, 365 * kDayMs,
];
/** Free space between two neighbouring labels, in CSS pixels. */
export const kLabelGapPx = 16;

const kSeconds = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const kMinutes = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });
const kDays = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const kMonths = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric' });

export interface TimeTicks {
  step: number;
  ticks: number[];
  labels: string[];
}

const offsetMs = (t: number) => new Date(t).getTimezoneOffset() * kMinuteMs;

function isLocalMidnight(t: number): boolean {
  const d = new Date(t);
  return d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0;
}

export function formatTick(t: number, step: number): string {
  if (step >= 30 * kDayMs) return kMonths.format(t);
  if (step >= kDayMs || isLocalMidnight(t)) return kDays.format(t);
  return (step < kMinuteMs ? kSeconds : kMinutes).format(t);
}

/** Ticks from `min` to `max` (ms) for a plot `widthPx` wide; `measure` gives a label's width in px. */
export function timeTicks(min: number, max: number, widthPx: number, measure: (label: string) => number): TimeTicks {
  const span = Math.max(1, max - min);
  let best: TimeTicks = { step: kSteps[kSteps.length - 1], ticks: [], labels: [] };
  for (const step of kSteps) {
    if ((widthPx * step) / span < 2 * kLabelGapPx) continue;
    const off = offsetMs(min);
    const ticks: number[] = [];
    for (let t = Math.ceil((min - off) / step) * step + off; t <= max; t += step) ticks.push(t);
    const labels = ticks.map((t) => formatTick(t, step));
    const widest = Math.max(0, ...labels.map(measure));
    best = { step, ticks, labels };
    if ((widthPx * step) / span >= widest + kLabelGapPx) return best;
  }
  return best;
}
