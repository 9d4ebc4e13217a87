/**
 * SellerPulse engine — wiring only (STYLE §2).
 *
 *   api (uWS) ──decoded events──▶ EventGuard ──▶ SellerDirectory ──▶ IngestStage
 *                                 (check, minimise)  (seller → shard, slot)  (all-or-nothing commit)
 *                                                                              │ SPSC queue per shard
 *                                                                              ▼ (SharedArrayBuffer)
 *                                            ShardHost ◀──control (MessagePort)──▶ shard worker
 *                                                                                  RingStore.fold
 *   api query ──▶ Engine.series ──request──▶ worker drains, copies the ring ──reply──▶ response
 */
import type { Logger } from 'pino';
import type { Config, ConfigSource, ConfigVersion } from '../config/index.js';
import { RingGeometry } from './ring/layout.js';
import { EventGuard, type RowEvent } from './intake/event-guard.js';
import { Intake, type IntakeCounters } from './intake/intake.js';
import type { IngestResult } from './intake/ingest-result.js';
import { IngestStage } from './intake/ingest-stage.js';
import type { ColumnarEvents } from './intake/columnar-frame.js';
import type { SellerTableMemo } from './intake/seller-table-memo.js';
import { SellerDirectory, kNoLocation, shardOfLocation, slotOfLocation, type TenantSellers } from './router/seller-directory.js';
import { ShardHost } from './shard/shard-host.js';
import type { SeriesReply, StatsReply, GcWatchReply } from './shard/messages.js';
import { readSeries, type SeriesResult } from './query/series.js';
import { AckGate } from './durability/ack-gate.js';
import { ResultCache, type Cached } from './cache/result-cache.js';
import type { AnalysisReport, AnalysisRequest } from './analysis/run-analysis.js';

export { IngestResult } from './intake/ingest-result.js';
export { SellerTableMemo } from './intake/seller-table-memo.js';
export { EventStatus, problemOf, kEventStatusNames } from './intake/event-status.js';
export type { ColumnarEvents } from './intake/columnar-frame.js';
export type { SeriesResult } from './query/series.js';
export type { AnalysisReport, AnalysisRequest, AnalysisKind } from './analysis/run-analysis.js';

export interface SnapshotCounters {
  completed: number;
  sellers: number;
}

/** What the engine needs from the persistence layer (engine/durability/persistence.ts). */
export interface Durability {
  directoryDurable(): Promise<unknown>;
  snapshot(full: boolean): Promise<void>;
  /** Snapshots committed since start and the sellers they stored. */
  readonly snapshots: SnapshotCounters;
  restore(): Promise<unknown>;
  startLogs(): Promise<void>;
}

export class Engine {
  readonly configSource: ConfigSource;
  readonly geometry: RingGeometry;
  guard: EventGuard;
  directory: SellerDirectory;
  shards: ShardHost[];
  #stage: IngestStage;
  readonly log: Logger;
  readonly intake: Intake;
  readonly results: ResultCache<AnalysisReport>;
  ackGate: AckGate;
  /** While sellers move to a new shard layout: intake refuses (retry later), queries wait. */
  #resharding: Promise<void> | null = null;
  /** Set by the server when a store is attached (durable directory, snapshots, logs). */
  durability: Durability | null = null;

  constructor(configSource: ConfigSource, log: Logger) {
    this.configSource = configSource;
    const config = configSource.current().config;
    this.log = log;
    this.geometry = new RingGeometry(config);
    this.directory = new SellerDirectory(config.shards, config.shard.maxSellersPerShard);
    this.guard = new EventGuard(config, this.geometry.longestWindowMs, undefined, this.directory);
    this.ackGate = new AckGate(config.shards);
    this.shards = this.#makeShards(config.shards);
    this.results = new ResultCache<AnalysisReport>({
      enabled: () => this.config.cache.enabled,
      beta: config.cache.beta,
      maxEntries: config.cache.maxEntries,
      // no silent recomputation: every one is counted (metrics) and logged
      onRecompute: (e) => log.info({ kind: e.kind, reason: e.reason, durationMs: e.durationMs }, 'analysis recomputed'),
    });
    // batches and frames are bounded by one queue's capacity (schema), whatever limits a later version sets
    this.#stage = new IngestStage(config.queue.capacity, config.shards, config.events.eventIdMemory);
    this.intake = new Intake(config.queue.capacity);
    configSource.subscribe((version) => this.#switchConfig(version));
  }

  /** The config version in force. */
  get config(): Readonly<Config> {
    return this.configSource.current().config;
  }

  get configVersion(): number {
    return this.configSource.current().id;
  }

  /** A new version is in force: rebuild what captured the old one, and switch every worker. */
  #makeShards(count: number): ShardHost[] {
    const gate = this.ackGate;
    const hosts = Array.from({ length: count }, (_, i) => new ShardHost(i, () => this.configSource.current(), this.log, (upTo) => gate.durable(i, upTo)));
    this.onShards(hosts);
    return hosts;
  }

  /** Runs before resharding moves sellers to new slots (the rollup sketches are flushed first). */
  beforeReshard: () => Promise<void> = () => Promise.resolve();

  /** Told of every new set of shard hosts (the persistence layer attaches crash recovery). */
  onShards: (hosts: readonly ShardHost[]) => void = () => {};

  async #switchConfig(version: ConfigVersion): Promise<void> {
    if (version.config.shards !== this.shards.length) await this.#reshard(version.config.shards);
    this.guard = new EventGuard(version.config, this.geometry.longestWindowMs, this.guard.strip, this.directory);
    // every worker must take the version: bounded like a drain, not by the (possibly just lowered) query timeout
    const timeoutMs = version.config.shard.drainTimeoutMs;
    await Promise.all(this.shards.map((s) => s.request({ op: 'config', version: version.id, config: version.config }, timeoutMs)));
    this.log.info({ configVersion: version.id }, 'config version in force on every shard');
  }

  /**
   * Live resharding: intake pauses (calls are refused with retryAfterMs, so producers re-send and
   * nothing is lost or doubled), every seller's rings are snapshotted, the old shards stop, and the
   * new ones are filled from the snapshot with each seller on the shard its hash now picks.
   */
  async #reshard(count: number): Promise<void> {
    const durability = this.durability;
    if (durability === null) throw new Error('resharding needs the store');
    let done!: () => void;
    this.#resharding = new Promise<void>((resolve) => (done = resolve));
    const from = this.shards.length;
    const started = Date.now();
    try {
      await this.beforeReshard();
      await durability.snapshot(true);
      await Promise.all(this.shards.map((s) => s.stop()));
      const config = this.config;
      this.ackGate = new AckGate(count);
      this.shards = this.#makeShards(count);
      // the guard still knows the old directory; #switchConfig rebuilds it right after (intake is refused until then)
      this.directory = new SellerDirectory(count, config.shard.maxSellersPerShard);
      this.#stage = new IngestStage(config.queue.capacity, count, config.events.eventIdMemory);
      await this.start();
      await durability.restore();
      await durability.startLogs();
      this.log.info({ from, to: count, sellers: this.directory.size, ms: Date.now() - started }, 'resharded');
    } finally {
      this.#resharding = null;
      done();
    }
  }

  async start(): Promise<void> {
    await Promise.all(this.shards.map((s) => s.start()));
  }

  /** One tenant's sellers in the current directory (look it up per call: resharding replaces the directory). */
  sellersOf(tenantId: string): TenantSellers {
    return this.directory.tenant(tenantId);
  }

  /** Row events (decoded JSON/msgpack objects) of one tenant. Fills `result`; the call is taken whole or refused. */
  ingestEvents(tenantId: string, events: readonly unknown[], nowMs: number, result: IngestResult): void {
    if (this.#resharding !== null) return result.refuse();
    this.intake.ingestEvents(this, this.directory.tenant(tenantId), events, false, events.length, nowMs, result);
  }

  /** The first `count` events read from a rows frame's bytes (api/row-frame-reader), as ingestEvents. */
  ingestRowEvents(tenantId: string, events: readonly RowEvent[], count: number, nowMs: number, result: IngestResult): void {
    if (this.#resharding !== null) return result.refuse();
    this.intake.ingestEvents(this, this.directory.tenant(tenantId), events, true, count, nowMs, result);
  }

  /**
   * Columnar events of one tenant: sellers and types are checked once per frame, numbers per event.
   * `memo`: the producer's last resolved seller table (one per connection), skipping the directory
   * lookups while the producer repeats its table.
   */
  ingestColumnar(tenantId: string, cols: ColumnarEvents, nowMs: number, result: IngestResult, memo: SellerTableMemo | null = null): void {
    if (this.#resharding !== null) return result.refuse();
    this.intake.ingestColumnar(this, this.directory.tenant(tenantId), cols, nowMs, result, memo);
  }

  /** Called by the durable directory when a call introduced a seller. */
  noteNewSeller(): void {
    this.intake.noteNewSeller();
  }

  get counters(): IntakeCounters {
    return this.intake.counters;
  }

  get stage(): IngestStage {
    return this.#stage;
  }

  /**
   * In wal mode, resolves once everything `result` took is in the shards' synced logs (and its new
   * sellers in the stored directory); null when the ack may go now (snapshot mode, nothing taken).
   * Reads `result` synchronously: the caller may reuse it right after.
   */
  whenDurable(result: IngestResult): Promise<unknown> | null {
    if (this.durability === null || this.config.durability.mode !== 'wal' || result.queueFull) return null;
    const waits: Promise<unknown>[] = [];
    for (let s = 0; s < this.shards.length; s++) {
      if (result.touched[s] === 1) waits.push(this.ackGate.wait(s, result.queueTargets[s]));
    }
    if (result.newSellers) waits.push(this.durability.directoryDurable());
    return waits.length === 0 ? null : Promise.all(waits);
  }

  /** In wal mode: resolves once everything queued so far is durable (null in snapshot mode). */
  whenAllDurable(): Promise<unknown> | null {
    if (this.durability === null || this.config.durability.mode !== 'wal') return null;
    return Promise.all([...this.shards.map((s, i) => this.ackGate.wait(i, s.producer.tail)), this.durability.directoryDurable()]);
  }

  /**
   * Restore: queues one logged record. Synchronous; returns false (nothing written) when the shard's
   * queue is full — then publish, drain and try again.
   */
  tryEnqueueRecovered(location: number, type: number, timestamp: number, units: number): boolean {
    const producer = this.shards[shardOfLocation(location)].producer;
    if (producer.free() === 0) return false;
    producer.write(timestamp, units, slotOfLocation(location), type);
    return true;
  }

  publishRecovered(): void {
    for (const s of this.shards) s.producer.publish();
  }

  /** Reads one ring of a seller (by seller key); undefined when the seller is unknown. */
  async series(sellerKey: string, type: number, resolution: number): Promise<SeriesResult | undefined> {
    if (this.#resharding !== null) await this.#resharding;
    const location = this.directory.find(sellerKey);
    if (location === kNoLocation) return undefined;
    const shard = this.shards[shardOfLocation(location)];
    const reply = await shard.request<SeriesReply>({ op: 'series', slot: slotOfLocation(location), type, resolution });
    return readSeries(this.geometry, this.config, resolution, reply);
  }

  /**
   * An analysis of one seller through the result cache: fresh when the cache says so (XFetch),
   * otherwise the cached report with its lastComputedAt. undefined when the seller is unknown.
   */
  async analyse(sellerKey: string, req: Omit<AnalysisRequest, 'slot'>): Promise<Cached<AnalysisReport> | undefined> {
    if (this.#resharding !== null) await this.#resharding;
    if (this.directory.find(sellerKey) === kNoLocation) return undefined;
    const version = this.configVersion;
    const key = `${version}|${req.kind}|${sellerKey}|${req.type}|${req.resolution}|${req.metric}|${req.horizon}|${req.from}|${req.to}`;
    const cached = await this.results.get(req.kind, key, async () => {
      const location = this.directory.find(sellerKey);
      const shard = this.shards[shardOfLocation(location)];
      const report = await shard.request<AnalysisReport>({ op: 'analyse', ...req, slot: slotOfLocation(location) });
      return { value: report, ttlMs: report.tier.ttlMs };
    });
    return cached;
  }

  /**
   * Waits until every event queued so far is folded — as long as the backlog takes (a queue of new
   * sellers: seconds), so bounded by shard.drainTimeoutMs like the drain at stop, not the query timeout.
   */
  async drain(): Promise<void> {
    const timeoutMs = this.config.shard.drainTimeoutMs;
    await Promise.all(this.shards.map((s) => s.request<number>({ op: 'drain' }, timeoutMs)));
  }

  async stats(): Promise<StatsReply[]> {
    return Promise.all(this.shards.map((s) => s.request<StatsReply>({ op: 'stats' })));
  }

  /** Folds everything queued and stops every shard; returns the events each worker folded in its life. */
  async stop(): Promise<number[]> {
    return Promise.all(this.shards.map((s) => s.stop()));
  }

  /** Starts counting garbage collections in every shard worker (evidence for allocation-free folding). */
  async gcWatchStart(): Promise<void> {
    await Promise.all(this.shards.map((s) => s.request({ op: 'gcWatchStart' })));
  }

  async gcWatchStop(): Promise<GcWatchReply[]> {
    return Promise.all(this.shards.map((s) => s.request<GcWatchReply>({ op: 'gcWatchStop' })));
  }
}
