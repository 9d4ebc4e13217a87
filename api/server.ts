/**
 * Wires the engine to uWebSockets.js: routes, lifecycle. Computes nothing itself.
 */
import pino, { type Logger } from 'pino';
import { Engine } from '../engine/index.js';
import type { Config } from '../config/index.js';
import { Store } from '../engine/store/store.js';
import { Persistence } from '../engine/durability/persistence.js';
import { RetentionJob } from '../engine/retention/retention-job.js';
import { Piscina } from 'piscina';
import { VersionedConfigStore } from '../engine/store/config-versions.js';
import { registerConfigRoutes } from './http/config-routes.js';
import { uws, type HttpResponse, type TemplatedApp, type WebSocket, type us_listen_socket } from './uws.js';
import { BodyDecoder } from './decode.js';
import { problem } from './errors.js';
import { ResponseState, sendJson, sendProblem } from './http/reply.js';
import { registerIngestRoutes } from './http/ingest-routes.js';
import { registerSeriesRoute } from './http/series-route.js';
import { registerMetricsRoute } from './http/metrics-route.js';
import { registerAnalyticsRoutes } from './http/analytics-routes.js';
import { registerStreamRoute, kCloseGoingAway, type StreamSocketData } from './ws/stream-route.js';

export interface ServerOptions {
  /** The boot config (defaults ← file ← environment). */
  config: Readonly<Config>;
  logger?: Logger;
  /** Injected clock for stored timestamps (tests). */
  now?: () => number;
}

export interface ServerHandle {
  readonly port: number;
  readonly engine: Engine;
  readonly app: TemplatedApp;
  readonly store: Store;
  readonly versions: VersionedConfigStore;
  readonly persistence: Persistence;
  readonly retention: RetentionJob;
  /** Stops taking traffic, folds everything queued, stops the shards. */
  close(): Promise<void>;
}

/** Wraps a route handler so a bug answers 500 instead of killing the process. */
function guarded(log: Logger, handler: (res: HttpResponse, req: Parameters<Parameters<TemplatedApp['get']>[1]>[1]) => void) {
  return (res: HttpResponse, req: Parameters<Parameters<TemplatedApp['get']>[1]>[1]) => {
    try {
      handler(res, req);
    } catch (err) {
      log.error({ err }, 'request handler failed');
      const state = new ResponseState();
      try {
        sendProblem(res, state, problem('internal', 'the request could not be handled'));
      } catch {
        // the response was already finished or aborted
      }
    }
  };
}

function guardedApp(app: TemplatedApp, log: Logger): TemplatedApp {
  const wrap = (method: 'get' | 'post' | 'any' | 'del' | 'patch' | 'put') => {
    const original = app[method].bind(app);
    (app as unknown as Record<string, unknown>)[method] = (pattern: string, handler: Parameters<TemplatedApp['get']>[1]) =>
      original(pattern, guarded(log, handler as never));
  };
  for (const m of ['get', 'post', 'any', 'del', 'patch', 'put'] as const) wrap(m);
  return app;
}

export async function startServer(options: ServerOptions): Promise<ServerHandle> {
  const config = options.config;
  const log = options.logger ?? pino({ level: config.log.level });
  const store = new Store(config.dataDir);
  const versions = VersionedConfigStore.open(store, config, options.now);
  const engine = new Engine(versions, log);
  await engine.start();
  const now = options.now ?? Date.now;
  const persistence = new Persistence(store, engine, log, now);
  engine.durability = persistence;
  try {
    await persistence.restore();
  } catch (err) {
    await engine.stop();
    await store.close();
    throw err;
  }
  await persistence.startLogs();
  persistence.startTimer();
  const pool = new Piscina({ maxThreads: config.pool.maxThreads, idleTimeout: config.pool.idleTimeoutMs });
  const retention = new RetentionJob(pool, engine, log, now);
  retention.start();

  const decoder = new BodyDecoder(Math.max(config.limits.maxBodyBytes, config.limits.maxFrameBytes));
  const app = guardedApp(uws.App(), log);
  let closing = false;
  const isClosing = () => closing;
  const sockets = new Set<WebSocket<StreamSocketData>>();

  registerIngestRoutes(app, { engine, decoder, isClosing });
  registerSeriesRoute(app, engine);
  registerMetricsRoute(app, engine);
  registerAnalyticsRoutes(app, engine, { decoder, isClosing });
  registerStreamRoute(app, { engine, decoder, isClosing, sockets });
  registerConfigRoutes(app, { decoder, isClosing, versions, log });
  app.post('/admin/retention/run', (res) => {
    const state = new ResponseState();
    res.onAborted(() => {
      state.done = true;
    });
    retention.run().then((report) => sendJson(res, state, 200, report), (err: Error) => sendProblem(res, state, problem('internal', err.message)));
  });
  app.get('/healthz', (res) => {
    const state = new ResponseState();
    if (closing) sendProblem(res, state, problem('shutting_down', 'draining'));
    else sendJson(res, state, 200, { status: 'ok', shards: engine.shards.length, configVersion: engine.configVersion });
  });
  app.any('/*', (res, req) => {
    const state = new ResponseState();
    sendProblem(res, state, problem('not_found', `no route for ${req.getMethod().toUpperCase()} ${req.getUrl()}`));
  });

  const listenSocket = await new Promise<us_listen_socket>((resolve, reject) => {
    app.listen(config.server.host, config.server.port, (socket) => {
      if (socket) resolve(socket);
      else reject(new Error(`cannot listen on ${config.server.host}:${config.server.port}`));
    });
  });
  const port = uws.us_socket_local_port(listenSocket as never);
  log.info({ port, shards: engine.shards.length }, 'SellerPulse listening');

  let closed: Promise<void> | undefined;
  return {
    port,
    engine,
    app,
    store,
    versions,
    persistence,
    retention,
    close() {
      closed ??= (async () => {
        closing = true;
        uws.us_listen_socket_close(listenSocket);
        for (const ws of [...sockets]) ws.end(kCloseGoingAway, 'server shutting down');
        retention.stop();
        await persistence.stop();
        const folded = await engine.stop();
        await pool.destroy();
        await store.close();
        log.info({ folded }, 'SellerPulse stopped; every queued event was folded');
      })();
      return closed;
    },
  };
}
