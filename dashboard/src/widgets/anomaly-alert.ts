/** AnomalyAlert: one alert as a card — level, type, seller, score against threshold, sufficiency, top causes. */
import type { Alert } from '../shared/api-types.js';
import { h } from '../shared/dom.js';
import { ago, dateTime, label, num, percent } from '../shared/format.js';

/** Attribution components shown on a card (largest first). */
const kTopCauses = 2;

export function anomalyAlert(a: Alert, live = false): HTMLElement {
  const causes = Object.entries(a.attribution ?? {}).sort((x, y) => y[1] - x[1]).slice(0, kTopCauses)
    .map(([k, v]) => `${label(k)} ${percent(v)}`).join(', ');
  const ds = a.dataSufficiency;
  return h('article', {
    class: `sp-alert sp-level-${a.level}${live ? ' sp-live' : ''}`, 'data-alert-id': a.id, 'data-state': a.state, tabindex: 0,
    'aria-label': `${a.level} alert: ${label(a.type)} for ${a.sellerId}, score ${num(a.score)}`,
  },
  h('div', { class: 'sp-alert-head' },
    h('span', { class: `sp-badge sp-level-${a.level}` }, a.level.toUpperCase()),
    h('strong', {}, label(a.type)),
    h('span', { class: 'sp-muted' }, `${a.sellerId} · ${a.eventType}`),
    h('span', { class: `sp-badge sp-state-${a.state}` }, a.state)),
  h('div', { class: 'sp-alert-body' },
    `Score ${num(a.score)} ≥ ${num(a.threshold)} · data ${ds.status} (${ds.available}/${ds.required})`,
    causes ? ` · ${causes}` : ''),
  h('time', { class: 'sp-muted', datetime: new Date(a.createdAt).toISOString(), title: dateTime(a.createdAt) }, ago(a.createdAt)));
}
