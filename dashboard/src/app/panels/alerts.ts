/**
 * The seller's alerts: history from GET /alerts, and new ones pushed over the live feed (WebSocket
 * /feed) as AnomalyAlert cards, without reload. The feed's state is shown beside the title.
 */
import type { Alert, FeedMessage } from '../../shared/api-types.js';
import { h } from '../../shared/dom.js';
import type { FeedState } from '../../shared/feed.js';
import { anomalyAlert } from '../../widgets/anomaly-alert.js';
import { Card } from './card.js';

/** Cards kept on screen. */
const kMaxAlerts = 50;
const kFeedText: Record<FeedState, string> = { connecting: 'Connecting…', open: 'Live', closed: 'Offline — reconnecting' };

export class AlertsPanel {
  readonly card: Card;
  readonly #status = h('span', { class: 'feed-status', 'data-state': 'connecting', role: 'status' }, kFeedText.connecting);
  readonly #list = h('div', { class: 'alerts', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Alerts', 'data-testid': 'alerts' });
  readonly #empty = h('p', { class: 'muted' }, 'No alerts for this seller.');
  #seller = '';

  /** `onAlert`: a live alert of the chosen seller (the chart marks it). */
  constructor(readonly onAlert: (a: Alert) => void) {
    this.card = new Card('alerts', 'Alerts', this.#status);
    this.card.show(this.#list, this.#empty);
  }

  feedState(s: FeedState): void {
    this.#status.dataset.state = s;
    this.#status.textContent = kFeedText[s];
  }

  history(seller: string, alerts: Alert[]): void {
    this.#seller = seller;
    this.#list.replaceChildren(...alerts.map((a) => anomalyAlert(a)));
    this.card.show(this.#list, this.#empty);
    this.#empty.hidden = alerts.length > 0;
  }

  /** A feed message: alert.created / acknowledged / resolved replace the card of that alert. */
  feed(m: FeedMessage): void {
    if (!m.event.startsWith('alert.')) return;
    const a = m.data as unknown as Alert;
    if (a.sellerId !== this.#seller) return;
    this.#list.querySelector(`[data-alert-id="${CSS.escape(a.id)}"]`)?.remove();
    this.#list.prepend(anomalyAlert(a, true));
    while (this.#list.children.length > kMaxAlerts) this.#list.lastElementChild?.remove();
    this.#empty.hidden = true;
    if (m.event === 'alert.created') this.onAlert(a);
  }
}
