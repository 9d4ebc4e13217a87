/**
 * The dashboard's time-series chart (uPlot): history, forecast with its ± confidence band, the
 * cutoff between them, anomaly marks; time ticks that never overlap (time-ticks.ts), a tooltip,
 * keyboard navigation (arrows, Home, End, Page Up/Down) read out to screen readers, and an
 * aria-label that summarises it. Colours come from the theme's CSS variables.
 */
import uPlot from 'uplot';
import { h } from '../../shared/dom.js';
import { compact, dateTime, duration, num } from '../../shared/format.js';
import { chartData, type ChartData, type ChartInput } from './chart-data.js';
import { drawOverlays, uPlot_pxRatio, type Palette } from './overlays.js';
import { timeTicks, type TimeTicks } from './time-ticks.js';

const kHeightPx = 320;
const kAxisFont = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const kYAxisSizePx = 64;
/** Points moved by Page Up / Page Down. */
const kPageStep = 60;
/** How far (CSS px) the probe's band point keeps from a grid line or the cutoff line. */
const kProbeGridClearance = 3;

function palette(): Palette {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return { history: v('--chart-history'), forecast: v('--chart-forecast'), band: v('--chart-band'), grid: v('--border'), text: v('--muted'), bad: v('--bad'), forecastBg: v('--chart-forecast-bg'), surface: v('--surface') };
}

export class SeriesChart {
  readonly el: HTMLElement;
  readonly #plot: HTMLElement;
  readonly #tip: HTMLElement;
  readonly #readout: HTMLElement;
  #u: uPlot | null = null;
  #d: ChartData | null = null;
  #input: ChartInput | null = null;
  #ticks: TimeTicks = { step: 0, ticks: [], labels: [] };
  #measure: CanvasRenderingContext2D | null = null;
  #idx = -1;

  constructor() {
    this.#plot = h('div', { class: 'chart-plot', role: 'img', tabindex: 0, 'aria-label': 'Time series chart: no data yet', 'aria-describedby': 'chart-help', 'data-testid': 'series-chart' });
    this.#tip = h('div', { class: 'chart-tip', hidden: true });
    this.#readout = h('div', { class: 'sr-only', 'aria-live': 'polite' });
    this.el = h('figure', { class: 'chart' }, this.#plot,
      h('figcaption', { class: 'legend' },
        h('span', { class: 'key key-history' }, 'History'), h('span', { class: 'key key-forecast' }, 'Forecast'),
        h('span', { class: 'key key-band' }, '± confidence band'), h('span', { class: 'key key-cutoff' }, 'Historical cutoff'), h('span', { class: 'key key-mark' }, 'Anomaly')),
      h('p', { id: 'chart-help', class: 'sr-only' }, 'Focus the chart and use the arrow keys, Home, End, Page Up and Page Down to read the points.'),
      this.#readout);
    this.#plot.addEventListener('keydown', (e) => this.#key(e));
    // for the browser tests (test/browser): the chart's geometry
    Object.assign(this.el, { __probe: () => this.probe() });
    new ResizeObserver(() => this.#u?.setSize({ width: this.#width(), height: kHeightPx })).observe(this.#plot);
  }

  /** Draws (or redraws) the chart for `input`. */
  show(input: ChartInput): void {
    this.#input = input;
    const d = chartData(input);
    this.#d = d;
    const el = this.#plot;
    el.dataset.points = String(d.historyCount);
    el.dataset.forecastPoints = String(d.forecastCount);
    el.dataset.cutoff = d.cutoff === null ? '' : String(d.cutoff);
    el.dataset.anomalies = String(d.markIdx.length);
    el.setAttribute('aria-label', this.#summary(input, d));
    if (this.#u === null) this.#create(d);
    else this.#u.setData(d.data);
    performance.mark(`chart-drawn-${d.historyCount}`);
  }

  /** Rebuilds with the current theme's colours. */
  restyle(): void {
    this.#u?.destroy();
    this.#u = null;
    if (this.#input !== null) this.show(this.#input);
  }

  /**
   * Geometry for tests and checks: tick positions and label widths (CSS px), cutoff x, and a point
   * inside the band off the vertical grid lines (one at a round time can fall right after the
   * cutoff, e.g. midnight a few minutes ahead, and would ink the band's column top to bottom).
   */
  probe(): { ticks: { label: string; x: number; width: number }[]; plotLeft: number; plotTop: number; plotWidth: number; plotHeight: number; cutoffX: number | null; band: { x: number; y: number } | null } {
    const u = this.#u!;
    const r = uPlot_pxRatio();
    const d = this.#d!;
    const ticks = this.#ticks.ticks.map((t, i) => ({ label: this.#ticks.labels[i], x: u.valToPos(t, 'x'), width: this.#measureText(this.#ticks.labels[i]) }));
    let band: { x: number; y: number } | null = null;
    const cutoffX = d.cutoff === null ? null : u.valToPos(d.cutoff, 'x');
    const [xs, , , lo, hi] = d.data;
    for (let i = d.historyCount; i < xs.length; i++) {
      if (lo[i] !== null && hi[i] !== null && hi[i]! > lo[i]!) {
        const ylo = u.valToPos(lo[i]!, 'y');
        const yhi = u.valToPos(hi[i]!, 'y');
        const x = u.valToPos(xs[i], 'x');
        const nearLine = ticks.some((t) => Math.abs(t.x - x) < kProbeGridClearance) || (cutoffX !== null && Math.abs(cutoffX - x) < kProbeGridClearance);
        if (ylo - yhi >= 4 && !nearLine) {
          band = { x, y: (ylo + yhi) / 2 };
          break;
        }
      }
    }
    return { ticks, plotLeft: u.bbox.left / r, plotTop: u.bbox.top / r, plotWidth: u.bbox.width / r, plotHeight: u.bbox.height / r, cutoffX, band };
  }

  #width(): number {
    return Math.max(200, this.#plot.clientWidth);
  }

  #measureText(s: string): number {
    this.#measure ??= document.createElement('canvas').getContext('2d');
    this.#measure!.font = kAxisFont;
    return this.#measure!.measureText(s).width;
  }

  #create(d: ChartData): void {
    const p = palette();
    const axis = { stroke: p.text, font: kAxisFont, grid: { stroke: p.grid, width: 1 }, ticks: { stroke: p.grid, width: 1 } };
    const opts: uPlot.Options = {
      width: this.#width(), height: kHeightPx, ms: 1,
      scales: { x: { time: true } },
      legend: { show: false },
      cursor: { y: false, points: { size: 7 } },
      series: [
        {},
        { label: 'History', stroke: p.history, width: 1.5, points: { show: false } },
        { label: 'Forecast', stroke: p.forecast, width: 2, dash: [6, 4], points: { show: false } },
        { label: 'Lower', stroke: 'transparent', points: { show: false } },
        { label: 'Upper', stroke: 'transparent', points: { show: false } },
      ],
      bands: [{ series: [4, 3], fill: p.band }],
      axes: [
        {
          ...axis,
          splits: (u, _i, min, max) => {
            this.#ticks = timeTicks(min, max, u.bbox.width / uPlot_pxRatio(), (s) => this.#measureText(s));
            return this.#ticks.ticks;
          },
          values: (_u, splits) => splits.map((t) => this.#ticks.labels[this.#ticks.ticks.indexOf(t)] ?? ''),
        },
        { ...axis, size: kYAxisSizePx, values: (_u, vals) => vals.map((v) => compact(v)) },
      ],
      hooks: {
        draw: [(u) => drawOverlays(u, this.#d!, palette())],
        setCursor: [(u) => this.#tooltip(u)],
      },
    };
    this.#u = new uPlot(opts, d.data, this.#plot);
    this.#u.over.append(this.#tip);
  }

  #describe(i: number): string {
    const d = this.#d!;
    const [xs, hist, fc, lo, hi] = d.data;
    const parts = [dateTime(xs[i])];
    if (hist[i] !== null) parts.push(`history ${num(hist[i])}`);
    if (fc[i] !== null && d.cutoff !== null && xs[i] >= d.cutoff) parts.push(`forecast ${num(fc[i])} (${num(lo[i])} – ${num(hi[i])})`);
    if (d.markIdx.includes(i)) parts.push('anomaly');
    return parts.join(' · ');
  }

  #tooltip(u: uPlot): void {
    const i = u.cursor.idx;
    if (i === null || i === undefined || u.cursor.left === undefined || u.cursor.left < 0) {
      this.#tip.hidden = true;
      return;
    }
    this.#idx = i;
    this.#tip.textContent = this.#describe(i);
    this.#tip.hidden = false;
    const left = u.valToPos(u.data[0][i], 'x');
    const flip = left > u.over.clientWidth / 2;
    this.#tip.style.left = flip ? '' : `${left + 12}px`;
    this.#tip.style.right = flip ? `${u.over.clientWidth - left + 12}px` : '';
    this.#tip.style.top = '8px';
  }

  #key(e: KeyboardEvent): void {
    const u = this.#u;
    if (u === null) return;
    const n = u.data[0].length;
    const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, PageUp: -kPageStep, PageDown: kPageStep, Home: -n, End: n };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const i = Math.max(0, Math.min(n - 1, (this.#idx < 0 ? n - 1 : this.#idx) + moves[e.key]));
    this.#idx = i;
    const y = u.data[1][i] ?? u.data[2][i] ?? 0;
    u.setCursor({ left: u.valToPos(u.data[0][i], 'x'), top: u.valToPos(y, 'y') });
    this.#readout.textContent = this.#describe(i);
  }

  #summary(input: ChartInput, d: ChartData): string {
    const s = input.series;
    const parts = [`${s.type} ${input.metric} of ${s.sellerId}, ${d.historyCount} buckets of ${duration(s.timeWindow.bucketMs)} from ${dateTime(s.timeWindow.startTimestamp)} to ${dateTime(s.timeWindow.endTimestamp)}`];
    if (d.cutoff !== null) parts.push(`forecast of ${d.forecastCount} buckets after the historical cutoff at ${dateTime(d.cutoff)}, with a ± confidence band`);
    parts.push(d.markIdx.length === 0 ? 'no anomalies marked' : `${d.markIdx.length} anomal${d.markIdx.length === 1 ? 'y' : 'ies'} marked`);
    return `Time series chart: ${parts.join('; ')}.`;
  }
}
