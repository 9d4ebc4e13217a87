/** Rate limits (quota left per bucket) and backpressure (state and queue depth per shard) from GET /status/limits. */
import type { Limits } from '../../shared/api-types.js';
import { h } from '../../shared/dom.js';
import { num } from '../../shared/format.js';
import { badge, type Card, meter } from './card.js';

const kTone: Record<string, string> = { ok: 'good', busy: 'warn', full: 'bad' };

export function showLimits(card: Card, l: Limits): void {
  const buckets = (['ingest', 'query', 'embed'] as const).filter((k) => l.rateLimits[k] !== undefined);
  const bp = l.backpressure;
  card.show(
    h('p', { class: 'muted' }, `Tenant ${l.tenantId} · ${l.tier} tier · key ${l.key.prefix}… (${l.key.scopes.join(', ')})`),
    h('h3', {}, 'Rate limits'),
    !l.rateLimits.enabled ? h('p', {}, 'Off') : h('div', { class: 'meters' }, ...buckets.map((k) => {
      const b = l.rateLimits[k]!;
      return meter(`${k} (${num(b.perSecond)} ${b.unit}/s)`, b.remaining, b.limit, `${num(b.remaining)} / ${num(b.limit)} left`);
    })),
    h('h3', {}, 'Backpressure ', badge(bp.state, kTone[bp.state] ?? 'warn')),
    h('table', { class: 'table' },
      h('caption', { class: 'sr-only' }, 'Queue depth per shard'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Shard'), h('th', { scope: 'col' }, 'Queue depth'), h('th', { scope: 'col' }, 'State'))),
      h('tbody', {}, ...bp.shards.map((s) => h('tr', {},
        h('td', {}, String(s.shard)),
        h('td', {}, meter(`Shard ${s.shard} queue`, s.queueDepth, s.capacity, `${num(s.queueDepth)} / ${num(s.capacity)}`)),
        h('td', {}, badge(s.state, kTone[s.state] ?? 'warn')))))),
  );
}
