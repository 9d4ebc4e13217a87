/**
 * Reads a request body with a size limit. Lifetime (uWS): each chunk ArrayBuffer dies when its
 * onData callback returns, so a body that arrives in one chunk is handed over in place — `onBody`
 * must consume it synchronously — and a multi-chunk body is copied into one Buffer.
 */
import type { HttpResponse } from '../uws.js';
import type { ResponseState } from './reply.js';

export function readBody(
  res: HttpResponse,
  state: ResponseState,
  limit: number,
  onBody: (body: Uint8Array) => void,
  onTooLarge: () => void,
): void {
  let parts: Buffer[] | null = null;
  let size = 0;
  res.onData((chunk, isLast) => {
    if (state.done) return;
    size += chunk.byteLength;
    if (size > limit) {
      onTooLarge();
      return;
    }
    if (isLast && parts === null) {
      onBody(new Uint8Array(chunk));
      return;
    }
    (parts ??= []).push(Buffer.from(new Uint8Array(chunk)));
    if (isLast) onBody(Buffer.concat(parts, size));
  });
}

export const enum BodyFormat {
  Json = 1,
  Msgpack = 2,
  Unsupported = 0,
}

/** Media type of a Content-Type header value (parameters such as charset ignored). */
export function bodyFormatOf(contentType: string): BodyFormat {
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
