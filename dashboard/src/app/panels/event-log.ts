/**
 * Event log: the seller's non-empty aggregated buckets, newest first (GET /metrics/:seller/buckets),
 * a page at a time — "Load more" or scrolling to the end of the list (infinite scroll) fetches the
 * next page by cursor.
 */
import type { BucketPage } from '../../shared/api-types.js';
import { h } from '../../shared/dom.js';
import { dateTime, num } from '../../shared/format.js';
import type { HttpTransport } from '../../shared/transport.js';
import { Card, problemView } from './card.js';

/** Buckets per page. */
export const kEventPage = 25;

export class EventLog {
  readonly card = new Card('event-log', 'Event log', null, true);
  readonly #rows = h('tbody');
  readonly #status = h('p', { class: 'muted', role: 'status', 'data-testid': 'event-log-status' });
  readonly #more = h('button', { type: 'button', class: 'btn', 'data-testid': 'event-log-more' }, 'Load more');
  readonly #sentinel = h('div', { class: 'sentinel', 'aria-hidden': 'true' });
  readonly #scroller: HTMLElement;
  readonly #problem = h('div');
  #path = '';
  #cursor: string | null = null;
  #pages = 0;
  #loading: Promise<void> | null = null;

  constructor(readonly api: HttpTransport) {
    this.#scroller = h('div', { class: 'scroller', tabindex: 0, 'aria-label': 'Event log, newest first', 'data-testid': 'event-log-scroller' },
      h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Bucket start'), h('th', { scope: 'col' }, 'End'), h('th', { scope: 'col', class: 'num' }, 'Count'), h('th', { scope: 'col', class: 'num' }, 'Sum'))),
        this.#rows),
      this.#sentinel);
    this.#more.addEventListener('click', () => void this.next());
    new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void this.next();
    }, { root: this.#scroller }).observe(this.#sentinel);
    this.card.show(this.#scroller, h('div', { class: 'row' }, this.#more, this.#status), this.#problem);
  }

  /** Starts over for a seller, type and resolution. */
  open(seller: string, type: string, resolution: string): void {
    this.#path = `/metrics/${encodeURIComponent(seller)}/buckets?type=${encodeURIComponent(type)}&resolution=${encodeURIComponent(resolution)}&limit=${kEventPage}`;
    this.#cursor = null;
    this.#pages = 0;
    this.#rows.replaceChildren();
    this.#problem.replaceChildren();
    this.#more.hidden = true;
    this.#loading = null;
    void this.next(true);
  }

  /** Loads the next page (once at a time). */
  next(first = false): Promise<void> {
    if (this.#loading !== null) return this.#loading;
    if (!first && this.#cursor === null) return Promise.resolve();
    const path = this.#path + (this.#cursor === null ? '' : `&cursor=${this.#cursor}`);
    this.card.busy();
    this.#loading = this.api.get<BucketPage>(path).then((p) => {
      if (path.split('&cursor')[0] !== this.#path) return;
      this.#rows.append(...p.buckets.map((b) => h('tr', { 'data-start': b.start },
        h('td', {}, dateTime(b.start)), h('td', {}, dateTime(b.end)), h('td', { class: 'num' }, num(b.count)), h('td', { class: 'num' }, num(b.sum)))));
      this.#pages++;
      this.#cursor = p.nextCursor;
      this.#more.hidden = p.nextCursor === null;
      this.#status.textContent = `${this.#rows.children.length} of ${p.nonEmpty} non-empty buckets · ${this.#pages} page${this.#pages === 1 ? '' : 's'}${p.nextCursor === null ? ' · end of the window' : ''}`;
    }, (err: unknown) => {
      this.#problem.replaceChildren(problemView(err));
    }).finally(() => {
      this.#loading = null;
      this.card.body.setAttribute('aria-busy', 'false');
    });
    return this.#loading;
  }
}
