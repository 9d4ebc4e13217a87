/**
 * Tenant and key administration (DESIGN §8). The operator tenant's admin keys manage every tenant;
 * another tenant's admin keys see and manage only their own tenant and its keys — anything else is
 * answered 404, exactly as if it did not exist.
 */
import { z } from 'zod';
import { kTierNames } from '../../config/index.js';
import { kScopes } from '../../engine/tenancy/api-key.js';
import { kOperatorTenantId, type Principal, type TenantRegistry } from '../../engine/tenancy/tenant-registry.js';
import type { RateLimiter } from '../../engine/tenancy/rate-limiter.js';
import type { ApiKeyRecord, TenantRecord } from '../../engine/store/schema.js';
import { problem } from '../errors.js';
import { sendJson, sendProblem } from './reply.js';
import { withDecodedBody, type BodyContext } from './decoded-body.js';
import type { Router } from './router.js';
import { kBodyMedia, problemResponses } from './docs.js';
import { kAdmin, kOperator, parseBody, pathParam } from './query.js';

const kNameMax = 200;

export const createTenantSchema = z.object({
  name: z.string().min(1).max(kNameMax),
  tier: z.enum(kTierNames),
}).strict();

export const patchTenantSchema = z.object({
  name: z.string().min(1).max(kNameMax).optional(),
  tier: z.enum(kTierNames).optional(),
  status: z.enum(['active', 'suspended']).optional(),
}).strict().refine((p) => Object.keys(p).length > 0, 'change at least one of name, tier, status');

export const createKeySchema = z.object({
  name: z.string().min(1).max(kNameMax),
  scopes: z.array(z.enum(kScopes)).min(1).max(kScopes.length),
}).strict();

const tenantResponse = z.object({ id: z.string(), name: z.string(), tier: z.enum(kTierNames), status: z.enum(['active', 'suspended']), createdAt: z.number(), updatedAt: z.number() });
const keyResponse = z.object({
  id: z.string(), tenantId: z.string(), name: z.string(), scopes: z.array(z.enum(kScopes)), prefix: z.string(),
  createdAt: z.number(), revokedAt: z.number().nullable(), lastUsedAt: z.number().nullable(),
});
const newKeyResponse = keyResponse.extend({ key: z.string().describe('the key itself: shown this once, stored only as an HMAC') });

/** What a key record shows: never its hash. */
function shown(k: ApiKeyRecord) {
  return { id: k.id, tenantId: k.tenantId, name: k.name, scopes: k.scopes, prefix: k.prefix, createdAt: k.createdAt, revokedAt: k.revokedAt, lastUsedAt: k.lastUsedAt };
}

export interface TenantRouteContext extends BodyContext {
  registry: TenantRegistry;
  limiter: RateLimiter;
}

export function registerTenantRoutes(router: Router, ctx: TenantRouteContext): void {
  const { registry } = ctx;
  const idParam = [{ name: 'id', description: 'tenant id' }] as const;

  /** The tenant if the caller may see it; undefined (→ 404) otherwise. */
  function visible(principal: Principal, id: string): TenantRecord | undefined {
    if (!principal.isOperator && principal.tenant.id !== id) return undefined;
    return registry.tenant(id);
  }
  const noTenant = () => problem('tenant_not_found', 'no such tenant', [{ path: 'path/id', message: 'unknown tenant' }]);
  const noKey = () => problem('key_not_found', 'no such key', [{ path: 'path/id', message: 'unknown key' }]);

  router.route({
    method: 'post', path: '/tenants', tag: 'tenants', access: kOperator, body: createTenantSchema, bodyMedia: kBodyMedia,
    summary: 'Create a tenant (operator only)',
    responses: { 201: { description: 'The tenant', schema: tenantResponse }, ...problemResponses(400, 401, 403, 413, 415, 429) },
  }, (res, req, state) => {
    withDecodedBody(ctx, res, req, state, ctx.config().limits.maxBodyBytes, (value) => {
      const body = parseBody(value, createTenantSchema, res, state, 'invalid_request', 'send {name, tier}');
      if (body === null) return;
      registry.createTenant(body.name, body.tier).then((t) => sendJson(res, state, 201, t),
        (err: Error) => sendProblem(res, state, problem('internal', err.message)));
    });
  });

  router.route({
    method: 'get', path: '/tenants', tag: 'tenants', access: kAdmin,
    summary: 'Tenants the key may see (the operator: all; others: their own)',
    responses: { 200: { description: 'Tenants', schema: z.object({ tenants: z.array(tenantResponse) }) }, ...problemResponses(401, 403, 429) },
  }, (res, _req, state, principal) => {
    const tenants = principal.isOperator ? registry.tenants() : [registry.tenant(principal.tenant.id)].filter((t) => t !== undefined);
    sendJson(res, state, 200, { tenants });
  });

  router.route({
    method: 'get', path: '/tenants/:id', tag: 'tenants', access: kAdmin, params: idParam, summary: 'One tenant',
    responses: { 200: { description: 'The tenant', schema: tenantResponse }, ...problemResponses(401, 403, 404, 429) },
  }, (res, req, state, principal) => {
    const id = pathParam(req, 0, res, state, noTenant);
    if (id === null) return;
    const t = visible(principal, id);
    if (t === undefined) sendProblem(res, state, noTenant());
    else sendJson(res, state, 200, t);
  });

  router.route({
    method: 'patch', path: '/tenants/:id', tag: 'tenants', access: kOperator, params: idParam, body: patchTenantSchema, bodyMedia: kBodyMedia,
    summary: 'Change a tenant\'s name, tier or status (operator only); suspension takes effect on the next request and frame',
    responses: { 200: { description: 'The tenant', schema: tenantResponse }, ...problemResponses(400, 401, 403, 404, 409, 413, 415, 429) },
  }, (res, req, state) => {
    const id = pathParam(req, 0, res, state, noTenant);
    if (id === null) return;
    withDecodedBody(ctx, res, req, state, ctx.config().limits.maxBodyBytes, (value) => {
      const body = parseBody(value, patchTenantSchema, res, state, 'invalid_request', 'send {name?, tier?, status?}');
      if (body === null) return;
      if (id === kOperatorTenantId && body.status === 'suspended') {
        sendProblem(res, state, problem('operator_tenant', 'the operator tenant cannot be suspended (it would lock out every administrator)', [{ path: '/status', message: 'not for the operator tenant' }]));
        return;
      }
      registry.patchTenant(id, body).then((t) => (t === undefined ? sendProblem(res, state, noTenant()) : sendJson(res, state, 200, t)),
        (err: Error) => sendProblem(res, state, problem('internal', err.message)));
    });
  });

  router.route({
    method: 'post', path: '/tenants/:id/keys', tag: 'tenants', access: kAdmin, params: idParam, body: createKeySchema, bodyMedia: kBodyMedia,
    summary: 'Create a key for a tenant; the key is in this response only',
    responses: { 201: { description: 'The key, shown once', schema: newKeyResponse }, ...problemResponses(400, 401, 403, 404, 413, 415, 429) },
  }, (res, req, state, principal) => {
    const id = pathParam(req, 0, res, state, noTenant);
    if (id === null) return;
    withDecodedBody(ctx, res, req, state, ctx.config().limits.maxBodyBytes, (value) => {
      const body = parseBody(value, createKeySchema, res, state, 'invalid_request', 'send {name, scopes}');
      if (body === null) return;
      if (visible(principal, id) === undefined) return sendProblem(res, state, noTenant());
      registry.createKey(id, body.name, body.scopes).then(({ record, key }) => sendJson(res, state, 201, { ...shown(record), key }),
        (err: Error) => sendProblem(res, state, problem('internal', err.message)));
    });
  });

  router.route({
    method: 'get', path: '/tenants/:id/keys', tag: 'tenants', access: kAdmin, params: idParam, summary: 'A tenant\'s keys (prefixes only)',
    responses: { 200: { description: 'Keys', schema: z.object({ keys: z.array(keyResponse) }) }, ...problemResponses(401, 403, 404, 429) },
  }, (res, req, state, principal) => {
    const id = pathParam(req, 0, res, state, noTenant);
    if (id === null) return;
    if (visible(principal, id) === undefined) return sendProblem(res, state, noTenant());
    sendJson(res, state, 200, { keys: registry.keysOf(id).map(shown) });
  });

  router.route({
    method: 'del', path: '/keys/:id', tag: 'tenants', access: kAdmin, params: [{ name: 'id', description: 'key id' }],
    summary: 'Revoke a key: every later request and WebSocket frame with it is refused 401',
    responses: { 200: { description: 'The revoked key', schema: keyResponse }, ...problemResponses(401, 403, 404, 429) },
  }, (res, req, state, principal) => {
    const id = pathParam(req, 0, res, state, noKey);
    if (id === null) return;
    const record = registry.key(id);
    if (record === undefined || visible(principal, record.tenantId) === undefined) {
      sendProblem(res, state, noKey());
      return;
    }
    registry.revokeKey(id).then((k) => {
      ctx.limiter.forget(id);
      sendJson(res, state, 200, shown(k ?? record));
    }, (err: Error) => sendProblem(res, state, problem('internal', err.message)));
  });
}
