/** What uPlot does not draw itself: the forecast region and its cutoff line, and anomaly marks. */
import type uPlot from 'uplot';
import type { ChartData } from './chart-data.js';

export interface Palette {
  history: string; forecast: string; band: string; grid: string; text: string; bad: string; forecastBg: string; surface: string;
}

const kMarkRadiusPx = 5;
const kCutoffDash = [4, 4];
const kLabelPadPx = 4;
/** Two device-independent pixels at an integer x: crisp, and clearly apart from the 1.5 px series lines. */
const kCutoffWidthPx = 2;

export function drawOverlays(u: uPlot, d: ChartData, p: Palette): void {
  const ctx = u.ctx;
  const r = uPlot_pxRatio();
  const { left, top, width, height } = u.bbox;
  ctx.save();
  if (d.cutoff !== null) {
    const x = Math.round(u.valToPos(d.cutoff, 'x', true));
    ctx.fillStyle = p.forecastBg;
    ctx.fillRect(x, top, left + width - x, height);
    ctx.strokeStyle = p.text;
    ctx.lineWidth = kCutoffWidthPx * r;
    ctx.setLineDash(kCutoffDash.map((v) => v * r));
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = p.text;
    ctx.font = `${12 * r}px system-ui, sans-serif`;
    ctx.textBaseline = 'top';
    const text = 'forecast →';
    const tw = ctx.measureText(text).width;
    ctx.textAlign = x + tw + kLabelPadPx * r < left + width ? 'left' : 'right';
    ctx.fillText(ctx.textAlign === 'left' ? text : '← history', x + (ctx.textAlign === 'left' ? 1 : -1) * kLabelPadPx * r, top + kLabelPadPx * r);
  }
  const xs = u.data[0];
  const ys = u.data[1];
  ctx.fillStyle = p.bad;
  ctx.strokeStyle = p.surface;
  ctx.lineWidth = 2 * r;
  for (const i of d.markIdx) {
    const y = ys[i];
    if (y === null || y === undefined) continue;
    ctx.beginPath();
    ctx.arc(u.valToPos(xs[i], 'x', true), u.valToPos(y, 'y', true), kMarkRadiusPx * r, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
  ctx.restore();
}

/** uPlot draws in device pixels. */
export function uPlot_pxRatio(): number {
  return window.devicePixelRatio || 1;
}
