/**
 * A small SVG time chart for the widgets (the dashboard uses uPlot; the SDK must stay small):
 * history line, optional forecast with its ± band and the cutoff between them, anomaly marks,
 * first/last time labels, and an aria-label that says what it shows.
 */
import { s } from '../shared/dom.js';
import { dateTime, num } from '../shared/format.js';

export interface MiniChartData {
  xs: number[];
  ys: number[];
  forecast?: { xs: number[]; ys: number[]; lo: number[]; hi: number[]; cutoff: number };
  /** Timestamps to mark as anomalous. */
  marks?: number[];
  label: string;
}

const kW = 320;
const kH = 120;
const kPad = 6;
const kLabelH = 14;
const kMarkR = 3.5;

/** Keeps at most `n` points: the largest of each stride, so spikes survive. */
function thin(xs: number[], ys: number[], n: number): [number[], number[]] {
  if (xs.length <= n) return [xs, ys];
  const step = Math.ceil(xs.length / n);
  const ox: number[] = [];
  const oy: number[] = [];
  for (let i = 0; i < xs.length; i += step) {
    let k = i;
    for (let j = i; j < Math.min(i + step, xs.length); j++) if (ys[j] > ys[k]) k = j;
    ox.push(xs[k]);
    oy.push(ys[k]);
  }
  return [ox, oy];
}

export function miniChart(d: MiniChartData): SVGElement {
  const [xs, ys] = thin(d.xs, d.ys, kW);
  const f = d.forecast;
  const allX = f ? xs.concat(f.xs) : xs;
  const allY = f ? ys.concat(f.hi, f.lo) : ys;
  const x0 = Math.min(...allX);
  const x1 = Math.max(...allX);
  const y1 = Math.max(1e-9, ...allY);
  const plotH = kH - kLabelH - 2 * kPad;
  const px = (x: number) => kPad + ((x - x0) / Math.max(1, x1 - x0)) * (kW - 2 * kPad);
  const py = (y: number) => kPad + plotH - (Math.max(0, y) / y1) * plotH;
  const path = (a: number[], b: number[]) => a.map((x, i) => `${i ? 'L' : 'M'}${px(x).toFixed(1)},${py(b[i]).toFixed(1)}`).join('');
  const summary = `${d.label}: ${xs.length} points from ${dateTime(x0)} to ${dateTime(x1)}, peak ${num(Math.max(...ys))}`
    + (f ? `; forecast after ${dateTime(f.cutoff)} with a confidence band` : '')
    + (d.marks?.length ? `; ${d.marks.length} anomal${d.marks.length === 1 ? 'y' : 'ies'} marked` : '');
  const svg = s('svg', { viewBox: `0 0 ${kW} ${kH}`, role: 'img', 'aria-label': summary, class: 'sp-chart' });
  if (f && f.xs.length > 0) {
    const band = path(f.xs, f.hi) + f.xs.slice().reverse().map((x, i) => `L${px(x).toFixed(1)},${py(f.lo[f.lo.length - 1 - i]).toFixed(1)}`).join('') + 'Z';
    svg.append(s('path', { d: band, class: 'sp-band', 'data-part': 'band' }));
    svg.append(s('line', { x1: px(f.cutoff), x2: px(f.cutoff), y1: kPad, y2: kPad + plotH, class: 'sp-cutoff', 'data-part': 'cutoff' }));
    svg.append(s('path', { d: path(f.xs, f.ys), class: 'sp-forecast', 'data-part': 'forecast' }));
  }
  svg.append(s('path', { d: path(xs, ys), class: 'sp-line', 'data-part': 'history' }));
  for (const m of d.marks ?? []) {
    let k = 0;
    for (let i = 0; i < d.xs.length; i++) if (Math.abs(d.xs[i] - m) < Math.abs(d.xs[k] - m)) k = i;
    svg.append(s('circle', { cx: px(d.xs[k]), cy: py(d.ys[k]), r: kMarkR, class: 'sp-mark', 'data-part': 'anomaly' }));
  }
  const ly = kH - 2;
  svg.append(s('text', { x: kPad, y: ly, class: 'sp-axis' }, dateTime(x0)));
  svg.append(s('text', { x: kW - kPad, y: ly, class: 'sp-axis', 'text-anchor': 'end' }, dateTime(x1)));
  return svg;
}
