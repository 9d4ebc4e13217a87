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
 * A crash between a snapshot commit and the log deletion is harmless: logs of generations the
 * layout record says are covered, or of older epochs, are skipped at the next start.
 */
import type { Logger } from 'pino';
import { readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config/index.js';
import type { Store } from '../store/store.js';
import { kMetaLayout, encodeRingSnapshot, decodeRingSnapshot, type LayoutRecord } from '../store/schema.js';
import type { Engine } from '../index.js';
import type { SnapshotReply } from '../shard/messages.js';
import { walFiles } from './wal-writer.js';
import { shardOfLocation, slotOfLocation, kShardStride } from '../router/seller-directory.js';
import { kRecordBytes, kRecordF64, kRecordU32, kSlotU32, kTypeU32, kTimestampF64, kUnitsF64 } from '../queue/layout.js';

const kMsPerDay = 86_400_000;
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

  readonly #now: () => number;

  constructor(store: Store, engine: Engine, log: Logger, now: () => number = Date.now) {
    this.#store = store;
    this.#engine = engine;
    this.#now = now;
    this.#log = log.child({ component: 'persistence' });
    this.walDir = join(engine.config.dataDir, 'wal');
    this.#recordSeller = (id, location) => {
      this.#lastDirectoryWrite = this.#store.directory.put(id, { location, expiresAt: this.#now() + this.#retentionMs() });
      engine.noteNewSeller();
    };
    engine.directory.onAssign = this.#recordSeller;
  }

  #retentionMs(): number {
    const r = this.#engine.config.retention;
    return r.periodsDays[r.defaultTier] * kMsPerDay;
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
      engine.directory.onAssign = (id, location) => directoryWrites.push(this.#store.directory.put(id, { location, expiresAt: this.#now() + this.#retentionMs() }));
      for (const ids of oldIds) for (const id of ids) if (id !== undefined) engine.directory.locate(id);
    }
    await this.#importSnapshots(report);
    if (previous) await this.#replayLogs(previous, oldIds, report);
    await Promise.all(directoryWrites);
    engine.directory.onAssign = this.#recordSeller;
    this.#layout = { epoch: report.epoch, shards: engine.shards.length, signature, generations: engine.shards.map(() => 0) };
    await this.snapshot(true);
    for (const f of walFiles(this.walDir)) if (f.epoch !== report.epoch) unlinkSync(f.path);
    this.#log.info({ ...report }, 'ring state restored');
    return report;
  }

  async #importSnapshots(report: RestoreReport): Promise<void> {
    const engine = this.#engine;
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
      const snap = decodeRingSnapshot(value);
      batches[shard].slots.push(slotOfLocation(location));
      batches[shard].blobs.push(snap);
      report.snapshots++;
      if (batches[shard].slots.length >= kImportBatch) await flush(shard);
    }
    await Promise.all(engine.shards.map((_, s) => flush(s)));
  }

  /** Re-routes the logged records written after the snapshots through the saved directory. */
  async #replayLogs(previous: LayoutRecord, oldIds: string[][], report: RestoreReport): Promise<void> {
    const engine = this.#engine;
    for (const f of walFiles(this.walDir)) {
      if (f.epoch !== previous.epoch || f.generation < (previous.generations[f.shard] ?? 0)) continue;
      const bytes = readFileSync(f.path);
      const whole = Math.floor(bytes.byteLength / kRecordBytes); // a torn last record was never acked
      const aligned = new Uint8Array(whole * kRecordBytes);
      aligned.set(bytes.subarray(0, aligned.byteLength));
      const f64 = new Float64Array(aligned.buffer);
      const u32 = new Uint32Array(aligned.buffer);
      for (let i = 0; i < whole; i++) {
        const id = oldIds[f.shard]?.[u32[i * kRecordU32 + kSlotU32]];
        if (id === undefined) {
          report.skippedRecords++;
          continue;
        }
        const location = engine.directory.find(id);
        await engine.enqueueRecovered(location, u32[i * kRecordU32 + kTypeU32], f64[i * kRecordF64 + kTimestampF64], f64[i * kRecordF64 + kUnitsF64]);
        report.replayedEvents++;
      }
    }
    engine.publishRecovered();
    await engine.drain();
  }

  /** Exports dirty (or all) sellers of every shard and commits them with the directory and layout. */
  snapshot(full = false): Promise<void> {
    const run = (this.#snapshotting ?? Promise.resolve()).then(() => this.#snapshotOnce(full));
    this.#snapshotting = run.catch(() => undefined);
    return run;
  }

  async #snapshotOnce(full: boolean): Promise<void> {
    const engine = this.#engine;
    const layout = this.#layout;
    if (!layout) return;
    const replies = await Promise.all(engine.shards.map((s) => s.request<SnapshotReply>({ op: 'snapshot', full })));
    await this.#lastDirectoryWrite;
    const retentionMs = this.#retentionMs();
    const g = engine.geometry;
    let sellers = 0;
    await this.#store.root.transaction(() => {
      replies.forEach((reply, shard) => {
        reply.slots.forEach((slot, i) => {
          const id = engine.directory.idAt(shard, slot);
          if (id === undefined) return;
          const snap = reply.data.subarray(reply.offsets[i], reply.offsets[i + 1]);
          let newest = 0;
          for (let r = 0; r < g.resolutionCount; r++) newest = Math.max(newest, (snap[2 + r] + 1) * g.bucketMs[r]);
          const expiresAt = newest + retentionMs;
          this.#store.ringSnapshots.put(id, encodeRingSnapshot(expiresAt, snap));
          this.#store.directory.put(id, { location: shard * kShardStride + slot, expiresAt });
          sellers++;
        });
        layout.generations[shard] = reply.generation;
      });
      this.#store.meta.put(kMetaLayout, layout);
    });
    await Promise.all(engine.shards.map((s, i) => s.request({ op: 'walDeleteBelow', generation: replies[i].generation })));
    this.#log.debug({ sellers, full }, 'snapshot committed');
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
      this.snapshot().catch((err) => this.#log.error({ err }, 'snapshot failed'));
    }, every);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.snapshot();
  }
}
