/**
 * Writing responses. Every write happens inside res.cork (STYLE §12); status lines and constant
 * bodies are prebuilt once.
 */
import type { HttpResponse } from '../uws.js';
import { errorCatalogue, type Problem } from '../errors.js';

const kStatusText: Record<number, string> = {
  200: '200 OK', 201: '201 Created', 202: '202 Accepted', 400: '400 Bad Request', 404: '404 Not Found',
  405: '405 Method Not Allowed', 409: '409 Conflict', 413: '413 Payload Too Large', 415: '415 Unsupported Media Type',
  429: '429 Too Many Requests', 500: '500 Internal Server Error', 503: '503 Service Unavailable',
};

/** Every status the catalogue uses must have a status line. */
for (const { status } of Object.values(errorCatalogue)) {
  if (kStatusText[status] === undefined) throw new Error(`no status line for ${status}`);
}

export function statusLine(status: number): string {
  return kStatusText[status] ?? `${status} Status`;
}

/** Per-response state a handler keeps across awaits: whether it was answered or the client went away (then nothing more may be written). */
export class ResponseState {
  done = false;
}

export function sendJson(res: HttpResponse, state: ResponseState, status: number, body: unknown, headers?: Record<string, string>): void {
  if (state.done) return;
  const payload = JSON.stringify(body);
  res.cork(() => {
    res.writeStatus(statusLine(status)).writeHeader('content-type', 'application/json');
    if (headers) for (const k in headers) res.writeHeader(k, headers[k]);
    res.end(payload);
  });
}

export function sendBytes(res: HttpResponse, state: ResponseState, status: string, contentType: string, body: Uint8Array | string): void {
  if (state.done) return;
  res.cork(() => {
    res.writeStatus(status).writeHeader('content-type', contentType).end(body);
  });
}

/** Sends an RFC 7807 problem; `close` asks uWS to close the connection (used when a body is left unread). */
export function sendProblem(res: HttpResponse, state: ResponseState, p: Problem, headers?: Record<string, string>, close = false): void {
  if (state.done) return;
  const payload = JSON.stringify(p);
  state.done = true;
  res.cork(() => {
    res.writeStatus(statusLine(p.status)).writeHeader('content-type', 'application/problem+json');
    if (headers) for (const k in headers) res.writeHeader(k, headers[k]);
    res.end(payload, close);
  });
}
