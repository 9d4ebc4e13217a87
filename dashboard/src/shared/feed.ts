/**
 * The tenant's live feed (WebSocket /feed, JSON {event, data}) with reconnection: the socket opens
 * with the first listener and reconnects with a growing delay after a drop.
 */
import type { FeedMessage } from './api-types.js';

export type FeedState = 'connecting' | 'open' | 'closed';

/** Reconnect delays, one per attempt in a row (the last repeats). */
const kReconnectDelaysMs = [500, 1000, 2000, 5000];

export class FeedSocket {
  readonly #url: string;
  readonly #listeners = new Set<(m: FeedMessage) => void>();
  readonly #onState: (s: FeedState) => void;
  #ws: WebSocket | null = null;
  #attempt = 0;
  #closed = false;
  #timer = 0;

  constructor(url: string, onState: (s: FeedState) => void = () => {}) {
    this.#url = url;
    this.#onState = onState;
  }

  listen(listener: (m: FeedMessage) => void): () => void {
    this.#listeners.add(listener);
    if (this.#ws === null && !this.#closed) this.#open();
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#ws?.close();
  }

  #open(): void {
    this.#onState('connecting');
    const ws = new WebSocket(this.#url);
    this.#ws = ws;
    ws.onopen = () => {
      this.#attempt = 0;
      this.#onState('open');
    };
    ws.onmessage = (e) => {
      let m: FeedMessage;
      try {
        m = JSON.parse(String(e.data)) as FeedMessage;
      } catch {
        return;
      }
      for (const l of this.#listeners) l(m);
    };
    ws.onclose = () => {
      this.#ws = null;
      this.#onState('closed');
      if (this.#closed) return;
      const delay = kReconnectDelaysMs[Math.min(this.#attempt++, kReconnectDelaysMs.length - 1)];
      this.#timer = window.setTimeout(() => this.#open(), delay);
    };
  }
}
