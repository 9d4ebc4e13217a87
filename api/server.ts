/**
 * Wires the engine to uWebSockets.js: routes, lifecycle. Computes nothing itself.
 */
import { performance } from 'node:perf_hooks';
import pino, { type Logger } from 'pino';
import { Engine } from '../engine/index.js';
import type { Config } from '../config/index.js';
import { Store } from '../engine/store/store.js';
import { Persistence } from '../engine/durability/persistence.js';
import { RetentionJob } from '../engine/retention/retention-job.js';
import type { PoolWorkerData } from '../engine/pool-thread-priority.js';
import { Piscina } from 'piscina';
import { VersionedConfigStore } from '../engine/store/config-versions.js';
import { registerConfigRoutes } from './http/config-routes.js';
import { uws, type TemplatedApp, type WebSocket, type us_listen_socket } from './uws.js';
import { RowFrameReader } from './row-frame-reader.js';
import { ColumnarFrameReader } from './columnar-frame-reader.js';
import { EventText } from './row-event-text.js';
import { JsonEventReader } from './json-event-reader.js';
import { BodyDecoder } from './decode.js';
import { problem } from './errors.js';
import { sendJson, sendProblem } from './http/reply.js';
import { registerIngestRoutes } from './http/ingest-routes.js';
import { registerSeriesRoute } from './http/series-route.js';
import { registerMetricsRoute } from './http/metrics-route.js';
import { present, registerAnalyticsRoutes } from './http/analytics-routes.js';
import { registerExportRoutes, type ExportContext } from './http/export-routes.js';
import { ReportMailer } from '../engine/reports/mailer.js';
import { registerStreamRoute, kCloseGoingAway, type StreamSocketData } from './ws/stream-route.js';
import { registerTenantRoutes } from './http/tenant-routes.js';
import { registerStatusRoute } from './http/status-route.js';
import { registerOpenApiRoute } from './http/openapi.js';
import { registerInsightRoutes } from './http/insight-routes.js';
import { registerAlertRoutes } from './http/alert-routes.js';
import { registerFeedRoute } from './ws/feed-route.js';
import { HookRunner } from '../engine/hooks/hook-runner.js';
import { InsightService, type Publish } from '../engine/insights/insight-service.js';
import { AlertService } from '../engine/alerts/alert-service.js';
import { AlertMonitor } from '../engine/monitor/alert-monitor.js';
import { Router } from './http/router.js';
import { AccessControl } from './http/access.js';
import { SlowBodyWatch } from './http/body.js';
import { problemResponses } from './http/docs.js';
import { kOperator } from './http/query.js';
import { loadServerSecret } from '../engine/tenancy/server-secret.js';
import { TenantRegistry } from '../engine/tenancy/tenant-registry.js';
import { RateLimiter } from '../engine/tenancy/rate-limiter.js';
import { TierEventCounters } from '../engine/tenancy/tier-counters.js';
import { splitSellerKey } from '../engine/router/seller-directory.js';
import { DeliveryDispatcher } from '../engine/delivery/dispatcher.js';
import { registerWebhookRoutes } from './http/webhook-routes.js';
import { registerPricingRoute } from './http/pricing-route.js';
import { registerBucketsRoute } from './http/buckets-route.js';
import { registerEmbedRoutes } from './http/embed-routes.js';
import { registerStaticRoutes } from './http/static-route.js';
import { registerRollupRoute } from './http/rollup-route.js';
import { registerWeeklyRoute } from './http/weekly-route.js';
import { WeeklyReports } from '../engine/weekly/weekly-service.js';
import { weeklyDocument } from '../engine/weekly/weekly-document.js';
import { configSnapshot } from '../engine/reports/config-snapshot.js';
import { registerFingerprintRoute } from './http/fingerprint-route.js';
import { SketchFlusher } from '../engine/rollup/sketch-flusher.js';
import { FingerprintService } from '../engine/fingerprint/fingerprint-service.js';

export interface ServerOptions {
  /** The boot config (defaults ← file ← environment). */
  config: Readonly<Config>;
  logger?: Logger;
  /** Injected clock for stored timestamps (tests). */
  now?: () => number;
  /** SELLERPULSE_BOOTSTRAP_ADMIN_KEY: the operator's first admin key, used on first start instead of a generated one. */
  bootstrapAdminKey?: string;
}

export interface ServerHandle {
  readonly port: number;
  readonly engine: Engine;
  readonly app: TemplatedApp;
  readonly store: Store;
  readonly versions: VersionedConfigStore;
  readonly persistence: Persistence;
  readonly retention: RetentionJob;
  readonly registry: TenantRegistry;
  readonly router: Router;
  /** The generated bootstrap admin key on a first start without SELLERPULSE_BOOTSTRAP_ADMIN_KEY (print it once), else null. */
  readonly bootstrapKey: string | null;
  readonly insights: InsightService;
  readonly alerts: AlertService;
  readonly monitor: AlertMonitor;
  readonly hooks: HookRunner;
  readonly sketches: SketchFlusher;
  readonly weekly: WeeklyReports;
  readonly fingerprints: FingerprintService;
  /** Webhook registrations and the delivery queue (enqueue, replay, redeliver). */
  readonly deliveries: DeliveryDispatcher;
  /** The report exports' context (set `buildWeekly` to serve weekly reports). */
  readonly exports: ExportContext;
  /** Every alert and insight event is passed here too (after the feed and webhooks). */
  onPublish: Publish | null;
  /** Stops taking traffic, folds everything queued, stops the shards. */
  close(): Promise<void>;
}

/** The slow-body sweep runs this many times per body timeout (a late body is answered within a quarter of it). */
const kSweepsPerTimeout = 4;

export async function startServer(options: ServerOptions): Promise<ServerHandle> {
  const config = options.config;
  const log = options.logger ?? pino({ level: config.log.level });
  const store = new Store(config.dataDir);
  const versions = VersionedConfigStore.open(store, config, options.now);
  const engine = new Engine(versions, log);
  await engine.start();
  const now = options.now ?? Date.now;
  const serverSecret = loadServerSecret(config.dataDir);
  const registry = new TenantRegistry(store, {
    secret: serverSecret, keyBytes: config.access.keyBytes, cacheEntries: config.access.keyCacheEntries, now,
  });
  const bootstrapKey = await registry.bootstrap(config.access.bootstrapTier, options.bootstrapAdminKey);
  const persistence = new Persistence(store, engine, log, now);
  persistence.tierOf = (key) => registry.tenant(splitSellerKey(key).tenantId)?.tier;
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
  const poolData: PoolWorkerData = { threadNice: config.pool.threadNice };
  const pool = new Piscina({ maxThreads: config.pool.maxThreads, idleTimeout: config.pool.idleTimeoutMs, workerData: poolData });
  const retention = new RetentionJob(pool, engine, log, now);
  retention.start();

  const lastUsedTimer = setInterval(() => {
    registry.flushLastUsed().catch((err: unknown) => log.error({ err }, 'could not record keys\' last use'));
  }, config.access.lastUsedFlushMs);
  lastUsedTimer.unref();
  // rate limits run on the monotonic clock: wall-clock jumps must not refill or drain buckets
  const limiter = new RateLimiter(() => performance.now());
  const tiers = new TierEventCounters();
  const currentConfig = () => engine.config;

  const decoder = new BodyDecoder(Math.max(config.limits.maxBodyBytes, config.limits.maxFrameBytes),
    { entries: config.decode.internEntries, maxBytes: config.decode.internMaxBytes });
  // msgpack rows frames and JSON event bodies straight from their bytes (others are decoded)
  const eventText = new EventText(decoder.intern, config.events.types.map((t) => t.name));
  const rowFrames = new RowFrameReader(config.limits.maxFrameEvents, eventText);
  const jsonEvents = new JsonEventReader(config.limits.maxBatchEvents, eventText);
  const columnarFrames = new ColumnarFrameReader(eventText, config.limits.maxFrameSellers);
  const app = uws.App();
  const router = new Router(app, new AccessControl(registry, limiter, currentConfig, now), log, currentConfig);
  // the access log's level per outcome is fixed at start (log is boot-only): per request, one lookup
  const accessLevels = config.log.access;
  const levelOf = (status: number) => (status >= 500 ? accessLevels.serverError : status === 429 ? accessLevels.rateLimited : status >= 400 ? accessLevels.clientError : accessLevels.success);
  const anyAccessLog = Object.values(accessLevels).some((l) => l !== 'silent' && log.isLevelEnabled(l));
  if (anyAccessLog) router.onFinish((state, ms) => {
    const level = levelOf(state.status);
    if (level !== 'silent' && log.isLevelEnabled(level)) {
      log[level]({ tenant_id: state.tenantId || undefined, trace_id: state.traceId, route: state.route, status: state.status, durationMs: Math.round(ms * 1000) / 1000 }, 'request');
    }
  });
  let closing = false;
  const isClosing = () => closing;
  const sockets = new Set<WebSocket<StreamSocketData>>();
  const bodies = new SlowBodyWatch();
  bodies.start(Math.max(1, Math.floor(config.limits.bodyTimeoutMs / kSweepsPerTimeout)), (res, state) => {
    sendProblem(res, state, problem('body_timeout', `the body did not arrive within ${engine.config.limits.bodyTimeoutMs} ms`, [{ path: 'body', message: 'too slow' }]), undefined, true);
  });
  const bodyCtx = { decoder, isClosing, bodies, config: currentConfig };

  registerIngestRoutes(router, { ...bodyCtx, engine, tiers, jsonEvents });
  const stream = registerStreamRoute(app, { engine, decoder, rowFrames, columnarFrames, isClosing, sockets, router, tiers });
  registerSeriesRoute(router, engine);
  const hooks = new HookRunner(currentConfig, log);
  const fingerprints = new FingerprintService(engine, pool, now);
  registerAnalyticsRoutes(router, engine, bodyCtx, hooks, (tenantId, sellerId) => fingerprints.peek(tenantId, sellerId));
  const feedSockets = new Set<WebSocket<never>>();
  const toFeed = registerFeedRoute(app, { router, isClosing, idleTimeoutSec: config.ws.idleTimeoutSec, maxBackpressureBytes: config.ws.maxBackpressureBytes, sockets: feedSockets as never });
  const deliveries = new DeliveryDispatcher({ store, serverSecret, config: currentConfig, log });
  // every alert and insight event: the tenant's live feed, then (webhooks) the delivery queue
  const publish: Publish = (tenantId, event, payload, idempotencyKey) => {
    toFeed(tenantId, event, payload);
    deliveries.enqueue({ tenantId, event, payload, idempotencyKey }).catch((err: unknown) => log.error({ err, event }, 'could not queue webhook deliveries'));
    handle.onPublish?.(tenantId, event, payload, idempotencyKey);
  };
  const insights = new InsightService(store, currentConfig, publish);
  const alerts = new AlertService(store, currentConfig, publish, hooks);
  const monitor = new AlertMonitor(engine, insights, alerts, hooks, (tenantId) => {
    const t = registry.tenant(tenantId);
    return t !== undefined && t.status === 'active' ? t.tier : undefined;
  }, now, log);
  registerInsightRoutes(router, insights, bodyCtx, now);
  registerAlertRoutes(router, alerts, bodyCtx, now);
  registerWebhookRoutes(router, deliveries, bodyCtx, now);
  registerPricingRoute(router, engine, alerts, now);
  // exports: buildWeekly is set on `handle.exports` by whoever provides the weekly report
  const exportCtx: ExportContext = { ...bodyCtx, engine, insights, hooks, present, pool, mailer: new ReportMailer(() => engine.config.export.smtp), now };
  registerExportRoutes(router, exportCtx);
  const sketches = new SketchFlusher(engine, store, log);
  engine.beforeReshard = () => sketches.flush().then(() => undefined);
  registerRollupRoute(router, engine, store, sketches, now);
  alerts.fingerprintOf = (tenantId, sellerId) => fingerprints.peek(tenantId, sellerId);
  registerFingerprintRoute(router, engine, fingerprints);
  const weekly = new WeeklyReports({ engine, store, alerts, insights, fingerprintOf: (t, s) => fingerprints.peek(t, s) }, pool, now, log);
  weekly.snapshotOf = (version) => configSnapshot(versions.get(version)?.config ?? engine.config, version, engine.config.export.redactKeys);
  registerWeeklyRoute(router, weekly);
  exportCtx.buildWeekly = async (tenantId, sellerId) => {
    const r = await weekly.get(tenantId, sellerId);
    return r === undefined ? undefined : weeklyDocument(r);
  };
  registerTenantRoutes(router, { ...bodyCtx, registry, limiter });
  registerConfigRoutes(router, { ...bodyCtx, versions, log });
  registerStatusRoute(router, engine, limiter);
  registerMetricsRoute(router, engine, tiers, { intern: decoder.intern, rowFrames, columnarFrames, jsonEvents }, config.access.publicMetrics);
  router.route({
    method: 'post', path: '/admin/retention/run', tag: 'operations', access: kOperator, summary: 'Run the retention decay job now (operator only)',
    responses: { 200: { description: 'What was removed' }, ...problemResponses(401, 403, 429) },
  }, (res, _req, state) => {
    retention.run().then((report) => sendJson(res, state, 200, report), (err: Error) => sendProblem(res, state, problem('internal', err.message)));
  });
  router.route({
    method: 'get', path: '/healthz', tag: 'operations', access: { kind: 'public' }, summary: 'Liveness and readiness: 200 once the engine is ready',
    responses: { 200: { description: 'ready' }, ...problemResponses(503) },
  }, (res, _req, state) => {
    if (closing) sendProblem(res, state, problem('shutting_down', 'draining'));
    else sendJson(res, state, 200, { status: 'ok', shards: engine.shards.length, configVersion: engine.configVersion });
  });
  registerBucketsRoute(router, engine);
  registerEmbedRoutes(router, engine);
  registerStaticRoutes(router, { config: currentConfig, log });
  registerOpenApiRoute(router);
  app.any('/*', (res, req) => {
    const state = router.begin(res, req, '/*');
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
  monitor.start();
  sketches.start();
  weekly.start();
  deliveries.start();
  const handle: ServerHandle = {
    port,
    engine,
    app,
    store,
    versions,
    persistence,
    retention,
    registry,
    router,
    bootstrapKey,
    insights,
    alerts,
    monitor,
    hooks,
    sketches,
    weekly,
    fingerprints,
    deliveries,
    exports: exportCtx,
    onPublish: null,
    close() {
      closed ??= (async () => {
        stream.flush(); // frames received before the shutdown are taken and acknowledged
        closing = true;
        uws.us_listen_socket_close(listenSocket);
        for (const ws of [...sockets]) ws.end(kCloseGoingAway, 'server shutting down');
        retention.stop();
        bodies.stop();
        for (const ws of [...feedSockets]) (ws as WebSocket<unknown>).end(kCloseGoingAway, 'server shutting down');
        await monitor.stop();
        await weekly.stop();
        await sketches.stop();
        await deliveries.stop();
        clearInterval(lastUsedTimer);
        await registry.flushLastUsed();
        await persistence.stop();
        const folded = await engine.stop();
        await pool.destroy();
        await store.close();
        log.info({ folded }, 'SellerPulse stopped; every queued event was folded');
      })();
      return closed;
    },
  };
  return handle;
}
