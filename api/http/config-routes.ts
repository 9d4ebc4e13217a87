/**
 * Versioned configuration (DESIGN §7): GET /config, /config/versions, /config/version/:id,
 * /config/audit; POST /config {patch, reason, author?, expectedVersion?}; POST /config/rollback/:id.
 */
import { z } from 'zod';
import { ConfigError } from '../../config/index.js';
import {
  ConfigConflictError, ConfigNotLiveError, ConfigVersionNotFoundError, type VersionedConfigStore,
} from '../../engine/store/config-versions.js';
import type { HttpResponse } from '../uws.js';
import { problem } from '../errors.js';
import { type ResponseState, sendJson, sendProblem } from './reply.js';
import { withDecodedBody, type BodyContext } from './decoded-body.js';
import type { Router } from './router.js';
import { kBodyMedia, problemResponses } from './docs.js';
import { kAdmin, kOperator, parseBody, readQuery } from './query.js';

const kDefaultPage = 50;
const kMaxPage = 500;

export const configPatchSchema = z
  .object({
    patch: z.record(z.string(), z.unknown()),
    reason: z.string().min(1).max(1000),
    author: z.string().min(1).max(200).optional(),
    expectedVersion: z.number().int().positive().optional(),
  })
  .strict();

export const rollbackSchema = z.object({ reason: z.string().min(1).max(1000).optional(), author: z.string().min(1).max(200).optional() }).strict();

const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(kMaxPage).default(kDefaultPage),
  cursor: z.coerce.number().int().positive().optional(),
}).strict();
const auditQuery = pageQuery.extend({
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
}).strict();
const versionResponse = z.object({ id: z.number().int(), effectiveSince: z.number(), author: z.string(), reason: z.string() }).loose();

export interface ConfigRouteContext extends BodyContext {
  versions: VersionedConfigStore;
  log: { error(obj: unknown, msg: string): void };
}

export function registerConfigRoutes(router: Router, ctx: ConfigRouteContext): void {
  const { versions } = ctx;
  const idParam = [{ name: 'id', description: 'config version id' }] as const;

  function answerChange(res: HttpResponse, state: ResponseState, change: Promise<unknown>): void {
    change.then(
      (record) => sendJson(res, state, 201, record),
      (err: unknown) => {
        if (err instanceof ConfigError) {
          sendProblem(res, state, problem('invalid_config', 'the resulting configuration is invalid; the current version stays in force',
            err.issues.map((i) => ({ path: '/patch' + i.path, message: i.message }))));
        } else if (err instanceof ConfigConflictError) {
          sendProblem(res, state, problem('config_conflict', err.message, [{ path: '/expectedVersion', message: `version ${err.current} is current` }], { currentVersion: err.current }));
        } else if (err instanceof ConfigNotLiveError) {
          sendProblem(res, state, problem('config_not_live', err.message, err.refused.map((r) => ({ path: '/patch' + r.path, message: r.message }))));
        } else if (err instanceof ConfigVersionNotFoundError) {
          sendProblem(res, state, problem('not_found', err.message, [{ path: 'path/id', message: 'no such version' }]));
        } else {
          ctx.log.error({ err }, 'config change failed');
          sendProblem(res, state, problem('internal', 'the change could not be applied'));
        }
      },
    );
  }

  router.route({
    method: 'get', path: '/config', tag: 'config', access: kAdmin, summary: 'The config version in force',
    responses: { 200: { description: 'id and config' }, ...problemResponses(401, 403, 429) },
  }, (res, _req, state) => {
    const v = versions.current();
    sendJson(res, state, 200, { id: v.id, config: v.config });
  });

  router.route({
    method: 'get', path: '/config/versions', tag: 'config', access: kAdmin, query: pageQuery, summary: 'Config versions, newest first (paginated)',
    responses: { 200: { description: 'A page of versions' }, ...problemResponses(400, 401, 403, 429) },
  }, (res, req, state) => {
    const q = readQuery(req, pageQuery, res, state);
    if (q !== null) sendJson(res, state, 200, versions.list(q.limit, q.cursor));
  });

  router.route({
    method: 'get', path: '/config/version/:id', tag: 'config', access: kAdmin, params: idParam, summary: 'One config version',
    responses: { 200: { description: 'The version', schema: versionResponse }, ...problemResponses(401, 403, 404, 429) },
  }, (res, req, state) => {
    const id = Number(req.getParameter(0));
    const record = Number.isSafeInteger(id) ? versions.get(id) : undefined;
    if (!record) return sendProblem(res, state, problem('not_found', `no config version ${req.getParameter(0)}`, [{ path: 'path/id', message: 'no such version' }]));
    sendJson(res, state, 200, record);
  });

  router.route({
    method: 'get', path: '/config/audit', tag: 'config', access: kAdmin, query: auditQuery, summary: 'Config audit trail (paginated, time filter)',
    responses: { 200: { description: 'A page of audit records' }, ...problemResponses(400, 401, 403, 429) },
  }, (res, req, state) => {
    const q = readQuery(req, auditQuery, res, state);
    if (q !== null) sendJson(res, state, 200, versions.audit(q.limit, q.from, q.to, q.cursor));
  });

  router.route({
    method: 'post', path: '/config', tag: 'config', access: kOperator, body: configPatchSchema, bodyMedia: kBodyMedia,
    summary: 'Make a new config version from a patch (operator only)',
    responses: { 201: { description: 'The new version', schema: versionResponse }, ...problemResponses(400, 401, 403, 409, 413, 415, 429) },
  }, (res, req, state, principal) => {
    withDecodedBody(ctx, res, req, state, ctx.config().limits.maxBodyBytes, (value) => {
      const body = parseBody(value, configPatchSchema, res, state, 'invalid_config', 'send {patch, reason, author?, expectedVersion?}');
      if (body === null) return;
      const { patch, reason, author, expectedVersion } = body;
      answerChange(res, state, versions.apply(patch, { reason, author: author ?? principal.key.name, expectedVersion }));
    });
  });

  router.route({
    method: 'post', path: '/config/rollback/:id', tag: 'config', access: kOperator, params: idParam, body: rollbackSchema, bodyMedia: kBodyMedia,
    summary: 'Make a new version equal to an old one (operator only)',
    responses: { 201: { description: 'The new version', schema: versionResponse }, ...problemResponses(400, 401, 403, 404, 413, 415, 429) },
  }, (res, req, state, principal) => {
    const id = Number(req.getParameter(0));
    withDecodedBody(ctx, res, req, state, ctx.config().limits.maxBodyBytes, (value) => {
      const body = parseBody(value ?? {}, rollbackSchema, res, state, 'invalid_config', 'send {reason?, author?}');
      if (body === null) return;
      if (!Number.isSafeInteger(id) || id < 1) return sendProblem(res, state, problem('not_found', 'no such version', [{ path: 'path/id', message: 'must be a version id' }]));
      answerChange(res, state, versions.rollback(id, { reason: body.reason ?? `rollback to version ${id}`, author: body.author ?? principal.key.name }));
    });
  });
}
