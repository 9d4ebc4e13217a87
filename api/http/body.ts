/**
 * Reads a request body with a size limit and a deadline. Lifetime (uWS): each chunk ArrayBuffer
 * dies when its onData callback returns, so a body that arrives in one chunk is handed over in
 * place — `onBody` must consume it synchronously — and a multi-chunk body is copied into one Buffer.
 * Only multi-chunk bodies are watched for slowness (a single-chunk body is already complete).
 */
import type { HttpResponse } from '../uws.js';
import type { ResponseState } from './reply.js';

/** Bodies still arriving, with their deadlines; a sweep answers the late ones and closes them. */
export class SlowBodyWatch {
  readonly #pending = new Map<ResponseState, { res: HttpResponse; deadline: number }>();
  #timer: NodeJS.Timeout | null = null;

  /** `onLate` answers one late body (408 and close). */
  start(sweepMs: number, onLate: (res: HttpResponse, state: ResponseState) => void): void {
    this.#timer = setInterval(() => {
      const now = performance.now();
      for (const [state, p] of this.#pending) {
        if (state.done) this.#pending.delete(state);
        else if (now > p.deadline) {
          this.#pending.delete(state);
          onLate(p.res, state);
        }
      }
    }, sweepMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  watch(res: HttpResponse, state: ResponseState, timeoutMs: number): void {
    this.#pending.set(state, { res, deadline: performance.now() + timeoutMs });
  }

  unwatch(state: ResponseState): void {
    this.#pending.delete(state);
  }

  get size(): number {
    return this.#pending.size;
  }
}

export function readBody(
  res: HttpResponse,
  state: ResponseState,
  limit: number,
  watch: { bodies: SlowBodyWatch; timeoutMs: number },
  onBody: (body: Uint8Array) => void,
  onTooLarge: () => void,
): void {
  let parts: Buffer[] | null = null;
  let size = 0;
  res.onData((chunk, isLast) => {
    if (state.done) return;
    size += chunk.byteLength;
    if (size > limit) {
      watch.bodies.unwatch(state);
      onTooLarge();
      return;
    }
    if (isLast && parts === null) {
      onBody(new Uint8Array(chunk));
      return;
    }
    if (parts === null) {
      parts = [];
      watch.bodies.watch(res, state, watch.timeoutMs);
    }
    parts.push(Buffer.from(new Uint8Array(chunk)));
    if (isLast) {
      watch.bodies.unwatch(state);
      onBody(Buffer.concat(parts, size));
    }
  });
}

export const enum BodyFormat {
  Json = 1,
  Msgpack = 2,
  Unsupported = 0,
}

/** Media type of a Content-Type header value (parameters such as charset ignored). */
export function bodyFormatOf(contentType: string): BodyFormat {
  // the common spellings first: no slice or lower-casing copy per request
  if (contentType === 'application/json') return BodyFormat.Json;
  if (contentType === 'application/msgpack') return BodyFormat.Msgpack;
  const semi = contentType.indexOf(';');
  const media = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  switch (media) {
    case 'application/json':
      return BodyFormat.Json;
    case 'application/msgpack':
    case 'application/x-msgpack':
    case 'application/vnd.msgpack':
      return BodyFormat.Msgpack;
    default:
      return BodyFormat.Unsupported;
  }
}
