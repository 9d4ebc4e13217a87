/**
 * Axis ticks of the report charts. Time ticks sit on round UTC instants (a whole minute, hour,
 * day, …; an axis too narrow to hold one gets its start) and are spaced so that no two labels
 * overlap: the step is the smallest candidate whose on-page distance is at least the widest label
 * plus a gap, measured with the real font. Value ticks are 1, 2 or 5 × 10^k apart, as many as fit
 * the axis height.
 */

const kS = 1000;
const kM = 60 * kS;
const kH = 60 * kM;
const kD = 24 * kH;
/** Candidate time steps, ascending. Beyond the last, multiples of it. */
const kTimeSteps = [
  kS, 2 * kS, 5 * kS, 10 * kS, 15 * kS, 30 * kS, kM, 2 * kM, 5 * kM, 10 * kM, 15 * kM, 30 * kM,
  kH, 2 * kH, 3 * kH, 6 * kH, 12 * kH, kD, 2 * kD, 7 * kD, 14 * kD, 28 * kD, 91 * kD, 182 * kD, 364 * kD,
];
const kNiceMantissas = [1, 2, 5, 10];
const kDecimalBase = 10;

export interface Tick {
  value: number;
  label: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The label format for a step over a span: shorter when the span stays within one UTC day. */
export function timeLabel(ms: number, stepMs: number, oneDay: boolean): string {
  const d = new Date(ms);
  const date = `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (stepMs >= kD) return `${d.getUTCFullYear()}-${date}`;
  const time = stepMs < kM ? `${hm}:${pad(d.getUTCSeconds())}` : hm;
  return oneDay ? time : `${date} ${time}`;
}

/**
 * Ticks for [t0, t1] (epoch ms) on an axis `width` points wide; `measure` gives a label's width in
 * points. Consecutive labels are at least `gap` points apart (never overlapping).
 */
export function timeTicks(t0: number, t1: number, width: number, measure: (label: string) => number, gap: number): Tick[] {
  if (!(t1 > t0) || width <= 0) return [{ value: t0, label: timeLabel(t0, kM, false) }];
  const perMs = width / (t1 - t0);
  const oneDay = Math.floor(t0 / kD) === Math.floor(t1 / kD);
  let step = 0;
  for (let i = 0; step === 0; i++) {
    const candidate = i < kTimeSteps.length ? kTimeSteps[i] : kTimeSteps[kTimeSteps.length - 1] * (i - kTimeSteps.length + 2);
    // the widest label this step could print (every label of a format has about the same width)
    const widest = Math.max(measure(timeLabel(t0, candidate, oneDay)), measure(timeLabel(t1, candidate, oneDay)));
    if (candidate * perMs >= widest + gap) step = candidate;
  }
  const ticks: Tick[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) ticks.push({ value: t, label: timeLabel(t, step, oneDay) });
  // an axis too narrow for any round instant still names where it starts
  return ticks.length > 0 ? ticks : [{ value: t0, label: timeLabel(t0, step, oneDay) }];
}

/** Decimals a label needs to tell ticks `step` apart. */
function decimalsFor(step: number): number {
  return step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step)));
}

/** A 1-2-5 step giving at most `maxTicks` intervals over `span`. */
function niceStep(span: number, maxTicks: number): number {
  const raw = span / Math.max(1, maxTicks);
  const magnitude = kDecimalBase ** Math.floor(Math.log10(raw));
  for (const m of kNiceMantissas) if (m * magnitude >= raw) return m * magnitude;
  return kDecimalBase * magnitude;
}

/**
 * A value axis covering [lo, hi] (0 included when every value is ≥ 0) with at most `maxTicks`
 * intervals: the rounded bounds and the ticks.
 */
export function valueAxis(lo: number, hi: number, maxTicks: number): { min: number; max: number; ticks: Tick[] } {
  let a = Number.isFinite(lo) ? lo : 0;
  let b = Number.isFinite(hi) ? hi : 1;
  if (a >= 0) a = 0;
  if (b - a <= 0) b = a + 1;
  const step = niceStep(b - a, maxTicks);
  const min = Math.floor(a / step) * step;
  const max = Math.ceil(b / step) * step;
  const decimals = decimalsFor(step);
  const ticks: Tick[] = [];
  const n = Math.round((max - min) / step);
  for (let i = 0; i <= n; i++) {
    const v = min + i * step;
    ticks.push({ value: v, label: (Math.abs(v) < step / 2 ? 0 : v).toFixed(decimals) });
  }
  return { min, max, ticks };
}
