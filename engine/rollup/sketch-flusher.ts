/**
 * Moves the shard workers' value sketches into the store (issue 7): every `rollup.flushMs`, before
 * a rollup query and before resharding, each worker hands over what it sketched since the last time
 * (engine/rollup/live-sketches.ts) and the deltas are merged — sketches merge exactly — into the
 * stored sketch of their seller, event type and hour. One flush at a time; callers join a running one.
 */
import type { Logger } from 'pino';
import type { Engine } from '../index.js';
import type { Store } from '../store/store.js';
import type { SketchDelta, SketchFlushSlice } from './live-sketches.js';
import { QuantileSketch } from './quantile-sketch.js';
import { kMsPerDay } from '../time-units.js';


export class SketchFlusher {
  readonly #engine: Engine;
  readonly #store: Store;
  readonly #log: Logger;
  #running: Promise<number> | null = null;
  /** Whether the flush in #running drained the queues first. */
  #runningDrains = false;
  #timer: NodeJS.Timeout | null = null;
  /** The two sketches every delta's merge reads into (QuantileSketch.deserialize's `into`). */
  #deltaSketch: QuantileSketch | undefined;
  #storedSketch: QuantileSketch | undefined;
  merged = 0;

  constructor(engine: Engine, store: Store, log: Logger) {
    this.#engine = engine;
    this.#store = store;
    this.#log = log.child({ component: 'rollup' });
  }

  start(): void {
    this.#timer = setInterval(() => {
      this.flush(false).catch((err: unknown) => this.#log.error({ err }, 'sketch flush failed'));
    }, this.#engine.config.rollup.flushMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.flush();
  }

  /**
   * Flushes every shard; resolves with the number of deltas merged. `drain` (rollup queries, resharding,
   * shutdown): everything queued before the call is in it — a caller never joins a periodic flush,
   * which hands over only what the workers have folded so far.
   */
  flush(drain = true): Promise<number> {
    if (this.#running !== null && (this.#runningDrains || !drain)) return this.#running;
    const run = (this.#running ?? Promise.resolve(0)).catch(() => 0).then(() => this.#flushAll(drain));
    this.#running = run;
    this.#runningDrains = drain;
    void run.finally(() => {
      if (this.#running === run) this.#running = null;
    }).catch(() => undefined);
    return run;
  }

  async #flushAll(drain: boolean): Promise<number> {
    const counts = await Promise.all(this.#engine.shards.map((_, shard) => this.#flushShard(shard, drain)));
    const n = counts.reduce((a, b) => a + b, 0);
    this.merged += n;
    return n;
  }

  /**
   * One shard's flush, in slices of about rollup.flushSliceDeltas deltas: between slices the worker folds
   * and answers queries (a flush of a thousand busy sellers in one piece held a worker 20–45 ms). Only the
   * first slice drains: what was queued before the call is then in the sketches the slices hand over.
   */
  async #flushShard(shard: number, drain: boolean): Promise<number> {
    const engine = this.#engine;
    let n = 0;
    let fromSlot = 0;
    do {
      const slice = await engine.shards[shard].request<SketchFlushSlice>({
        op: 'sketchFlush', drain: drain && fromSlot === 0, fromSlot, maxDeltas: engine.config.rollup.flushSliceDeltas,
      });
      n += await this.#merge(shard, slice.deltas);
      fromSlot = slice.nextSlot;
    } while (fromSlot >= 0);
    return n;
  }

  /** Merges one slice's deltas into the stored sketches; returns how many it merged. */
  async #merge(shard: number, deltas: SketchDelta[]): Promise<number> {
    const engine = this.#engine;
    let n = 0;
    const config = engine.config;
    const hourMs = config.rollup.granularities.hourly;
    const retentionMs = config.rollup.retentionDays * kMsPerDay;
    const merge = (d: SketchDelta) => {
      const key = engine.directory.idAt(shard, d.slot);
      if (key === undefined) return;
      const type = config.events.types[d.type].name;
      const storeKey = [key, type, d.hour * hourMs];
      const sketch = (this.#deltaSketch = QuantileSketch.deserialize(d.bytes, this.#deltaSketch));
      const stored = this.#store.rollupSketches.get(storeKey);
      if (stored !== undefined) sketch.merge((this.#storedSketch = QuantileSketch.deserialize(stored.bytes, this.#storedSketch)));
      void this.#store.rollupSketches.put(storeKey, { expiresAt: (d.hour + 1) * hourMs + retentionMs, bytes: sketch.serialize() });
      n++;
    };
    // in transactions of rollup.flushChunk deltas: a delta's read-merge-write is atomic, and the main
    // thread is free between transactions (thousands of sellers' deltas in one would hold it for long)
    for (let from = 0; from < deltas.length; from += config.rollup.flushChunk) {
      await this.#store.root.transaction(() => {
        for (let i = from; i < Math.min(deltas.length, from + config.rollup.flushChunk); i++) merge(deltas[i]);
      });
    }
    return n;
  }
}
