/** A dashboard panel: titled section whose body is replaced as data arrives, or says what went wrong. */
import { fill, h, type Child } from '../../shared/dom.js';
import { ApiError } from '../../shared/transport.js';

export class Card {
  readonly el: HTMLElement;
  readonly body: HTMLElement;

  constructor(id: string, title: string, extra: Child = null, wide = false) {
    this.body = h('div', { class: 'card-body', 'aria-busy': 'false' });
    this.el = h('section', { class: `card${wide ? ' wide' : ''}`, id, 'aria-labelledby': `${id}-title` },
      h('header', { class: 'card-head' }, h('h2', { id: `${id}-title` }, title), extra), this.body);
  }

  busy(): void {
    this.body.setAttribute('aria-busy', 'true');
  }

  show(...children: Child[]): void {
    this.body.setAttribute('aria-busy', 'false');
    fill(this.body, ...children);
  }

  /** The problem's title and detail, or "n/a" for a 404 when `naOn404`. */
  fail(err: unknown, naOn404 = false): void {
    if (naOn404 && err instanceof ApiError && err.status === 404) return this.show(h('p', { class: 'big muted' }, 'n/a'));
    this.show(problemView(err));
  }
}

export function problemView(err: unknown): HTMLElement {
  if (!(err instanceof ApiError)) return h('p', { class: 'error', role: 'alert' }, 'The server cannot be reached.');
  const p = err.problem;
  return h('div', { class: 'error', role: 'alert' },
    h('strong', {}, `${p?.title ?? 'Error'} (${err.status})`), h('span', {}, ` ${p?.detail ?? ''}`),
    p?.errors?.length ? h('ul', {}, ...p.errors.map((e) => h('li', {}, `${e.path}: ${e.message}`))) : null);
}

export function badge(text: string, tone: string, label?: string): HTMLElement {
  return h('span', { class: `badge tone-${tone}`, 'aria-label': label ?? null }, text);
}

/** A labelled bar (role meter). */
export function meter(name: string, value: number, max: number, text: string): HTMLElement {
  const pct = max > 0 ? Math.max(0, Math.min(100, (100 * value) / max)) : 0;
  return h('div', { class: 'meter-row' },
    h('span', { class: 'meter-name' }, name),
    h('span', { class: 'meter', role: 'meter', 'aria-label': name, 'aria-valuemin': 0, 'aria-valuemax': max, 'aria-valuenow': value, 'aria-valuetext': text },
      h('span', { class: 'meter-fill', style: `width:${pct}%` })),
    h('span', { class: 'meter-value' }, text));
}
