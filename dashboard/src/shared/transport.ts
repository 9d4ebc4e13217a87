/**
 * How the dashboard and the widgets reach the API. `Transport` is what widgets need (GETs and the
 * live feed); HttpTransport speaks to the API directly (dashboard, iframe widgets — same origin),
 * the SDK's BridgeTransport goes through an iframe on the API's origin (sdk/bridge-transport.ts).
 */
import type { FeedMessage } from './api-types.js';
import { FeedSocket, type FeedState } from './feed.js';

export interface Problem { type?: string; title?: string; status?: number; detail?: string; errors?: { path: string; message: string }[] }

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;

  constructor(status: number, problem: Problem | null) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export interface Transport {
  get<T>(path: string): Promise<T>;
  /** Listens to the tenant's live feed; returns the unsubscribe function. */
  feed(listener: (m: FeedMessage) => void): () => void;
}

async function problemOf(res: Response): Promise<Problem | null> {
  try {
    return (await res.json()) as Problem;
  } catch {
    return null;
  }
}

export class HttpTransport implements Transport {
  readonly base: string;
  readonly #key: string;
  #socket: FeedSocket | null = null;
  onFeedState: ((s: FeedState) => void) | null = null;

  /** `base`: '' for the page's own origin. */
  constructor(base: string, key: string) {
    this.base = base;
    this.#key = key;
  }

  async get<T>(path: string): Promise<T> {
    const res = await fetch(this.base + path, { headers: { authorization: `Bearer ${this.#key}` } });
    if (!res.ok) throw new ApiError(res.status, await problemOf(res));
    return (await res.json()) as T;
  }

  /** A POST answered with JSON or a file (exports); a problem answer throws ApiError. */
  async post(path: string, body: unknown): Promise<Response> {
    const res = await fetch(this.base + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.#key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new ApiError(res.status, await problemOf(res));
    return res;
  }

  feed(listener: (m: FeedMessage) => void): () => void {
    if (this.#socket === null) {
      const origin = this.base === '' ? location.origin : this.base;
      this.#socket = new FeedSocket(`${origin.replace(/^http/, 'ws')}/feed?access_token=${encodeURIComponent(this.#key)}`, (s) => this.onFeedState?.(s));
    }
    return this.#socket.listen(listener);
  }

  close(): void {
    this.#socket?.close();
    this.#socket = null;
  }
}
