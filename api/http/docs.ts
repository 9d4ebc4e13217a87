/** Shared pieces of route declarations (router.ts) for the OpenAPI document. */
import { z } from 'zod';
import type { ResponseDoc } from './router.js';

export const kBodyMedia = ['application/json', 'application/msgpack'] as const;

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
}).meta({ id: 'Problem', description: 'RFC 7807 problem details; errors name the offending fields' });

const kProblemText: Record<number, string> = {
  400: 'Invalid input (problem+json names the field)',
  401: 'Missing, unknown or revoked key',
  403: 'The key lacks the scope, or its tenant is suspended',
  404: 'Not found (also for another tenant\'s seller or key)',
  408: 'The body did not arrive in time',
  409: 'Conflict',
  413: 'Body, batch or frame too large',
  415: 'Unsupported content type',
  429: 'Rate limited (Retry-After, X-RateLimit-*)',
  502: 'An upstream server (SMTP) refused or did not answer',
  503: 'Queue full, shard unavailable or shutting down (Retry-After)',
};

export function problemResponses(...statuses: number[]): Record<number, ResponseDoc> {
  const out: Record<number, ResponseDoc> = {};
  for (const s of statuses) out[s] = { description: kProblemText[s] ?? 'Problem', schema: problemSchema, media: 'application/problem+json' };
  return out;
}

/** Path parameter declarations. */
export const kSellerParam = [{ name: 'seller', description: 'The seller ID (opaque; scoped to the key\'s tenant)' }] as const;
