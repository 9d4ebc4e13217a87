/**
 * GET /openapi.json: the OpenAPI 3.1 document, generated from the route declarations (router.ts)
 * and the zod schemas that validate their requests (z.toJSONSchema, JSON Schema 2020-12 — the
 * dialect OpenAPI 3.1 uses). Built once, at the first request, after every route is registered.
 */
import { z } from 'zod';
import type { RouteDoc, Router } from './router.js';
import { sendText } from './reply.js';
import { problemResponses } from './docs.js';

const kVersion = '0.1.0';

/** Schemas named with .meta({ id }) go to components.schemas, referenced from every use. */
const kComponentRef = '#/components/schemas/';

function jsonSchema(schema: z.ZodType, io: 'input' | 'output', components: Record<string, unknown>): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete out.$schema;
  const defs = out.$defs as Record<string, unknown> | undefined;
  delete out.$defs;
  if (defs !== undefined) Object.assign(components, defs);
  return defs === undefined ? out : JSON.parse(JSON.stringify(out).replaceAll('"#/$defs/', `"${kComponentRef}`)) as Record<string, unknown>;
}

function security(doc: RouteDoc): unknown[] | undefined {
  if (doc.access.kind === 'public') return [];
  return undefined;
}

function accessNote(doc: RouteDoc): string {
  const a = doc.access;
  if (a.kind === 'public') return 'No key needed.';
  if (a.kind === 'key') return 'Any valid key.';
  const who = `Key scope: ${a.scopes.join(' or ')}${a.operator ? ' (operator tenant)' : ''}.`;
  return a.limit === 'none' ? who : `${who} Rate limit: ${a.limit}${a.limit === 'ingest' ? ' (one token per event)' : ' (one token per request)'}.`;
}

export function buildOpenApi(routes: readonly RouteDoc[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const components: Record<string, unknown> = {};
  for (const doc of routes) {
    const path = doc.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const parameters: unknown[] = (doc.params ?? []).map((p) => ({ name: p.name, in: 'path', required: true, description: p.description, schema: { type: 'string' } }));
    if (doc.query) {
      const q = jsonSchema(doc.query, 'input', components) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {})) {
        parameters.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema, ...(schema.description ? { description: schema.description } : {}) });
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(doc.responses)) {
      responses[status] = {
        description: r.description,
        ...(r.schema || r.media ? { content: { [r.media ?? 'application/json']: r.schema ? { schema: jsonSchema(r.schema, 'output', components) } : {} } } : {}),
      };
    }
    const operation: Record<string, unknown> = {
      operationId: `${doc.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
      summary: doc.summary,
      description: accessNote(doc),
      tags: [doc.tag],
      parameters,
      responses,
    };
    if (doc.body) {
      const schema = jsonSchema(doc.body, 'input', components);
      operation.requestBody = { required: true, content: Object.fromEntries((doc.bodyMedia ?? ['application/json']).map((m) => [m, { schema }])) };
    }
    const sec = security(doc);
    if (sec !== undefined) operation.security = sec;
    (paths[path] ??= {})[doc.method === 'del' ? 'delete' : doc.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'SellerPulse', version: kVersion, description: 'Live seller analytics: ingest, anomalies, predictions, health. Errors are RFC 7807 problem+json.' },
    components: { schemas: components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key (sp_…); browsers may pass ?access_token= on GETs and WebSockets' } } },
    security: [{ bearer: [] }],
    paths,
  };
}

export function registerOpenApiRoute(router: Router): void {
  let body: string | null = null;
  router.route({
    method: 'get', path: '/openapi.json', tag: 'operations', access: { kind: 'key' }, summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1 document' }, ...problemResponses(401, 403) },
  }, (res, _req, state) => {
    body ??= JSON.stringify(buildOpenApi(router.routes));
    sendText(res, state, 200, 'application/json', body);
  });
}
