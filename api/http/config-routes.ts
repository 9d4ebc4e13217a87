/**
 * Versioned configuration (DESIGN §7): GET /config, /config/versions, /config/version/:id,
 * /config/audit; POST /config {patch, reason, author?, expectedVersion?}; POST /config/rollback/:id.
 */
import { z } from 'zod';
import { ConfigError } from '../../config/index.js';
import {
  ConfigConflictError, ConfigNotLiveError, ConfigVersionNotFoundError, type VersionedConfigStore,
} from '../../engine/store/config-versions.js';
import type { HttpResponse, TemplatedApp } from '../uws.js';
import { problem, type ProblemFieldError } from '../errors.js';
import { ResponseState, sendJson, sendProblem } from './reply.js';
import { withDecodedBody, type BodyContext } from './decoded-body.js';

const kAdminBodyBytes = 256 * 1024;
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
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
});

function zodErrors(err: z.ZodError, prefix = ''): ProblemFieldError[] {
  return err.issues.map((i) => ({ path: prefix + '/' + i.path.map(String).join('/'), message: i.message }));
}

function readQuery(q: (k: string) => string | undefined, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = q(k);
    if (v !== undefined && v !== '') out[k] = v;
  }
  return out;
}

export interface ConfigRouteContext extends BodyContext {
  versions: VersionedConfigStore;
  log: { error(obj: unknown, msg: string): void };
}

export function registerConfigRoutes(app: TemplatedApp, ctx: ConfigRouteContext): void {
  const { versions } = ctx;

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

  app.get('/config', (res) => {
    const v = versions.current();
    sendJson(res, new ResponseState(), 200, { id: v.id, config: v.config });
  });

  app.get('/config/versions', (res, req) => {
    const state = new ResponseState();
    const q = pageQuery.safeParse(readQuery((k) => req.getQuery(k), ['limit', 'cursor']));
    if (!q.success) return sendProblem(res, state, problem('invalid_query', 'bad pagination', zodErrors(q.error, 'query')));
    sendJson(res, state, 200, versions.list(q.data.limit, q.data.cursor));
  });

  app.get('/config/version/:id', (res, req) => {
    const state = new ResponseState();
    const id = Number(req.getParameter(0));
    const record = Number.isSafeInteger(id) ? versions.get(id) : undefined;
    if (!record) return sendProblem(res, state, problem('not_found', `no config version ${req.getParameter(0)}`, [{ path: 'path/id', message: 'no such version' }]));
    sendJson(res, state, 200, record);
  });

  app.get('/config/audit', (res, req) => {
    const state = new ResponseState();
    const q = pageQuery.safeParse(readQuery((k) => req.getQuery(k), ['limit', 'cursor', 'from', 'to']));
    if (!q.success) return sendProblem(res, state, problem('invalid_query', 'bad pagination or time filter', zodErrors(q.error, 'query')));
    sendJson(res, state, 200, versions.audit(q.data.limit, q.data.from, q.data.to, q.data.cursor));
  });

  app.post('/config', (res, req) => {
    withDecodedBody(ctx, res, req, kAdminBodyBytes, (value, state) => {
      const body = configPatchSchema.safeParse(value);
      if (!body.success) return sendProblem(res, state, problem('invalid_config', 'send {patch, reason, author?, expectedVersion?}', zodErrors(body.error)));
      const { patch, reason, author, expectedVersion } = body.data;
      answerChange(res, state, versions.apply(patch, { reason, author: author ?? 'anonymous', expectedVersion }));
    });
  });

  app.post('/config/rollback/:id', (res, req) => {
    const id = Number(req.getParameter(0));
    withDecodedBody(ctx, res, req, kAdminBodyBytes, (value, state) => {
      const body = rollbackSchema.safeParse(value ?? {});
      if (!body.success) return sendProblem(res, state, problem('invalid_config', 'send {reason?, author?}', zodErrors(body.error)));
      if (!Number.isSafeInteger(id) || id < 1) return sendProblem(res, state, problem('not_found', 'no such version', [{ path: 'path/id', message: 'must be a version id' }]));
      answerChange(res, state, versions.rollback(id, { reason: body.data.reason ?? `rollback to version ${id}`, author: body.data.author ?? 'anonymous' }));
    });
  });
}
