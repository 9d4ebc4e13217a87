/** Anomaly score with its attribution, health score with its breakdown, fingerprint class. */
import type { AnomalyResult, Fingerprint, HealthResult } from '../../shared/api-types.js';
import { h } from '../../shared/dom.js';
import { label, num, percent } from '../../shared/format.js';
import { badge, Card, meter } from './card.js';

export function showAnomaly(card: Card, a: AnomalyResult): void {
  const attribution = Object.entries(a.attribution ?? {}).sort((x, y) => y[1] - x[1]);
  card.show(
    h('p', { class: 'score-line' }, h('span', { class: 'big', 'data-testid': 'anomaly-score' }, num(a.anomalyScore)),
      badge(a.isAnomaly ? 'Anomaly' : 'Normal', a.isAnomaly ? 'bad' : 'good'), h('span', { class: 'muted' }, `threshold ${num(a.threshold)}${a.direction ? ` · ${a.direction}` : ''}`)),
    h('h3', {}, 'Attribution'),
    attribution.length === 0 ? h('p', { class: 'muted' }, 'No attribution (no evidence).')
      : h('div', { class: 'meters', role: 'list', 'aria-label': 'Attribution by component' },
        ...attribution.map(([k, v]) => h('div', { role: 'listitem' }, meter(label(k), v, 100, percent(v))))),
  );
}

interface Component { available?: boolean; score?: number; weight?: number }

export function showHealth(card: Card, r: HealthResult): void {
  const tone = r.healthScore >= 70 ? 'good' : r.healthScore >= 40 ? 'warn' : 'bad';
  card.show(
    h('p', { class: 'score-line' }, h('span', { class: 'big', 'data-testid': 'health-score' }, num(r.healthScore)), h('span', { class: 'muted' }, '/ 100'), badge(tone === 'good' ? 'Healthy' : tone === 'warn' ? 'Watch' : 'At risk', tone)),
    h('h3', {}, 'Breakdown'),
    h('div', { class: 'meters', role: 'list', 'aria-label': 'Health breakdown' }, ...Object.entries(r.breakdown).map(([k, raw]) => {
      const c = raw as Component;
      const ok = c.available !== false && typeof c.score === 'number';
      return h('div', { role: 'listitem' }, meter(`${label(k)}${c.weight !== undefined ? ` (weight ${num(c.weight)})` : ''}`, ok ? c.score! : 0, 100, ok ? num(c.score) : 'n/a'));
    })),
  );
}

export function showFingerprint(card: Card, f: Fingerprint): void {
  card.show(
    h('p', { class: 'score-line' }, h('span', { class: 'big', 'data-testid': 'fingerprint-class' }, label(f.classification)),
      f.suspicious ? badge('Suspicious', 'bad') : badge('Not suspicious', 'good'), f.sufficient ? null : badge('Insufficient data', 'warn')),
    f.cluster ? h('p', { class: 'muted' }, `Cluster ${f.cluster.id} of ${f.cluster.size} sellers`) : null,
    f.reasons.length ? h('ul', { class: 'plain' }, ...f.reasons.map((r) => h('li', {}, r.message))) : null,
  );
}
