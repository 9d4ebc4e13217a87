/**
 * GET /metrics in Prometheus text format, through prom-client (a well-kept client: exposition
 * format, default process/GC/event-loop metrics). Engine totals are plain numbers read at scrape
 * time — nothing is recorded per event.
 */
import { Registry, Counter, Gauge, collectDefaultMetrics } from 'prom-client';
import { RouteLatencyHistogram } from './route-latency.js';
import { performance } from 'node:perf_hooks';
import type { Engine } from '../../engine/index.js';
import { kEventStatusNames } from '../../engine/index.js';
import type { TierEventCounters } from '../../engine/tenancy/tier-counters.js';
import { kTierNames } from '../../config/index.js';
import { sendText, sendProblem } from './reply.js';
import { problem } from '../errors.js';
import type { Router } from './router.js';
import type { StringIntern } from '../string-intern.js';
import type { RowFrameReader } from '../row-frame-reader.js';
import type { ColumnarFrameReader } from '../columnar-frame-reader.js';
import type { JsonEventReader } from '../json-event-reader.js';
import { problemResponses } from './docs.js';

/** Request latency buckets (seconds): sub-millisecond ingest to multi-second exports. */
const kLatencyBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** A prom-client counter fed from a running total: adds the difference since the last scrape. */
function totalCounter<L extends string>(registry: Registry, name: string, help: string, labelNames: L[], read: (emit: (labels: Record<L, string>, total: number) => void) => void) {
  const seen = new Map<string, number>();
  return new Counter({
    name, help, labelNames, registers: [registry],
    collect() {
      read((labels, total) => {
        const key = JSON.stringify(labels);
        const delta = total - (seen.get(key) ?? 0);
        if (delta > 0) this.inc(labels as never, delta);
        seen.set(key, total);
      });
    },
  });
}

/** What the main thread's decoding counts. */
export interface DecodingCounters {
  intern: StringIntern;
  rowFrames: RowFrameReader;
  columnarFrames: ColumnarFrameReader;
  jsonEvents: JsonEventReader;
}

export function registerMetricsRoute(router: Router, engine: Engine, tiers: TierEventCounters, decoding: DecodingCounters, publicMetrics: boolean): void {
  const { intern, rowFrames, columnarFrames, jsonEvents } = decoding;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'sellerpulse_' });
  const c = engine.counters;
  totalCounter(registry, 'sellerpulse_tenant_events_total', 'Events by the tier of the sending tenant and outcome (refused: calls refused whole, e.g. rate limited or queue full)', ['tier', 'outcome'], (emit) => {
    for (const tier of kTierNames) {
      const t = tiers.byTier[tier];
      emit({ tier, outcome: 'accepted' }, t.accepted);
      emit({ tier, outcome: 'rejected' }, t.rejected);
      emit({ tier, outcome: 'late_dropped' }, t.lateDropped);
      emit({ tier, outcome: 'duplicate' }, t.duplicates);
      emit({ tier, outcome: 'refused' }, t.refused);
    }
  });
  const latency = new RouteLatencyHistogram('sellerpulse_http_request_duration_seconds', 'HTTP request latency by route and status class', kLatencyBuckets);
  registry.registerMetric(latency as never);
  router.onFinish((state, ms) => latency.observe(state.route, state.status, ms / 1000));
  const answers = router.responseBatch;
  totalCounter(registry, 'sellerpulse_http_held_answers_total', 'HTTP answers held to the end of their poll phase and written together (http.responseBatch)', [], (emit) => emit({}, answers.held));
  totalCounter(registry, 'sellerpulse_http_answer_batches_total', 'Batches those answers were written in (held answers / batches = answers per client wake-up)', [], (emit) => emit({}, answers.batches));
  totalCounter(registry, 'sellerpulse_events_total', 'Events by intake outcome', ['outcome'], (emit) => {
    emit({ outcome: 'accepted' }, c.accepted);
    emit({ outcome: 'late_dropped' }, c.lateDropped);
    emit({ outcome: 'duplicate' }, c.duplicates);
    emit({ outcome: 'rejected' }, c.rejectedByStatus.reduce((a, b) => a + b, 0));
  });
  totalCounter(registry, 'sellerpulse_events_rejected_total', 'Rejected events by reason', ['reason'], (emit) => {
    c.rejectedByStatus.forEach((n, status) => {
      if (n > 0) emit({ reason: kEventStatusNames[status] }, n);
    });
  });
  totalCounter(registry, 'sellerpulse_queue_full_refusals_total', 'Requests or frames refused whole because a shard queue was full', [], (emit) => emit({}, c.queueFullRefusals));
  totalCounter(registry, 'sellerpulse_pii_fields_stripped_total', 'Fields dropped because their name looks like personal data (content never read)', ['field'], (emit) => {
    for (const [field, n] of engine.guard.strip.piiByField) emit({ field }, n);
  });
  totalCounter(registry, 'sellerpulse_unknown_fields_dropped_total', 'Other unknown event fields dropped', [], (emit) => emit({}, engine.guard.strip.unknownDropped));
  totalCounter(registry, 'sellerpulse_decoded_strings_total', 'Short msgpack string values (seller IDs, type names): taken from the decoder\'s table or decoded', ['source'], (emit) => {
    emit({ source: 'table' }, intern.hits);
    emit({ source: 'decoded' }, intern.misses);
  });
  totalCounter(registry, 'sellerpulse_ws_msgpack_frames_total', 'Binary WebSocket frames: read straight from their bytes as a rows or a columnar frame, or declined to the msgpack decoder (other shapes, invalid frames)', ['reader'], (emit) => {
    emit({ reader: 'rows' }, rowFrames.read);
    emit({ reader: 'columnar' }, columnarFrames.read);
    emit({ reader: 'decoder' }, columnarFrames.declined);
  });
  totalCounter(registry, 'sellerpulse_ws_seller_tables_repeated_total', 'Columnar frames whose seller table repeated the bytes of the connection\'s previous one (its strings used again, not decoded)', [], (emit) => {
    emit({}, columnarFrames.tablesRepeated);
  });
  totalCounter(registry, 'sellerpulse_http_json_event_bodies_total', 'JSON bodies of POST /events and /events/batch: read straight from their bytes, or declined to JSON.parse (other shapes, invalid bodies)', ['reader'], (emit) => {
    emit({ reader: 'events' }, jsonEvents.read);
    emit({ reader: 'parser' }, jsonEvents.declined);
  });
  totalCounter(registry, 'sellerpulse_snapshots_total', 'Ring snapshots committed to the store since start', [], (emit) => emit({}, engine.durability?.snapshots.completed ?? 0));
  totalCounter(registry, 'sellerpulse_snapshot_sellers_total', 'Sellers written by those snapshots (each seller once per snapshot it was dirty in)', [], (emit) => emit({}, engine.durability?.snapshots.sellers ?? 0));
  totalCounter(registry, 'sellerpulse_shard_restarts_total', 'Shard workers restarted after a crash', ['shard'], (emit) => {
    for (const s of engine.shards) emit({ shard: String(s.index) }, s.restarts);
  });
  new Gauge({
    name: 'sellerpulse_queue_depth', help: 'Records waiting in a shard ingest queue', labelNames: ['shard'], registers: [registry],
    collect() {
      for (const s of engine.shards) this.set({ shard: String(s.index) }, s.producer.depth());
    },
  });
  // one stats round trip to the workers per scrape, shared by the gauges that read it
  let statsInFlight: ReturnType<Engine['stats']> | null = null;
  const shardStats = () => (statsInFlight ??= engine.stats().finally(() => (statsInFlight = null)));
  new Gauge({
    name: 'sellerpulse_shard_heap_bytes', help: 'V8 heap of a shard worker thread (used and total committed)', labelNames: ['shard', 'kind'], registers: [registry],
    async collect() {
      const stats = await shardStats();
      stats.forEach((s, shard) => {
        this.set({ shard: String(shard), kind: 'used' }, s.heapUsed);
        this.set({ shard: String(shard), kind: 'total' }, s.heapTotal);
      });
    },
  });
  /** A gauge of one number per shard worker, read from the shared stats round trip. */
  const perShardGauge = (name: string, help: string, pick: (s: Awaited<ReturnType<Engine['stats']>>[number]) => number): void => {
    new Gauge({
      name, help, labelNames: ['shard'], registers: [registry],
      async collect() {
        (await shardStats()).forEach((s, shard) => this.set({ shard: String(shard) }, pick(s)));
      },
    });
  };
  perShardGauge('sellerpulse_shard_folded_ahead_records', 'Records a shard worker folded ahead of its queue for a seller\'s query (read-your-writes without the backlog), since it started', (s) => s.foldedAhead);
  perShardGauge('sellerpulse_shard_yields', 'Times a shard worker parked in the middle of a shallow backlog so waiting threads could run (queue.yieldAfterMs), since it started', (s) => s.yields);
  totalCounter(registry, 'sellerpulse_recomputations_total', 'Analytic results recomputed, by kind and reason (miss, expired, early refresh)', ['kind', 'reason'], (emit) => {
    for (const [key, n] of engine.results.recomputations) {
      const [kind, reason] = key.split(':');
      emit({ kind, reason }, n);
    }
  });
  new Gauge({
    name: 'sellerpulse_result_cache_hit_ratio', help: 'Share of analytic queries answered from the cache since start', registers: [registry],
    collect() {
      const total = engine.results.hits + engine.results.misses;
      this.set(total === 0 ? 0 : engine.results.hits / total);
    },
  });
  new Gauge({
    name: 'sellerpulse_sellers', help: 'Sellers known to the directory', registers: [registry],
    collect() {
      this.set(engine.directory.size);
    },
  });
  let lastElu = performance.eventLoopUtilization();
  new Gauge({
    name: 'sellerpulse_event_loop_utilization', help: 'Main-thread event-loop utilisation since the previous scrape (0..1)', registers: [registry],
    collect() {
      const now = performance.eventLoopUtilization();
      this.set(performance.eventLoopUtilization(now, lastElu).utilization);
      lastElu = now;
    },
  });

  router.route({
    method: 'get', path: '/metrics', tag: 'operations',
    access: publicMetrics ? { kind: 'public' } : { kind: 'scope', scopes: ['admin'], operator: true, limit: 'none' },
    summary: 'Prometheus metrics (text exposition format); operator admin key unless access.publicMetrics',
    responses: { 200: { description: 'Prometheus text', media: 'text/plain; version=0.0.4' }, ...problemResponses(401, 403) },
  }, (res, _req, state) => {
    registry.metrics().then(
      (text) => sendText(res, state, 200, registry.contentType, text),
      (err: Error) => sendProblem(res, state, problem('internal', err.message)),
    );
  });
}
