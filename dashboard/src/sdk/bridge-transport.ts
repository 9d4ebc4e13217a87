/**
 * The SDK's transport: an invisible iframe on the API's origin (/embed/bridge) makes the requests
 * same-origin and answers over postMessage. A host page therefore needs no CORS, and when the API
 * is unreachable the iframe fails silently — no request of the host page fails, the console stays
 * clean — and `ready` rejects after a grace period, so the widgets hide themselves.
 */
import type { FeedMessage } from '../shared/api-types.js';
import { ApiError, type Transport } from '../shared/transport.js';
import type { FromBridge, ToBridge } from './bridge-protocol.js';

/** After the bridge frame has loaded, how long to wait for its "ready" before giving up. */
const kLoadGraceMs = 1500;
/** Longest wait for the bridge in any case. */
const kReadyTimeoutMs = 10_000;

export class BridgeTransport implements Transport {
  readonly ready: Promise<void>;
  readonly #frame: HTMLIFrameElement;
  readonly #origin: string;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly #listeners = new Set<(m: FeedMessage) => void>();
  #next = 0;
  #feedAsked = false;

  constructor(api: string, key: string) {
    this.#origin = new URL(api, location.href).origin;
    const frame = document.createElement('iframe');
    frame.src = `${this.#origin}/embed/bridge?access_token=${encodeURIComponent(key)}`;
    frame.title = 'SellerPulse data bridge';
    frame.setAttribute('aria-hidden', 'true');
    frame.tabIndex = -1;
    frame.style.display = 'none';
    this.#frame = frame;
    this.ready = new Promise<void>((resolve, reject) => {
      const fail = () => reject(new Error('the SellerPulse API is unreachable'));
      const timer = setTimeout(fail, kReadyTimeoutMs);
      frame.addEventListener('load', () => setTimeout(fail, kLoadGraceMs));
      addEventListener('message', (e: MessageEvent) => {
        if (e.source !== frame.contentWindow || e.origin !== this.#origin) return;
        const m = e.data as FromBridge;
        if (m.sp === 'ready') {
          clearTimeout(timer);
          resolve();
        } else if (m.sp === 'res') {
          const p = this.#pending.get(m.id);
          this.#pending.delete(m.id);
          if (m.ok) p?.resolve(m.body);
          else p?.reject(new ApiError(m.status, m.problem));
        } else if (m.sp === 'feed') {
          for (const l of this.#listeners) l(m.m);
        }
      });
    });
    this.ready.catch(() => this.destroy());
    document.body.append(frame);
  }

  async get<T>(path: string): Promise<T> {
    await this.ready;
    const id = ++this.#next;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#send({ sp: 'get', id, path });
    });
  }

  feed(listener: (m: FeedMessage) => void): () => void {
    this.#listeners.add(listener);
    if (!this.#feedAsked) {
      this.#feedAsked = true;
      this.ready.then(() => this.#send({ sp: 'feed' }), () => {});
    }
    return () => this.#listeners.delete(listener);
  }

  destroy(): void {
    this.#frame.remove();
  }

  #send(m: ToBridge): void {
    this.#frame.contentWindow?.postMessage(m, this.#origin);
  }
}
