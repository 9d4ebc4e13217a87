/** Query strings and JSON bodies validated by the zod schemas the routes declare (and OpenAPI shows). */
import type { z } from 'zod';
import type { HttpRequest, HttpResponse } from '../uws.js';
import { problem, type ErrorCode, type Problem, type ProblemFieldError } from '../errors.js';
import { sendProblem, type ResponseState } from './reply.js';

/** Read routes: read or embed keys, query rate limit. */
export const kRead = { kind: 'scope', scopes: ['read', 'embed'], limit: 'query' } as const;
/** Read routes embed keys may not use. */
export const kReadOnly = { kind: 'scope', scopes: ['read'], limit: 'query' } as const;
/** Tenant administration: admin keys (operator-only routes say so themselves). */
export const kAdmin = { kind: 'scope', scopes: ['admin'], limit: 'query' } as const;
export const kOperator = { kind: 'scope', scopes: ['admin'], operator: true, limit: 'query' } as const;

export function zodErrors(err: z.ZodError, prefix = ''): ProblemFieldError[] {
  return err.issues.map((i) => ({ path: prefix + '/' + i.path.map(String).join('/'), message: i.message }));
}

/** The query string as a plain object (empty values dropped), validated; null when answered 400. */
export function readQuery<S extends z.ZodType>(req: HttpRequest, schema: S, res: HttpResponse, state: ResponseState): z.infer<S> | null {
  const raw: Record<string, string> = Object.create(null);
  for (const [k, v] of new URLSearchParams(req.getQuery() ?? '')) if (v !== '' && k !== 'access_token') raw[k] = v;
  const q = schema.safeParse(raw);
  if (q.success) return q.data;
  sendProblem(res, state, problem('invalid_query', 'invalid query parameters', zodErrors(q.error, 'query')));
  return null;
}

/** A decoded body validated; null when answered 400 with `code`. */
export function parseBody<S extends z.ZodType>(value: unknown, schema: S, res: HttpResponse, state: ResponseState, code: ErrorCode, hint: string): z.infer<S> | null {
  const b = schema.safeParse(value);
  if (b.success) return b.data;
  sendProblem(res, state, problem(code, hint, zodErrors(b.error)));
  return null;
}

/** Seller IDs (engine/intake/seller-id.ts) and generated ids are at most this long. */
export const kMaxPathParamLength = 64;

/**
 * Path parameter `index`, percent-decoded. Answers 400 (and returns null) when its encoding is
 * broken, and `notFound()` when it is empty or longer than any ID can be — such a value names
 * nothing, and must never reach a store lookup (LMDB keys are bounded).
 */
export function pathParam(req: HttpRequest, index: number, res: HttpResponse, state: ResponseState, notFound: () => Problem): string | null {
  const raw = req.getParameter(index) ?? '';
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    sendProblem(res, state, problem('invalid_query', 'the path holds a broken percent-encoding', [{ path: `path/${index}`, message: 'not valid percent-encoding' }]));
    return null;
  }
  if (value === '' || value.length > kMaxPathParamLength) {
    sendProblem(res, state, notFound());
    return null;
  }
  return value;
}

export const sellerNotFound = (): Problem => problem('seller_not_found', 'no events have been received for this seller', [{ path: 'path/seller', message: 'unknown seller' }]);
