/**
 * The dashboard for one seller: controls (seller, event type, resolution), the chart and the panels.
 * Every panel asks for its own data in parallel and shows it, or the problem, as soon as it comes;
 * the live feed adds alerts — and a new alert of the seller reloads the chart (marking it) and the
 * analysis panels — and refreshes insights, without reloading the page.
 */
import type { Alert, AnomalyResult, ClientConfig, Fingerprint, HealthResult, Insight, Limits, PredictionResult, SeriesResult } from '../shared/api-types.js';
import { fill, h } from '../shared/dom.js';
import { ApiError, HttpTransport } from '../shared/transport.js';
import { SeriesChart } from './chart/series-chart.js';
import { AlertsPanel } from './panels/alerts.js';
import { showAnomaly, showFingerprint, showHealth } from './panels/analysis.js';
import { Card } from './panels/card.js';
import { EventLog } from './panels/event-log.js';
import { Exports } from './panels/exports.js';
import { showInsights } from './panels/insights.js';
import { showLimits } from './panels/limits.js';
import { showWindow } from './panels/window.js';
import { readView, writeView, type View } from './session.js';
import { onThemeChange, themeToggle } from './theme.js';

const kLimitsRefreshMs = 5000;
const kListLimit = 20;
/** Preferred default resolution (falls back to the first configured). */
const kDefaultResolution = '1m';

export class Dashboard {
  readonly api: HttpTransport;
  readonly #root: HTMLElement;
  readonly #signOut: () => void;
  readonly #chart = new SeriesChart();
  readonly #cards = {
    chart: new Card('chart', 'Time series', null, true), anomaly: new Card('anomaly', 'Anomaly score'), health: new Card('health', 'Health score'),
    fingerprint: new Card('fingerprint', 'Fingerprint'), window: new Card('window', 'Time window and data'), limits: new Card('limits', 'Rate limits and backpressure'),
    insights: new Card('insights', 'Insights'),
  };
  readonly #alerts = new AlertsPanel(() => void this.#analyse().catch(() => {}));
  readonly #log: EventLog;
  readonly #exports: Exports;
  #view: View = { seller: '', type: '', res: '' };
  #chartInput: Parameters<SeriesChart['show']>[0] | null = null;
  #timer = 0;
  /** Each event type's metric (value-carrying types: sum). */
  readonly #metrics = new Map<string, 'count' | 'sum'>();

  constructor(root: HTMLElement, key: string, signOut: () => void) {
    this.#root = root;
    this.api = new HttpTransport('', key);
    this.#signOut = signOut;
    this.#log = new EventLog(this.api);
    this.#exports = new Exports(this.api);
    this.#exports.bind(() => ({ sellerId: this.#view.seller, type: this.#view.type, resolution: this.#view.res }));
  }

  async start(): Promise<void> {
    let config: ClientConfig;
    try {
      config = await this.api.get<ClientConfig>('/embed/config');
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return this.#quit();
      throw err;
    }
    for (const t of config.eventTypes) this.#metrics.set(t.name, t.metric);
    const v = readView();
    this.#view = {
      seller: v.seller ?? '',
      type: v.type ?? config.eventTypes[0].name,
      res: v.res ?? (config.resolutions.find((r) => r.name === kDefaultResolution) ?? config.resolutions[0]).name,
    };
    this.#layout(config);
    this.api.onFeedState = (s) => this.#alerts.feedState(s);
    this.api.feed((m) => {
      this.#alerts.feed(m);
      if (m.event === 'insight.transition') this.#insights();
    });
    this.#limits();
    this.#timer = window.setInterval(() => this.#limits(), kLimitsRefreshMs);
    if (this.#view.seller !== '') this.load();
  }

  #layout(config: ClientConfig): void {
    const seller = h('input', { id: 'seller', name: 'seller', required: true, value: this.#view.seller, autocomplete: 'off', spellcheck: 'false' });
    const type = h('select', { id: 'type', name: 'type' }, ...config.eventTypes.map((t) => h('option', { value: t.name, selected: t.name === this.#view.type }, t.name)));
    const res = h('select', { id: 'res', name: 'res' }, ...config.resolutions.map((r) => h('option', { value: r.name, selected: r.name === this.#view.res }, r.name)));
    const form = h('form', { class: 'controls', role: 'search', 'aria-label': 'Choose a seller' },
      h('div', { class: 'form-row' }, h('label', { for: 'seller' }, 'Seller'), seller),
      h('div', { class: 'form-row' }, h('label', { for: 'type' }, 'Event type'), type),
      h('div', { class: 'form-row' }, h('label', { for: 'res' }, 'Resolution'), res),
      h('button', { type: 'submit', class: 'btn primary' }, 'Show'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.#view = { seller: seller.value.trim(), type: type.value, res: res.value };
      this.load();
    });
    const signOut = h('button', { type: 'button', class: 'btn' }, 'Sign out');
    signOut.addEventListener('click', () => this.#quit());
    const c = this.#cards;
    c.chart.show(this.#chart.el);
    fill(this.#root,
      h('header', { class: 'topbar' },
        h('h1', {}, 'SellerPulse'),
        h('span', { class: 'muted' }, `${config.tenantId} · ${config.tier} tier · config v${config.configVersion}`),
        h('nav', { class: 'row', 'aria-label': 'Session' }, themeToggle(), signOut)),
      h('main', { id: 'main', tabindex: -1 }, form,
        h('div', { class: 'grid' }, c.chart.el, c.anomaly.el, c.health.el, c.fingerprint.el, c.window.el, c.limits.el,
          this.#alerts.card.el, c.insights.el, this.#log.card.el, this.#exports.card.el)));
    onThemeChange(() => this.#chart.restyle());
  }

  /** Loads every panel for the current view. */
  load(): void {
    if (this.#view.seller === '') return;
    writeView(this.#view);
    const alerts = this.#analyse();
    alerts.then((r) => this.#alerts.history(this.#view.seller, r.alerts), (err) => this.#alerts.card.fail(err));
    this.#log.open(this.#view.seller, this.#view.type, this.#view.res);
  }

  /** (Re)loads the chart and the analysis panels (also when a live alert of the seller arrives); answers the alert history. */
  #analyse(): Promise<{ alerts: Alert[] }> {
    const { seller, type, res } = this.#view;
    const c = this.#cards;
    for (const card of [c.chart, c.anomaly, c.health, c.fingerprint, c.window, c.insights]) card.busy();
    const base = `/metrics/${encodeURIComponent(seller)}`;
    const q = `?type=${encodeURIComponent(type)}&resolution=${encodeURIComponent(res)}`;
    const series = this.api.get<SeriesResult>(`${base}/series${q}`);
    const anomaly = this.api.get<AnomalyResult>(`${base}/anomalies${q}`);
    const prediction = this.api.get<PredictionResult>(`${base}/predictions${q}`);
    const alerts = this.api.get<{ alerts: Alert[] }>(`/alerts?sellerId=${encodeURIComponent(seller)}&limit=${kListLimit}`);
    const metric = this.#typeMetric(type);
    series.then((s) => {
      this.#chartInput = { series: s, metric, prediction: null, marks: [] };
      c.chart.show(this.#chart.el);
      this.#chart.show(this.#chartInput);
    }, (err) => c.chart.fail(err));
    Promise.allSettled([series, prediction, anomaly, alerts]).then(([s, p, a, al]) => {
      if (s.status !== 'fulfilled' || this.#chartInput?.series !== s.value) return;
      const marks = al.status === 'fulfilled' ? al.value.alerts.filter((x) => x.eventType === type).map((x) => x.timeWindow.endTimestamp - x.timeWindow.bucketMs) : [];
      if (a.status === 'fulfilled' && a.value.isAnomaly) marks.push(a.value.timeWindow.endTimestamp - a.value.timeWindow.bucketMs);
      this.#chartInput = { ...this.#chartInput, prediction: p.status === 'fulfilled' ? p.value : null, marks };
      this.#chart.show(this.#chartInput);
    });
    anomaly.then((a) => {
      showAnomaly(c.anomaly, a);
      showWindow(c.window, a);
    }, (err) => {
      c.anomaly.fail(err);
      c.window.fail(err);
    });
    this.api.get<HealthResult>(`${base}/health${q}`).then((r) => showHealth(c.health, r), (err) => c.health.fail(err));
    this.api.get<Fingerprint>(`${base}/fingerprint`).then((f) => showFingerprint(c.fingerprint, f), (err) => c.fingerprint.fail(err, true));
    this.#insights();
    return alerts;
  }

  #typeMetric(type: string): 'count' | 'sum' {
    return this.#metrics.get(type) ?? 'count';
  }

  #insights(): void {
    const seller = this.#view.seller;
    if (seller === '') return;
    this.api.get<{ insights: Insight[] }>(`/insights/${encodeURIComponent(seller)}/lifecycle?limit=${kListLimit}`)
      .then((r) => showInsights(this.#cards.insights, r.insights), (err) => this.#cards.insights.fail(err));
  }

  #limits(): void {
    this.api.get<Limits>('/status/limits').then((l) => showLimits(this.#cards.limits, l), (err) => this.#cards.limits.fail(err));
  }

  #quit(): void {
    clearInterval(this.#timer);
    this.api.close();
    this.#signOut();
  }
}
