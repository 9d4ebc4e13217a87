/** Time window, data sufficiency (badge and progress bar), confidence message and config version of an analysis. */
import type { Analytic } from '../../shared/api-types.js';
import { h } from '../../shared/dom.js';
import { ago, dateTime, duration } from '../../shared/format.js';
import { badge, type Card } from './card.js';

export function showWindow(card: Card, a: Analytic): void {
  const w = a.timeWindow;
  const s = a.dataSufficiency;
  const pct = s.required > 0 ? Math.min(100, Math.round((100 * s.available) / s.required)) : 100;
  card.show(
    h('dl', { class: 'facts' },
      h('dt', {}, 'Start'), h('dd', { 'data-testid': 'window-start' }, dateTime(w.startTimestamp)),
      h('dt', {}, 'End'), h('dd', { 'data-testid': 'window-end' }, dateTime(w.endTimestamp)),
      h('dt', {}, 'Window size'), h('dd', { 'data-testid': 'window-size' }, `${w.windowSize} buckets × ${duration(w.bucketMs)}`),
      h('dt', {}, 'Config version'), h('dd', { 'data-testid': 'config-version' }, String(a.configVersion)),
      h('dt', {}, 'Computed'), h('dd', {}, `${ago(a.lastComputedAt)}${a.resolution ? ` at ${a.resolution}` : ''}`),
      h('dt', {}, 'Reproducibility'), h('dd', { class: 'mono', title: a.reproducibilityHash }, a.reproducibilityHash.slice(0, 12) + '…')),
    h('div', { class: 'sufficiency' },
      badge(s.status === 'sufficient' ? 'Data sufficient' : 'Data insufficient', s.status === 'sufficient' ? 'good' : 'warn'),
      h('div', { class: 'progress', role: 'progressbar', 'aria-label': 'Data points available of those required', 'aria-valuemin': 0, 'aria-valuemax': s.required, 'aria-valuenow': Math.min(s.available, s.required), 'aria-valuetext': `${s.available} of ${s.required} points` },
        h('span', { class: `progress-fill tone-${s.status === 'sufficient' ? 'good' : 'warn'}`, style: `width:${pct}%` })),
      h('span', { class: 'muted' }, `${s.available} / ${s.required} points`)),
    h('p', { class: 'confidence', 'data-testid': 'confidence-message' }, a.confidenceMessage),
  );
}
