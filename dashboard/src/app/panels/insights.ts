/** The seller's insights, newest first: state badge, summary, recommendation and the transition history. */
import type { Insight } from '../../shared/api-types.js';
import { h } from '../../shared/dom.js';
import { dateTime, label, percent } from '../../shared/format.js';
import { badge, type Card } from './card.js';

const kStateTone: Record<string, string> = { generated: 'info', confirmed: 'good', expired: 'neutral', superseded: 'neutral' };

export function showInsights(card: Card, insights: Insight[]): void {
  if (insights.length === 0) return card.show(h('p', { class: 'muted' }, 'No insights for this seller yet.'));
  card.show(h('ul', { class: 'insights' }, ...insights.map((i) => h('li', { class: 'insight', 'data-insight-id': i.id },
    h('div', { class: 'row' }, badge(label(i.state), kStateTone[i.state] ?? 'info', `state ${i.state}`), h('strong', {}, label(i.kind)),
      h('span', { class: 'muted' }, `${i.eventType} · probability ${percent(100 * i.probability)}`)),
    h('p', {}, i.summary),
    i.recommendation ? h('p', { class: 'muted' }, i.recommendation) : null,
    h('details', {}, h('summary', {}, `Transitions (${i.transitions.length})`),
      h('ol', { class: 'transitions' }, ...i.transitions.map((t) => h('li', {},
        h('time', { datetime: new Date(t.at).toISOString() }, dateTime(t.at)), ` ${t.from ?? 'new'} → ${t.to}`, h('span', { class: 'muted' }, ` (${t.cause})`)))))))));
}
