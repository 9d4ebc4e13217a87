/**
 * Writing responses. Every write happens inside res.cork (STYLE §12); status lines and constant
 * bodies are prebuilt once.
 */
import type { HttpResponse } from '../uws.js';
import { errorCatalogue, type Problem } from '../errors.js';
import type { BatchWriter, ResponseBatch } from './response-batch.js';

/** Status recorded for a request whose client went away before the answer (nginx's convention). */
export const kClientClosed = 499;

const kStatusText: Record<number, string> = {
  200: '200 OK', 201: '201 Created', 202: '202 Accepted', 204: '204 No Content', 400: '400 Bad Request',
  401: '401 Unauthorized', 403: '403 Forbidden', 404: '404 Not Found', 408: '408 Request Timeout', 431: '431 Request Header Fields Too Large',
  405: '405 Method Not Allowed', 409: '409 Conflict', 413: '413 Payload Too Large', 415: '415 Unsupported Media Type',
  429: '429 Too Many Requests', 500: '500 Internal Server Error', 502: '502 Bad Gateway', 503: '503 Service Unavailable',
};

/** Every status the catalogue uses must have a status line. */
for (const { status } of Object.values(errorCatalogue)) {
  if (kStatusText[status] === undefined) throw new Error(`no status line for ${status}`);
}

export function statusLine(status: number): string {
  return kStatusText[status] ?? `${status} Status`;
}

/**
 * One request's state, kept across awaits: whether it was answered or the client went away (then
 * nothing more may be written), who is asking (api/http/router.ts fills it) and what every response
 * carries — X-Request-ID and, on rate-limited routes, the X-RateLimit-* headers.
 */
export class ResponseState {
  /** Answered (possibly still held by the batch), or the client went away: nothing more may be sent. */
  done = false;
  /** The client went away (uWS onAborted): nothing may be written to the response. */
  aborted = false;
  status = 0;
  /** Where answers are held until the end of the poll phase (null: written at once). */
  batch: ResponseBatch<ResponseState> | null = null;
  /** X-Request-ID: the caller's, or one made up (router.ts). */
  traceId = '';
  /** Tenant of the caller ('' before authentication). */
  tenantId = '';
  /** uWS route pattern, for the access log and latency metrics. */
  route = '';
  startedAt = 0;
  /** X-RateLimit-* values; limit 0 means the route is not rate limited. */
  rateLimit = 0;
  rateRemaining = 0;
  rateReset = 0;
  /** Called once, when the response is written (access log, metrics). */
  onFinish: ((state: ResponseState) => void) | null = null;
}

/** "\r\nx-ratelimit-limit: N\r\nx-ratelimit-remaining: " per limit N (a handful of tier values). */
const limitLines = new Map<number, string>();

function limitLine(limit: number): string {
  let line = limitLines.get(limit);
  if (line === undefined) {
    line = `\r\nx-ratelimit-limit: ${limit}\r\nx-ratelimit-remaining: `;
    limitLines.set(limit, line);
  }
  return line;
}

/**
 * Writes the status line, the content type and the headers every response carries; call inside
 * cork. The headers go in one writeHeader call: each call crosses into uWS (the profile of
 * single-event ingest showed four of them costing as much as the status line and body together),
 * and uWS writes a value verbatim after "name: ", so the further lines are "\r\n"-joined into the
 * content type. Safe because every part is ours: the content types are constants, the trace id
 * matched [A-Za-z0-9._:-] (router.ts) and the rest are integers.
 */
export function writeHead(res: HttpResponse, state: ResponseState, status: number, contentType: string): void {
  res.writeStatus(statusLine(status));
  if (state.rateLimit > 0) {
    res.writeHeader('content-type', `${contentType}\r\nx-request-id: ${state.traceId}${limitLine(state.rateLimit)}${state.rateRemaining}\r\nx-ratelimit-reset: ${state.rateReset}`);
  } else if (state.traceId !== '') {
    res.writeHeader('content-type', `${contentType}\r\nx-request-id: ${state.traceId}`);
  } else {
    res.writeHeader('content-type', contentType);
  }
}

/** Marks the request answered with `status` (once). */
export function finish(state: ResponseState, status: number): void {
  state.done = true;
  state.status = status;
  const f = state.onFinish;
  if (f !== null) {
    state.onFinish = null;
    f(state);
  }
}

/** Writes an answer now and records it. */
function writeAnswer(res: HttpResponse, state: ResponseState, status: number, contentType: string, payload: string | Uint8Array, headers: Record<string, string> | undefined, close: boolean): void {
  res.cork(() => {
    writeHead(res, state, status, contentType);
    if (headers) for (const k in headers) res.writeHeader(k, headers[k]);
    res.end(payload, close);
  });
  finish(state, status);
}

/** How a ResponseBatch writes; `failed` is told of an answer whose write threw. */
export function batchWriter(failed: (err: unknown, state: ResponseState) => void): BatchWriter<ResponseState> {
  return {
    write: writeAnswer,
    skip: (state) => finish(state, kClientClosed),
    failed: (err, state) => {
      finish(state, state.status);
      failed(err, state);
    },
  };
}

/** Answers once: held by the state's batch until the end of the poll phase, or written now. */
function answer(res: HttpResponse, state: ResponseState, status: number, contentType: string, payload: string | Uint8Array, headers: Record<string, string> | undefined, close: boolean): void {
  const batch = state.batch;
  if (batch === null) {
    writeAnswer(res, state, status, contentType, payload, headers, close);
    return;
  }
  state.done = true;
  state.status = status;
  batch.add(res, state, status, contentType, payload, headers, close);
}

export function sendJson(res: HttpResponse, state: ResponseState, status: number, body: unknown, headers?: Record<string, string>): void {
  if (state.done) return;
  answer(res, state, status, 'application/json', JSON.stringify(body), headers, false);
}

/** Sends a prebuilt body. */
export function sendText(res: HttpResponse, state: ResponseState, status: number, contentType: string, payload: string | Uint8Array, headers?: Record<string, string>): void {
  if (state.done) return;
  answer(res, state, status, contentType, payload, headers, false);
}

export function sendBytes(res: HttpResponse, state: ResponseState, status: number, contentType: string, body: Uint8Array | string): void {
  sendText(res, state, status, contentType, body);
}

/** Sends an RFC 7807 problem; `close` asks uWS to close the connection (used when a body is left unread). */
export function sendProblem(res: HttpResponse, state: ResponseState, p: Problem, headers?: Record<string, string>, close = false): void {
  if (state.done) return;
  answer(res, state, p.status, 'application/problem+json', JSON.stringify(p), headers, close);
}
