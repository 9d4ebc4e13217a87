/**
 * GET /openapi.json (issue 5): a valid OpenAPI 3.1 document generated from the route declarations
 * and their zod schemas, covering every endpoint the server registers.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startTestServer, getJson, type TestServer } from '../helpers/server.js';

/** The endpoints DESIGN §4 and §8 and issue 5 name, so a route dropped from the table is noticed. */
const kExpected = [
  'post /events', 'post /events/batch', 'get /stream',
  'get /metrics/{seller}/series', 'get /metrics/{seller}/anomalies', 'get /metrics/{seller}/predictions', 'get /metrics/{seller}/health',
  'post /sell/anomaly', 'post /sell/prediction',
  'get /config', 'get /config/versions', 'get /config/version/{id}', 'get /config/audit', 'post /config', 'post /config/rollback/{id}',
  'post /tenants', 'get /tenants', 'get /tenants/{id}', 'patch /tenants/{id}', 'post /tenants/{id}/keys', 'get /tenants/{id}/keys', 'delete /keys/{id}',
  'get /status/limits', 'get /healthz', 'get /metrics', 'get /openapi.json', 'post /admin/retention/run',
  'get /insights/{seller}/lifecycle', 'post /insights/{id}/feedback',
  'get /alerts', 'post /alerts/{id}/ack', 'post /alerts/{id}/resolve', 'post /alerts/{id}/replay', 'post /alerts/ack', 'post /alerts/resolve', 'get /feed',
  'post /webhooks', 'get /webhooks', 'delete /webhooks/{id}', 'get /webhooks/{id}/deliveries', 'get /pricing/{seller}/tier',
  'get /metrics/{seller}/rollups', 'get /metrics/{seller}/fingerprint', 'get /reports/{seller}/weekly', 'post /export/pdf', 'post /export/email',
  'get /metrics/{seller}/buckets', 'get /embed/config',
];

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const res = await getJson(server.base, '/openapi.json');
    expect(res.status).toBe(200);
    const result = await new Validator().validate(res.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(res.body.openapi).toBe('3.1.0');
  });

  it('covers every registered route and every named endpoint', async () => {
    const doc = (await getJson(server.base, '/openapi.json')).body;
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops)) documented.add(`${method} ${path}`);
    }
    const registered = server.handle.router.routes.map((r) => `${r.method === 'del' ? 'delete' : r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    expect(registered.length).toBe(new Set(registered).size);
    for (const r of registered) expect(documented.has(r), r).toBe(true);
    for (const e of kExpected) expect(documented.has(e), e).toBe(true);
  });

  it('describes request bodies, queries and parameters from the validating schemas', async () => {
    const doc = (await getJson(server.base, '/openapi.json')).body;
    const event = doc.paths['/events'].post.requestBody.content['application/json'].schema;
    expect(event.required).toEqual(expect.arrayContaining(['sellerId', 'timestamp', 'type']));
    expect(event.properties.type.enum).toEqual(server.config.events.types.map((t) => t.name));
    expect(Object.keys(doc.paths['/events'].post.requestBody.content)).toEqual(['application/json', 'application/msgpack']);
    const keys = doc.paths['/tenants/{id}/keys'].post;
    expect(keys.requestBody.content['application/json'].schema.properties.scopes.items.enum).toEqual(['ingest', 'read', 'admin', 'embed']);
    expect(keys.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    const series = doc.paths['/metrics/{seller}/series'].get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`);
    expect(series).toEqual(['path:seller', 'query:type', 'query:resolution']);
    expect(doc.paths['/healthz'].get.security).toEqual([]);
    expect(doc.paths['/events'].post.responses['429'].content['application/problem+json'].schema.$ref).toBe('#/components/schemas/Problem');
    expect(doc.components.schemas.Problem.required).toContain('errors');
    // no clock-dependent bound baked into the document
    expect(event.properties.timestamp.anyOf[0].maximum ?? Infinity).toBeGreaterThan(Date.now() * 1000);
  });

  it('needs a key', async () => {
    expect((await getJson(server.base, '/openapi.json', '')).status).toBe(401);
  });
});
