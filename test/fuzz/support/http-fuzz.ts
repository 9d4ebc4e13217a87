/**
 * Turns route declarations into hostile requests (./hostile.ts), sends them over a keep-alive
 * node:http agent with many in flight, and judges each answer: never a 5xx, never silence, and every
 * 4xx an RFC 7807 problem document.
 */
import http from 'node:http';
import fc from 'fast-check';
import type { RouteDoc } from '../../../dist/api/http/router.js';
import { authFor, bodyFor, contentTypeFor, queryFor, segment, templates, type Body, type FuzzContext } from './hostile.js';

export interface FuzzRequest {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Uint8Array | string | undefined;
  /** Declared larger than the body limit: the server may answer 413 and reset while we write. */
  oversize: boolean;
}

export interface Outcome {
  status: number;
  contentType: string | undefined;
  text: string;
  error: string | undefined;
}

/** A body and the content type sent with it. */
interface Typed {
  b: Body | undefined;
  ct: string | undefined;
}

const kMethods: Record<RouteDoc['method'], string> = { get: 'GET', post: 'POST', patch: 'PATCH', del: 'DELETE' };
const kBodyAbsentFreq = 10;
const kRequestTimeoutMs = 30_000;
const kQuoteChars = 200;

/** The key a well-meaning caller of `route` would send: the operator's for operator routes, else the fuzz tenant's. */
function rightKey(ctx: FuzzContext, route: RouteDoc): string {
  const a = route.access;
  if (a.kind === 'public') return '';
  if (a.kind === 'key') return ctx.own.read;
  if (a.operator === true) return ctx.operatorKey;
  return ctx.own[a.scopes[0] as keyof FuzzContext['own']];
}

function paramNames(route: RouteDoc): string[] {
  return route.query ? Object.keys(route.query.shape) : [];
}

export function requestArbitrary(ctx: FuzzContext, route: RouteDoc): fc.Arbitrary<FuzzRequest> {
  const own = kMethods[route.method];
  const hasBody = route.method === 'post' || route.method === 'patch';
  const template = templates(ctx)[`${route.method} ${route.path}`];
  const body: fc.Arbitrary<Body | undefined> = hasBody ? bodyFor(ctx, template) : fc.option(bodyFor(ctx, undefined), { nil: undefined, freq: kBodyAbsentFreq });
  const nParams = (route.path.match(/:[A-Za-z0-9_]+/g) ?? []).length;
  return fc.record({
    method: fc.oneof({ weight: 19, arbitrary: fc.constant(own) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') }),
    params: fc.array(segment, { minLength: nParams, maxLength: nParams }),
    query: queryFor(paramNames(route)),
    auth: authFor(ctx, rightKey(ctx, route)),
    typed: body.chain((b): fc.Arbitrary<Typed> => (b === undefined ? fc.constant({ b, ct: undefined }) : contentTypeFor(b.media).map((ct) => ({ b, ct })))),
    requestId: fc.option(fc.oneof(fc.stringMatching(/^[\x21-\x7e]{0,40}$/), fc.constant('x'.repeat(600))), { nil: undefined }),
  }).map(({ method, params, query, auth, typed, requestId }) => {
    let i = 0;
    let path = route.path.replace(/:[A-Za-z0-9_]+/g, () => params[i++]) + query;
    if (auth.accessToken !== undefined) path += `${query === '' ? '?' : '&'}access_token=${encodeURIComponent(auth.accessToken)}`;
    const headers: Record<string, string> = {};
    if (auth.authorization !== undefined) headers.authorization = auth.authorization;
    if (typed.ct !== undefined) headers['content-type'] = typed.ct;
    if (requestId !== undefined) headers['x-request-id'] = requestId;
    const b = typed.b;
    const oversize = b !== undefined && b.oversize > 0;
    return { label: `${own} ${route.path}`, method, path, headers, body: oversize ? new Uint8Array(b.oversize) : b?.bytes, oversize };
  });
}

/** `perRoute` requests for every route, interleaved route by route in chunks (bounded memory). */
export function* hostileRequests(ctx: FuzzContext, routes: readonly RouteDoc[], perRoute: number, chunk: number, seed: number): Generator<FuzzRequest> {
  const arbs = routes.map((r) => requestArbitrary(ctx, r));
  for (let done = 0, c = 0; done < perRoute; done += chunk, c++) {
    const n = Math.min(chunk, perRoute - done);
    const batches = arbs.map((a, r) => fc.sample(a, { seed: seed + r * 7919 + c, numRuns: n }));
    for (let k = 0; k < n; k++) for (const b of batches) yield b[k];
  }
}

export function send(agent: http.Agent, port: number, r: FuzzRequest): Promise<Outcome> {
  return new Promise((resolve) => {
    const headers = { ...r.headers, 'content-length': String(r.body === undefined ? 0 : Buffer.byteLength(r.body)) };
    const req = http.request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], text: Buffer.concat(chunks).toString(), error: undefined }));
      res.on('error', (err: NodeJS.ErrnoException) => resolve({ status: res.statusCode ?? 0, contentType: undefined, text: '', error: err.code ?? err.message }));
    });
    req.setTimeout(kRequestTimeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, contentType: undefined, text: '', error: err.code ?? err.message }));
    req.end(r.body);
  });
}

/** Why an answer is wrong, or null. */
export function violation(r: FuzzRequest, o: Outcome): string | null {
  if (o.error !== undefined) return r.oversize && /ECONNRESET|EPIPE/.test(o.error) ? null : `no answer: ${o.error}`;
  if (o.status >= 500) return `${o.status} ${o.text.slice(0, kQuoteChars)}`;
  if (o.status < 400) return null;
  if (o.contentType !== 'application/problem+json') return `${o.status} with content-type ${o.contentType}`;
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(o.text) as Record<string, unknown>;
  } catch {
    return `${o.status} problem is not JSON: ${o.text.slice(0, kQuoteChars)}`;
  }
  const ok = typeof p.type === 'string' && typeof p.title === 'string' && p.status === o.status && typeof p.detail === 'string' && Array.isArray(p.errors);
  return ok ? null : `${o.status} malformed problem: ${o.text.slice(0, kQuoteChars)}`;
}

/** Events an answer says were taken (202s of the ingest routes), else 0. */
export function acceptedIn(o: Outcome): number {
  if (o.status !== 202) return 0;
  const accepted = (JSON.parse(o.text) as { accepted?: unknown }).accepted;
  return typeof accepted === 'number' ? accepted : 0;
}

/** Runs `work` over `items` with `inFlight` workers. */
export async function pool<T>(items: Iterator<T>, inFlight: number, work: (item: T) => Promise<void>): Promise<void> {
  const worker = async () => {
    for (let next = items.next(); !next.done; next = items.next()) await work(next.value);
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}
