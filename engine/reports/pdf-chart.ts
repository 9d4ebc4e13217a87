/**
 * Vector time charts drawn with pdfkit paths: axes with round time ticks whose labels never
 * overlap (chart-ticks.ts), the history line, the prediction line over its ± confidence band (a
 * filled polygon), a dashed vertical cutoff line and anomaly markers, then a legend.
 */
import type { TimeChart } from './report-document.js';
import { timeTicks, valueAxis } from './chart-ticks.js';
import {
  kAnomalyRadius, kBandOpacity, kChartAxisBottom, kChartAxisLeft, kChartHeight, kChartLegendHeight, kChartRightPad,
  kChartTextSize, kChartTitleHeight, kColors, kCutoffDash, kFontBold, kFontRegular, kLabelGap, kLegendBandHalf, kLegendGap, kLegendSwatch,
  kLineWidth, kBlockGap, kRuleWidth, kTickLength, kYLabelSpacing,
} from './pdf-layout.js';
import { contentWidth, ensureSpace, winAnsi } from './pdf-text.js';

type Doc = PDFKit.PDFDocument;

interface Plot {
  left: number;
  top: number;
  width: number;
  height: number;
  t0: number;
  t1: number;
  v0: number;
  v1: number;
}

const xOf = (p: Plot, t: number) => p.left + ((t - p.t0) / (p.t1 - p.t0)) * p.width;
const yOf = (p: Plot, v: number) => p.top + p.height - ((v - p.v0) / (p.v1 - p.v0)) * p.height;

function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return [lo, hi];
}

/** Index of the history bucket holding instant `t` (buckets are equally wide), or -1. */
function bucketOf(starts: readonly number[], t: number): number {
  if (starts.length === 0 || t < starts[0]) return -1;
  const width = starts.length > 1 ? starts[1] - starts[0] : 1;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  return t < starts[lo] + width ? lo : -1;
}

function polyline(doc: Doc, p: Plot, ts: readonly number[], vs: readonly number[], color: string): void {
  if (ts.length === 0) return;
  doc.moveTo(xOf(p, ts[0]), yOf(p, vs[0]));
  for (let i = 1; i < ts.length; i++) doc.lineTo(xOf(p, ts[i]), yOf(p, vs[i]));
  doc.lineWidth(kLineWidth).strokeColor(color).stroke();
}

function axes(doc: Doc, p: Plot, yTicks: { value: number; label: string }[]): void {
  doc.font(kFontRegular).fontSize(kChartTextSize).fillColor(kColors.muted);
  const lineHeight = doc.currentLineHeight();
  for (const t of yTicks) {
    const y = yOf(p, t.value);
    doc.moveTo(p.left, y).lineTo(p.left + p.width, y).lineWidth(kRuleWidth).strokeColor(kColors.grid).stroke();
    doc.text(t.label, p.left - kChartAxisLeft, y - lineHeight / 2, { width: kChartAxisLeft - kTickLength * 2, align: 'right', lineBreak: false });
  }
  const xTicks = timeTicks(p.t0, p.t1, p.width, (s) => doc.widthOfString(s), kLabelGap);
  const base = p.top + p.height;
  for (const t of xTicks) {
    const x = xOf(p, t.value);
    const w = doc.widthOfString(t.label);
    doc.moveTo(x, base).lineTo(x, base + kTickLength).lineWidth(kRuleWidth).strokeColor(kColors.axis).stroke();
    // a label that would run past the chart's box is left out rather than shifted onto its neighbour
    if (x - w / 2 < p.left - kChartAxisLeft || x + w / 2 > p.left + p.width + kChartRightPad) continue;
    doc.text(t.label, x - w / 2, base + kTickLength + 1, { lineBreak: false });
  }
  doc.moveTo(p.left, p.top).lineTo(p.left, base).lineTo(p.left + p.width, base).lineWidth(kRuleWidth).strokeColor(kColors.axis).stroke();
}

function legend(doc: Doc, chart: TimeChart, x: number, y: number): void {
  const items: [string, string, 'line' | 'band' | 'dash' | 'dot'][] = [['History', kColors.history, 'line']];
  if (chart.prediction) items.push(['Forecast', kColors.prediction, 'line'], ['Confidence band', kColors.band, 'band']);
  if (chart.cutoff !== undefined) items.push([chart.prediction ? 'Historical cutoff' : 'Recent window', kColors.cutoff, 'dash']);
  if (chart.anomalies?.length) items.push(['Anomalous bucket', kColors.anomaly, 'dot']);
  doc.font(kFontRegular).fontSize(kChartTextSize);
  const mid = y + doc.currentLineHeight() / 2;
  for (const [label, color, shape] of items) {
    if (shape === 'band') doc.save().fillOpacity(kBandOpacity).rect(x, mid - kLegendBandHalf, kLegendSwatch, 2 * kLegendBandHalf).fill(color).restore();
    else if (shape === 'dot') doc.circle(x + kLegendSwatch / 2, mid, kAnomalyRadius).fill(color);
    else {
      if (shape === 'dash') doc.dash(kCutoffDash, { space: kCutoffDash });
      doc.moveTo(x, mid).lineTo(x + kLegendSwatch, mid).lineWidth(kLineWidth).strokeColor(color).stroke().undash();
    }
    doc.fillColor(kColors.muted).text(label, x + kLegendSwatch + 3, y, { lineBreak: false });
    x += kLegendSwatch + 3 + doc.widthOfString(label) + kLegendGap;
  }
}

/** Draws `chart` at the cursor, full content width (on a new page when it does not fit). */
export function drawChart(doc: Doc, chart: TimeChart): void {
  const total = kChartTitleHeight + kChartHeight + kChartAxisBottom + kChartLegendHeight;
  ensureSpace(doc, total);
  const x = doc.page.margins.left;
  const top = doc.y;
  doc.font(kFontBold).fontSize(kChartTextSize + 1).fillColor(kColors.text).text(winAnsi(chart.title), x, top, { lineBreak: false });
  doc.font(kFontRegular).fontSize(kChartTextSize).fillColor(kColors.muted);
  const unit = winAnsi(chart.unit);
  doc.text(unit, x + contentWidth(doc) - doc.widthOfString(unit), top + 1, { lineBreak: false });

  const h = chart.history;
  const pr = chart.prediction;
  const [t0, t1] = extent([...h.timestamps, ...(pr?.timestamps ?? []), ...(chart.cutoff === undefined ? [] : [chart.cutoff])]);
  const [lo, hi] = extent([...h.values, ...(pr ? [...pr.values, ...pr.lower, ...pr.upper] : [])]);
  const height = kChartHeight;
  const axis = valueAxis(lo, hi, Math.max(1, Math.floor(height / (kChartTextSize * kYLabelSpacing))));
  const plot: Plot = {
    left: x + kChartAxisLeft, top: top + kChartTitleHeight, width: contentWidth(doc) - kChartAxisLeft - kChartRightPad, height,
    t0: Number.isFinite(t0) ? t0 : 0, t1: Number.isFinite(t1) && t1 > t0 ? t1 : (Number.isFinite(t0) ? t0 : 0) + 1, v0: axis.min, v1: axis.max,
  };
  axes(doc, plot, axis.ticks);
  if (h.timestamps.length === 0 && !pr) {
    doc.fillColor(kColors.muted).text('No data in this window', plot.left + plot.width / 3, plot.top + plot.height / 2, { lineBreak: false });
  }
  if (pr && pr.timestamps.length > 0) {
    const upper = pr.timestamps.map((t, i) => [xOf(plot, t), yOf(plot, pr.upper[i])]);
    const lower = pr.timestamps.map((t, i) => [xOf(plot, t), yOf(plot, pr.lower[i])]).reverse();
    doc.save().fillOpacity(kBandOpacity).polygon(...upper, ...lower).fill(kColors.band).restore();
  }
  polyline(doc, plot, h.timestamps, h.values, kColors.history);
  if (pr) polyline(doc, plot, pr.timestamps, pr.values, kColors.prediction);
  if (chart.cutoff !== undefined) {
    const cx = xOf(plot, chart.cutoff);
    doc.dash(kCutoffDash, { space: kCutoffDash }).moveTo(cx, plot.top).lineTo(cx, plot.top + plot.height).lineWidth(kRuleWidth * 2).strokeColor(kColors.cutoff).stroke().undash();
  }
  for (const t of chart.anomalies ?? []) {
    const i = bucketOf(h.timestamps, t);
    if (i >= 0) doc.circle(xOf(plot, h.timestamps[i]), yOf(plot, h.values[i]), kAnomalyRadius).fill(kColors.anomaly);
  }
  legend(doc, chart, plot.left, plot.top + plot.height + kChartAxisBottom);
  doc.x = x;
  doc.y = top + total + kBlockGap;
}
