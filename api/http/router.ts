/**
 * Every HTTP route goes through here: it is declared once with who may call it and the zod schemas
 * of its parameters, query and body (the OpenAPI document is generated from these declarations —
 * api/http/openapi.ts), then each request gets its state, X-Request-ID, authentication, scope and
 * rate-limit checks, one access-log line and a latency observation — and a bug answers 500 instead
 * of killing the process.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { HttpRequest, HttpResponse, TemplatedApp } from '../uws.js';
import type { Config } from '../../config/index.js';
import type { Principal } from '../../engine/tenancy/tenant-registry.js';
import { problem } from '../errors.js';
import { batchWriter, finish, kClientClosed, ResponseState, sendProblem } from './reply.js';
import { ResponseBatch } from './response-batch.js';
import type { Access, AccessControl } from './access.js';

export type Method = 'get' | 'post' | 'patch' | 'del';

export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  /** Media type when not application/json. */
  media?: string;
}

export interface RouteDoc {
  method: Method;
  /** uWS pattern, e.g. /metrics/:seller/series */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  /** Path parameters in order, with descriptions. */
  params?: readonly { name: string; description: string }[];
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Body media types accepted (default application/json). */
  bodyMedia?: readonly string[];
  responses: Readonly<Record<number, ResponseDoc>>;
}

export type Handler = (res: HttpResponse, req: HttpRequest, state: ResponseState, principal: Principal) => void;

/** Observes finished requests (access log, latency histogram). */
export type FinishListener = (state: ResponseState, durationMs: number) => void;

const kTraceIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

export class Router {
  readonly routes: RouteDoc[] = [];
  readonly #app: TemplatedApp;
  readonly #access: AccessControl;
  readonly #log: Logger;
  readonly #config: () => Readonly<Config>;
  readonly #bootPrefix: string;
  #traceCounter = 0;
  readonly #listeners: FinishListener[] = [];
  readonly #onFinish: (state: ResponseState) => void;
  /** Answers of this server's requests, written together at the end of each poll phase. */
  readonly #batch: ResponseBatch<ResponseState>;

  constructor(app: TemplatedApp, access: AccessControl, log: Logger, config: () => Readonly<Config>) {
    this.#app = app;
    this.#access = access;
    this.#log = log;
    this.#config = config;
    this.#bootPrefix = `${process.pid.toString(36)}-${Date.now().toString(36)}-`;
    this.#onFinish = (state) => {
      const ms = performance.now() - state.startedAt;
      for (const l of this.#listeners) l(state, ms);
    };
    this.#batch = new ResponseBatch(
      batchWriter((err, state) => this.#log.error({ err, route: state.route, trace_id: state.traceId }, 'writing a held answer failed')),
      () => this.#config().http.responseBatch,
    );
  }

  get responseBatch(): ResponseBatch<ResponseState> {
    return this.#batch;
  }

  get access(): AccessControl {
    return this.#access;
  }

  onFinish(listener: FinishListener): void {
    this.#listeners.push(listener);
  }

  /** Declares and registers a route. */
  route(doc: RouteDoc, handler: Handler): void {
    this.routes.push(doc);
    this.#app[doc.method](doc.path, (res, req) => this.#serve(doc, handler, res, req));
  }

  /** Declares a route served elsewhere (the WebSocket upgrade), for the OpenAPI document. */
  document(doc: RouteDoc): void {
    this.routes.push(doc);
  }

  /** Starts a request's state: trace id, timing, abort tracking (also for routes outside the table). */
  begin(res: HttpResponse, req: HttpRequest, route: string): ResponseState {
    const state = new ResponseState();
    state.startedAt = performance.now();
    state.route = route;
    state.onFinish = this.#onFinish;
    state.batch = this.#batch;
    const given = req.getHeader('x-request-id');
    state.traceId = given !== '' && given.length <= this.#config().limits.maxHeaderValueBytes && kTraceIdPattern.test(given)
      ? given : this.#bootPrefix + (++this.#traceCounter).toString(36);
    res.onAborted(() => {
      state.aborted = true;
      // an answer still held by the batch is recorded as 499 when the batch skips it
      if (!state.done) finish(state, kClientClosed);
    });
    return state;
  }

  #serve(doc: RouteDoc, handler: Handler, res: HttpResponse, req: HttpRequest): void {
    let state: ResponseState | undefined;
    try {
      state = this.begin(res, req, doc.path);
      const authorization = req.getHeader('authorization');
      if (authorization.length > this.#config().limits.maxHeaderValueBytes) {
        sendProblem(res, state, problem('header_too_large', 'the Authorization header is too long', [{ path: 'header/authorization', message: 'too long' }]), undefined, true);
        return;
      }
      const principal = this.#access.admit(res, req, state, doc.access, authorization);
      if (principal === null) return;
      handler(res, req, state, principal);
    } catch (err) {
      this.#log.error({ err, route: doc.path, trace_id: state?.traceId }, 'request handler failed');
      try {
        sendProblem(res, state ?? new ResponseState(), problem('internal', 'the request could not be handled'));
      } catch {
        // the response was already finished or aborted
      }
    }
  }
}
