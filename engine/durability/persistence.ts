/**
 * Durable ring state (DESIGN §1, issue "store"): the seller directory and incremental ring
 * snapshots in LMDB, plus — in wal mode — the shards' write-ahead logs.
 *
 *   start:   restore (snapshots → shards, then the logs written after them, re-routed through the
 *            saved directory) → full snapshot under a new epoch → old logs deleted → logs on
 *   running: every snapshotIntervalMs, each shard exports its dirty sellers and rotates its log;
 *            blobs + directory + layout are written in one transaction, then older logs deleted
 *   stop:    a last snapshot after the queues are drained
 *
 * Each stored blob names the log generation it was taken at, so a restore replays for each seller
 * only the records its blob does not hold: blobs can be written in several transactions, and a
 * crash between them, or before the old logs are deleted, neither loses nor doubles an event.
 */
import type { Logger } from 'pino';
import { unlinkSync } from 'node:fs';
import { readLogRecords } from './log-replay.js';
import { join } from 'node:path';
import type { Config } from '../../config/index.js';
import type { Store } from '../store/store.js';
import { kMetaLayout, kSnapshotHeaderF64, sealRingSnapshot, decodeRingSnapshot, ringSnapshotHeader, type LayoutRecord, type TierName } from '../store/schema.js';
import type { Engine, SnapshotCounters } from '../index.js';
import type { SnapshotReply } from '../shard/messages.js';
import { walFiles } from './wal-writer.js';
import { shardOfLocation, slotOfLocation, kShardStride } from '../router/seller-directory.js';
import { kRecordF64, kRecordU32, kSlotU32, kTypeU32, kTimestampF64, kUnitsF64 } from '../queue/layout.js';
import { kMsPerDay } from '../time-units.js';

const kImportBatch = 512;

export interface RestoreReport {
  sellers: number;
  snapshots: number;
  replayedEvents: number;
  /** Logged records whose seller never reached the directory: never acknowledged, so not counted. */
  skippedRecords: number;
  epoch: number;
}

export class LayoutMismatchError extends Error {}

export class Persistence {
  readonly #store: Store;
  readonly #engine: Engine;
  readonly #log: Logger;
  readonly walDir: string;
  #layout: LayoutRecord | undefined;
  #timer: NodeJS.Timeout | undefined;
  #snapshotting: Promise<void> | undefined;
  #lastDirectoryWrite: Promise<unknown> = Promise.resolve();
  readonly #recordSeller: (id: string, location: number) => void;
  readonly snapshots: SnapshotCounters = { completed: 0, sellers: 0 };

  readonly #now: () => number;

  constructor(store: Store, engine: Engine, log: Logger, now: () => number = Date.now) {
    this.#store = store;
    this.#engine = engine;
    this.#now = now;
    this.#log = log.child({ component: 'persistence' });
    this.walDir = join(engine.config.dataDir, 'wal');
    this.#recordSeller = (id, location) => {
      this.#lastDirectoryWrite = this.#store.directory.put(id, { location, expiresAt: this.#now() + this.#retentionMs(id) });
      engine.noteNewSeller();
    };
    engine.directory.onAssign = this.#recordSeller;
    engine.onShards = (hosts) => {
      for (const h of hosts) h.recover = (shard) => this.recoverShard(shard);
    };
    engine.onShards(engine.shards);
  }

  /** The tier whose retention period a seller's records get (its tenant's; set by the server). */
  tierOf: (sellerKey: string) => TierName | undefined = () => undefined;

  #retentionMs(sellerKey: string): number {
    const r = this.#engine.config.retention;
    return r.periodsDays[this.tierOf(sellerKey) ?? r.defaultTier] * kMsPerDay;
  }

  get mode(): Config['durability']['mode'] {
    return this.#engine.config.durability.mode;
  }

  /** Resolves once every directory entry written so far is committed. */
  directoryDurable(): Promise<unknown> {
    return this.#lastDirectoryWrite;
  }

  async restore(): Promise<RestoreReport> {
    const engine = this.#engine;
    const previous = this.#store.meta.get(kMetaLayout) as LayoutRecord | undefined;
    const signature = engine.geometry.signature();
    if (previous && previous.signature !== signature) {
      throw new LayoutMismatchError(
        `the data in ${engine.config.dataDir} was written with another ring layout (event types or resolutions); ` +
        'start with that configuration, or move the data dir away to start empty');
    }
    const report: RestoreReport = { sellers: 0, snapshots: 0, replayedEvents: 0, skippedRecords: 0, epoch: (previous?.epoch ?? 0) + 1 };
    const oldIds: string[][] = Array.from({ length: previous?.shards ?? 0 }, () => []);
    const sameShards = previous?.shards === engine.shards.length;
    for (const { key, value } of this.#store.directory.getRange()) {
      oldIds[shardOfLocation(value.location)][slotOfLocation(value.location)] = key;
      if (sameShards) engine.directory.restore(key, value.location);
      report.sellers++;
    }
    const directoryWrites: Promise<unknown>[] = [];
    if (!sameShards) {
      // resharded since the data was written: every seller gets a location in the new layout
      engine.directory.onAssign = (id, location) => directoryWrites.push(this.#store.directory.put(id, { location, expiresAt: this.#now() + this.#retentionMs(id) }));
      for (const ids of oldIds) for (const id of ids) if (id !== undefined) engine.directory.locate(id);
    }
    const covered = await this.#importSnapshots(report, previous?.epoch ?? -1);
    if (previous) await this.#replayLogs(previous, oldIds, covered, report);
    await Promise.all(directoryWrites);
    engine.directory.onAssign = this.#recordSeller;
    this.#layout = { epoch: report.epoch, shards: engine.shards.length, signature, generations: engine.shards.map(() => 0) };
    await this.snapshot(true);
    for (const f of walFiles(this.walDir)) if (f.epoch !== report.epoch) unlinkSync(f.path);
    this.#log.info({ ...report }, 'ring state restored');
    return report;
  }

  /** Loads every stored snapshot into its shard; returns, per seller, the log generation it covers up to. */
  async #importSnapshots(report: RestoreReport, epoch: number): Promise<Map<string, number>> {
    const engine = this.#engine;
    const covered = new Map<string, number>();
    const batches = engine.shards.map(() => ({ slots: [] as number[], blobs: [] as Float64Array[] }));
    const flush = async (shard: number) => {
      const b = batches[shard];
      if (b.slots.length === 0) return;
      await engine.shards[shard].request({ op: 'import', slots: b.slots, blobs: b.blobs });
      batches[shard] = { slots: [], blobs: [] };
    };
    for (const { key, value } of this.#store.ringSnapshots.getRange()) {
      const location = engine.directory.find(key);
      if (location < 0) continue;
      const shard = shardOfLocation(location);
      const header = ringSnapshotHeader(value);
      if (header.epoch === epoch) covered.set(key, header.generation);
      batches[shard].slots.push(slotOfLocation(location));
      batches[shard].blobs.push(decodeRingSnapshot(value));
      report.snapshots++;
      if (batches[shard].slots.length >= kImportBatch) await flush(shard);
    }
    await Promise.all(engine.shards.map((_, s) => flush(s)));
    return covered;
  }

  /** Re-routes the logged records written after the snapshots through the saved directory. */
  async #replayLogs(previous: LayoutRecord, oldIds: string[][], covered: Map<string, number>, report: RestoreReport): Promise<void> {
    const engine = this.#engine;
    for (const f of walFiles(this.walDir)) {
      if (f.epoch !== previous.epoch || f.generation < (previous.generations[f.shard] ?? 0)) continue;
      const { f64, u32, count: whole } = readLogRecords(f.path);
      for (let i = 0; i < whole; i++) {
        const id = oldIds[f.shard]?.[u32[i * kRecordU32 + kSlotU32]];
        if (id === undefined) {
          report.skippedRecords++;
          continue;
        }
        // this seller's snapshot was taken after this generation began: its records are in it
        if (f.generation < (covered.get(id) ?? 0)) continue;
        const location = engine.directory.find(id);
        while (!engine.tryEnqueueRecovered(location, u32[i * kRecordU32 + kTypeU32], f64[i * kRecordF64 + kTimestampF64], f64[i * kRecordF64 + kUnitsF64])) {
          engine.publishRecovered();
          await engine.drain();
        }
        report.replayedEvents++;
      }
    }
    engine.publishRecovered();
    await engine.drain();
  }

  /**
   * A shard worker crashed and restarted paused: put its sellers' stored rings back (snapshots,
   * then — wal mode — the worker folds its own log generations written after them, without logging
   * them again), then resume it. Live events queued meanwhile are folded after that, and logged.
   * The next snapshot covers the recovered rings and retires the old generations.
   */
  async recoverShard(shard: number): Promise<void> {
    const engine = this.#engine;
    const host = engine.shards[shard];
    const layout = this.#layout;
    if (layout) {
      const slots: number[] = [];
      const blobs: Float64Array[] = [];
      const slotMinGeneration = new Int32Array(engine.directory.sellersOnShard(shard));
      for (const { key, value } of this.#store.ringSnapshots.getRange()) {
        const location = engine.directory.find(key);
        if (location < 0 || shardOfLocation(location) !== shard) continue;
        const slot = slotOfLocation(location);
        const header = ringSnapshotHeader(value);
        if (header.epoch === layout.epoch && slot < slotMinGeneration.length) slotMinGeneration[slot] = header.generation;
        slots.push(slot);
        blobs.push(decodeRingSnapshot(value));
      }
      for (let i = 0; i < slots.length; i += kImportBatch) {
        await host.requestNow({ op: 'import', slots: slots.slice(i, i + kImportBatch), blobs: blobs.slice(i, i + kImportBatch) });
      }
      const files = walFiles(this.walDir)
        .filter((f) => f.epoch === layout.epoch && f.shard === shard && f.generation >= layout.generations[shard])
        .map((f) => ({ path: f.path, generation: f.generation }));
      const replayed = files.length === 0 ? 0 : await host.requestNow<number>({ op: 'replayLogs', files, slotMinGeneration });
      this.#log.warn({ shard, snapshots: slots.length, replayed }, 'restarted shard: rings recovered from the store');
    }
    await host.requestNow({ op: 'resume' });
  }

  /** Exports dirty (or all) sellers of every shard and commits them with the directory and layout. */
  /**
   * `periodic` in wal mode: the timer's snapshot takes what the workers have folded (the rest of their
   * queues is in the next log generation); in snapshot mode, and for every other caller (start-up,
   * resharding, shutdown), a slice drains the queue first — without a log, a frame half folded into a
   * snapshot would be half lost after a crash.
   */
  snapshot(full = false, periodic = false): Promise<void> {
    const run = (this.#snapshotting ?? Promise.resolve()).then(() => this.#snapshotOnce(full, periodic));
    this.#snapshotting = run.catch(() => undefined);
    return run;
  }

  async #snapshotOnce(full: boolean, periodic: boolean): Promise<void> {
    const engine = this.#engine;
    const layout = this.#layout;
    if (!layout) return;
    // without a log (snapshot mode) a frame half folded into a snapshot would be half lost after a crash
    const drain = !periodic || this.mode === 'snapshot';
    const counts = await Promise.all(engine.shards.map((_, shard) => this.#snapshotShard(shard, full, drain, layout)));
    // every seller of a shard is now stored at its first slice's generation or later: older logs may go
    await this.#store.root.transaction(() => {
      counts.forEach((c, shard) => (layout.generations[shard] = c.firstGeneration));
      this.#store.meta.put(kMetaLayout, layout);
    });
    await Promise.all(engine.shards.map((s, i) => s.request({ op: 'walDeleteBelow', generation: counts[i].firstGeneration })));
    const sellers = counts.reduce((n, c) => n + c.sellers, 0);
    this.snapshots.completed++;
    this.snapshots.sellers += sellers;
    this.#log.debug({ sellers, full }, 'snapshot committed');
  }

  /**
   * One shard's snapshot, slice by slice (about durability.snapshotSliceBytes each, all at once
   * when full): between slices the worker folds and answers queries, and between write transactions
   * (durability.snapshotWriteMs each) the main thread serves requests. Each blob is labelled with
   * its own slice's log generation, so a restore replays exactly what it lacks.
   */
  async #snapshotShard(shard: number, full: boolean, drain: boolean, layout: LayoutRecord): Promise<{ firstGeneration: number; sellers: number }> {
    const engine = this.#engine;
    const d = engine.config.durability;
    let firstGeneration = -1;
    let sellers = 0;
    let fromSlot = 0;
    do {
      const reply = await engine.shards[shard].request<SnapshotReply>({
        op: 'snapshot', full, drain, fromSlot, maxF64: full ? Infinity : d.snapshotSliceBytes / Float64Array.BYTES_PER_ELEMENT, headerF64: kSnapshotHeaderF64,
      });
      if (firstGeneration < 0) firstGeneration = reply.generation;
      await this.#lastDirectoryWrite;
      sellers += await this.#writeSlice(reply, shard, full ? Infinity : d.snapshotWriteMs, layout);
      fromSlot = reply.nextSlot;
    } while (fromSlot >= 0);
    return { firstGeneration, sellers };
  }

  /** Stores one slice's blobs in transactions of about `budgetMs` each; returns how many sellers it stored. */
  async #writeSlice(reply: SnapshotReply, shard: number, budgetMs: number, layout: LayoutRecord): Promise<number> {
    const engine = this.#engine;
    const g = engine.geometry;
    let sellers = 0;
    const write = (i: number): void => {
      const slot = reply.slots[i];
      const id = engine.directory.idAt(shard, slot);
      if (id === undefined) return;
      const at = reply.offsets[i];
      const end = reply.offsets[i + 1];
      let newest = 0;
      for (let r = 0; r < g.resolutionCount; r++) newest = Math.max(newest, (reply.data[at + kSnapshotHeaderF64 + 2 + r] + 1) * g.bucketMs[r]);
      const header = { expiresAt: newest + this.#retentionMs(id), epoch: layout.epoch, generation: reply.generation };
      this.#store.ringSnapshots.put(id, sealRingSnapshot(header, reply.data, at, end));
      this.#store.directory.put(id, { location: shard * kShardStride + slot, expiresAt: header.expiresAt });
      sellers++;
    };
    for (let i = 0; i < reply.slots.length;) {
      await this.#store.root.transaction(() => {
        const until = performance.now() + budgetMs;
        do write(i++);
        while (i < reply.slots.length && performance.now() < until);
      });
    }
    return sellers;
  }

  /** Switches the shards' logs on (wal mode) once the restored state is safely snapshotted. */
  async startLogs(): Promise<void> {
    if (this.mode !== 'wal' || !this.#layout) return;
    const epoch = this.#layout.epoch;
    await Promise.all(this.#engine.shards.map((s) => s.request({ op: 'walStart', dir: this.walDir, epoch })));
  }

  startTimer(): void {
    const every = this.#engine.config.durability.snapshotIntervalMs;
    this.#timer = setInterval(() => {
      this.snapshot(false, true).catch((err) => this.#log.error({ err }, 'snapshot failed'));
    }, every);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.snapshot();
  }
}
