/** The five widget bodies. Each reads what it shows through the transport and returns its nodes. */
import type { Alert, AnomalyResult, BucketPage, ClientConfig, HealthResult, PredictionResult, SeriesResult } from '../shared/api-types.js';
import { h } from '../shared/dom.js';
import { dateTime, label, num, percent } from '../shared/format.js';
import type { Transport } from '../shared/transport.js';
import { anomalyAlert } from './anomaly-alert.js';
import type { WidgetKind, WidgetOptions } from './kinds.js';
import { miniChart } from './mini-chart.js';

export interface ViewContext {
  t: Transport;
  o: WidgetOptions;
  config: ClientConfig;
}

/** Buckets of history a chart widget shows. */
const kChartPoints = 180;
const kAlertRows = 5;
const kEventRows = 10;

export function query(params: Record<string, string | number | null | undefined>): string {
  const p = new URLSearchParams();
  for (const k in params) if (params[k] !== null && params[k] !== undefined) p.set(k, String(params[k]));
  const s = p.toString();
  return s ? `?${s}` : '';
}

const sellerPath = (c: ViewContext, what: string) => `/metrics/${encodeURIComponent(c.o.seller)}/${what}`;
const typeOf = (c: ViewContext) => c.o.type ?? c.config.eventTypes[0].name;
const metricOf = (c: ViewContext) => c.config.eventTypes.find((t) => t.name === typeOf(c))?.metric ?? 'count';

async function tail(c: ViewContext, resolution: string | undefined): Promise<{ xs: number[]; ys: number[]; bucketMs: number }> {
  const s = await c.t.get<SeriesResult>(sellerPath(c, 'series') + query({ type: typeOf(c), resolution }));
  const b = s.buckets.slice(-kChartPoints);
  const m = metricOf(c);
  return { xs: b.map((x) => x.start), ys: b.map((x) => (m === 'sum' ? x.sum : x.count)), bucketMs: s.timeWindow.bucketMs };
}

function bars(entries: [string, number][], max: number): HTMLElement {
  return h('ul', { class: 'sp-bars' }, ...entries.map(([k, v]) => h('li', {},
    h('span', {}, label(k)),
    h('span', { class: 'sp-bar', role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': max, 'aria-valuenow': v, 'aria-label': label(k) },
      h('span', { style: `width:${Math.max(0, Math.min(100, (100 * v) / max))}%` })),
    h('span', { class: 'sp-num' }, max === 100 ? percent(v) : num(v)))));
}

async function anomaly(c: ViewContext): Promise<Node[]> {
  const a = await c.t.get<AnomalyResult>(sellerPath(c, 'anomalies') + query({ type: typeOf(c), resolution: c.o.resolution }));
  const [s, alerts] = await Promise.all([
    tail(c, a.resolution),
    c.t.get<{ alerts: Alert[] }>('/alerts' + query({ sellerId: c.o.seller, type: undefined, limit: kChartPoints })).catch(() => ({ alerts: [] as Alert[] })),
  ]);
  const marks = alerts.alerts.filter((x) => x.eventType === typeOf(c)).map((x) => x.timeWindow.endTimestamp - s.bucketMs);
  if (a.isAnomaly) marks.push(a.timeWindow.endTimestamp - a.timeWindow.bucketMs);
  return [
    h('div', { class: 'sp-score' }, h('strong', {}, num(a.anomalyScore)), h('span', { class: `sp-badge ${a.isAnomaly ? 'sp-bad' : 'sp-good'}` }, a.isAnomaly ? 'anomaly' : 'normal')),
    miniChart({ xs: s.xs, ys: s.ys, marks: marks.filter((m) => m >= s.xs[0]), label: `${typeOf(c)} ${metricOf(c)} of ${c.o.seller}` }),
    a.attribution ? bars(Object.entries(a.attribution), 100) : null,
  ].filter((n): n is HTMLElement | SVGElement => n !== null);
}

async function prediction(c: ViewContext): Promise<Node[]> {
  const p = await c.t.get<PredictionResult>(sellerPath(c, 'predictions') + query({ type: typeOf(c), resolution: c.o.resolution }));
  const s = await tail(c, p.resolution);
  const lx = s.xs[s.xs.length - 1];
  const ly = s.ys[s.ys.length - 1];
  const pts = p.predictions;
  const forecast = { xs: [lx, ...pts.map((x) => x.timestamp)], ys: [ly, ...pts.map((x) => x.value)], lo: [ly, ...pts.map((x) => x.lower ?? x.value)], hi: [ly, ...pts.map((x) => x.upper ?? x.value)], cutoff: p.historicalCutoff };
  return [
    miniChart({ xs: s.xs, ys: s.ys, forecast: pts.length ? forecast : undefined, label: `${typeOf(c)} forecast for ${c.o.seller}` }),
    h('p', { class: 'sp-muted' }, pts.length ? `${pts.length} buckets ahead (${p.method}, ${Math.round(100 * (p.confidenceLevel ?? 0))} % band) from ${dateTime(p.historicalCutoff)}` : p.confidenceMessage),
  ];
}

async function health(c: ViewContext): Promise<Node[]> {
  const r = await c.t.get<HealthResult>(sellerPath(c, 'health') + query({ type: typeOf(c) }));
  const parts = Object.entries(r.breakdown).map(([k, v]) => [k, Number((v as { score?: number }).score ?? v)] as [string, number]).filter(([, v]) => Number.isFinite(v));
  return [h('div', { class: 'sp-score' }, h('strong', {}, num(r.healthScore)), h('span', { class: 'sp-muted' }, '/ 100')), bars(parts, 100), h('p', { class: 'sp-muted' }, r.confidenceMessage)];
}

async function alerts(c: ViewContext): Promise<Node[]> {
  const r = await c.t.get<{ alerts: Alert[] }>('/alerts' + query({ sellerId: c.o.seller, limit: kAlertRows }));
  const list = h('div', { class: 'sp-alerts', role: 'log', 'aria-live': 'polite', 'aria-label': `Alerts for ${c.o.seller}` }, ...r.alerts.map((a) => anomalyAlert(a)));
  const empty = h('p', { class: 'sp-muted' }, 'No alerts.');
  if (r.alerts.length > 0) empty.hidden = true;
  c.t.feed((m) => {
    const a = m.data as unknown as Alert;
    if (!m.event.startsWith('alert.') || a.sellerId !== c.o.seller) return;
    list.querySelector(`[data-alert-id="${CSS.escape(a.id)}"]`)?.remove();
    list.prepend(anomalyAlert(a, true));
    while (list.children.length > kAlertRows) list.lastElementChild?.remove();
    empty.hidden = true;
  });
  return [list, empty];
}

async function events(c: ViewContext): Promise<Node[]> {
  const rows = h('tbody');
  const more = h('button', { type: 'button', class: 'sp-more' }, 'More');
  const m = metricOf(c);
  let cursor: string | null = null;
  const load = async () => {
    const p = await c.t.get<BucketPage>(sellerPath(c, 'buckets') + query({ type: typeOf(c), resolution: c.o.resolution, limit: kEventRows, cursor }));
    for (const b of p.buckets) rows.append(h('tr', {}, h('td', {}, dateTime(b.start)), h('td', { class: 'sp-num' }, num(m === 'sum' ? b.sum : b.count))));
    cursor = p.nextCursor;
    more.hidden = cursor === null;
  };
  more.addEventListener('click', () => void load().catch(() => { more.hidden = true; }));
  await load();
  return [h('table', { class: 'sp-table' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Bucket'), h('th', { scope: 'col' }, label(m)))), rows), more];
}

export const kViews: Record<WidgetKind, (c: ViewContext) => Promise<Node[]>> = { anomaly, prediction, health, alerts, events };
export const kTitles: Record<WidgetKind, string> = { anomaly: 'Anomaly score', prediction: 'Forecast', health: 'Health score', alerts: 'Alerts', events: 'Event log' };
