/**
 * Shard worker entry. One synchronous loop: fold queued records into the rings, answer control
 * requests between batches, park in Atomics.wait when the queue is empty. No postMessage per event
 * or per frame; replies only to requests.
 */
import { workerData, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { GCProfiler, getHeapStatistics } from 'node:v8';
import type { Config } from '../../config/index.js';
import { RingGeometry } from '../ring/layout.js';
import { RingStore } from '../ring/ring-store.js';
import { FoldAhead } from '../ring/fold-ahead.js';
import { QueueConsumer } from '../queue/spsc-queue.js';
import type { ShardRequest, ShardReply, ShardWorkerData, SeriesReply, StatsReply, GcWatchReply, SnapshotReply } from './messages.js';
import { kReadyMessage, drainsQueue } from './messages.js';
import { WorkerWal } from './worker-wal.js';
import { exportSlice, importSlot } from '../ring/ring-snapshot.js';
import { runAnalysis } from '../analysis/run-analysis.js';
import { replayLogFile } from '../durability/log-replay.js';
import { loadDsp } from '../../dsp-wasm/host/index.js';
import type { DspKernels } from '../../dsp-wasm/host/types.js';
import { LiveSketches, type SketchFlushSlice } from '../rollup/live-sketches.js';
import { RequestPriorityWorker } from './request-priority.js';

const data = workerData as ShardWorkerData & { port: MessagePort };
let config = data.config as Readonly<Config>;
let configVersion = data.configVersion;
/** Folds at shard.workerNice, handles requests at shard.requestNice (the host raises it). */
const priority = new RequestPriorityWorker(data.requestPriority, config.shard.workerNice, config.shard.requestNice);
const geometry = new RingGeometry(config);
const rings = new RingStore(geometry);
rings.sketches = config.rollup.sketchTypes.length > 0 ? new LiveSketches(config) : null;
const queue = new QueueConsumer(data.queue);
/** Sellers a query has folded ahead of the queue (ring layout and this table never change live). */
const ahead = new FoldAhead(config.queue.foldAheadSlots, geometry.maxSellers);
const port = data.port;
let drainBatch = config.queue.drainBatch;
let parkMs = config.queue.parkMs;
let yieldAfterMs = config.queue.yieldAfterMs;
let yieldMs = config.queue.yieldMs;
let yieldBelowDepth = config.queue.yieldBelowDepth;
/** When the worker last came back from parking or yielding (performance.now()). */
let foldingSince = performance.now();
/** Times the worker stepped off its core in the middle of a backlog (yieldIfLong). */
let yields = 0;
let walSyncMs = config.durability.walSyncMs;
const f64 = queue.f64;
const u32 = queue.u32;
const mask = data.queue.capacity - 1;
let folded = 0;
let badSlots = 0;
let running = true;
/** A restarted worker waits (folds nothing) until its stored state is imported (op resume). */
let paused = data.startPaused;
/** WASM DSP kernels, one instance per worker thread, compiled at start so no query pays for it. */
let dsp: DspKernels | undefined = loadDsp();
/** wal mode: the log, switched on by the main thread once a restore is complete (walStart). */
let wal: WorkerWal | undefined;
/** Evidence for "no allocation per event": collections seen while watching (GCProfiler is synchronous). */
let gcWatch: { profiler: GCProfiler; heapUsedBefore: number; folded: number } | undefined;

/**
 * Steps off the core for queue.yieldMs once the worker has folded queue.yieldAfterMs without parking,
 * while its backlog is shallow (queue.yieldBelowDepth): parked on the queue's futex, so a control
 * request or a deep queue wakes it early. Without it a worker keeps its core for its whole scheduler
 * slice while the main thread waits for one (config/schema.ts, queue.yieldAfterMs).
 */
function yieldIfLong(): void {
  if (yieldAfterMs === 0 || performance.now() - foldingSince < yieldAfterMs) return;
  const tail = queue.tail();
  if (((tail - queue.head) | 0) >= yieldBelowDepth) return;
  queue.park(tail, yieldMs);
  yields++;
  foldingSince = performance.now();
}

/** Folds records from head up to (not including) `end`. */
function foldUntil(end: number): void {
  const head = queue.head;
  badSlots += rings.foldRecords(f64, u32, head, end, mask, ahead);
  wal?.append(head, end);
  folded += (end - head) | 0;
  queue.release(end);
}

/** Folds everything published so far (read-your-writes for a request that arrived after it). */
function drainAll(): void {
  foldUntil(queue.tail());
}

/**
 * Read-your-writes for one seller's query: folds that seller's queued records now instead of the
 * whole backlog first (drains everything when the fold-ahead table is full).
 */
function foldAheadFor(slot: number): void {
  if (!ahead.foldSeller(rings, f64, u32, queue.head, queue.tail(), mask, slot)) drainAll();
}

/** Whether the request being handled was counted by the host's raise (every one that does not drain). */
let handlingRaised = false;

/** Answers a request (once per request): the worker steps back to workerNice if none waits now. */
function reply(msg: ShardReply, transfer?: ArrayBuffer[]): void {
  if (handlingRaised) priority.handled();
  handlingRaised = false;
  port.postMessage(msg, transfer ?? []);
}

/**
 * What a request needs folded before it is answered (drainsQueue in ./messages.ts): the whole queue,
 * a seller's records ahead of the rest, or — periodic work — what is folded now.
 */
function foldFor(req: ShardRequest): void {
  if (drainsQueue(req)) return drainAll();
  switch (req.op) {
    case 'analyse':
    case 'series':
      return foldAheadFor(req.slot);
    case 'snapshot': {
      // records folded ahead must reach the log before it rotates: the slice holds them, so their
      // generation has to be an older one than the slice's
      const horizon = ahead.horizon(queue.head);
      return horizon === queue.head ? undefined : foldUntil(horizon);
    }
    default:
      return;
  }
}

function handle(req: ShardRequest): void {
  if (!paused) foldFor(req);
  switch (req.op) {
    case 'series': {
      const window = geometry.window[req.resolution];
      const value: SeriesReply = { head: 0, counts: new Float64Array(window), sums: new Float64Array(window) };
      value.head = rings.read(req.slot, req.type, req.resolution, value.counts, value.sums);
      reply({ id: req.id, ok: true, value }, [value.counts.buffer as ArrayBuffer, value.sums.buffer as ArrayBuffer]);
      return;
    }
    case 'drain':
      reply({ id: req.id, ok: true, value: folded });
      return;
    case 'stats': {
      const heap = getHeapStatistics();
      const value: StatsReply = {
        folded, configVersion, badSlots, sellers: rings.sellers, outOfWindow: Array.from(rings.outOfWindow), queueHead: queue.head,
        heapUsed: heap.used_heap_size, heapTotal: heap.total_heap_size, foldedAhead: ahead.folded, yields,
        requestPriorityThreadId: priority.threadId, loweredAfterRequests: priority.loweredAfterRequests,
      };
      reply({ id: req.id, ok: true, value });
      return;
    }
    case 'config':
      // ring layout never changes live (config/live-changes.ts); everything else is read from here on
      config = req.config as Readonly<Config>;
      configVersion = req.version;
      drainBatch = config.queue.drainBatch;
      parkMs = config.queue.parkMs;
      yieldAfterMs = config.queue.yieldAfterMs;
      yieldMs = config.queue.yieldMs;
      yieldBelowDepth = config.queue.yieldBelowDepth;
      walSyncMs = config.durability.walSyncMs;
      reply({ id: req.id, ok: true, value: configVersion });
      return;
    case 'analyse': {
      dsp ??= loadDsp();
      reply({ id: req.id, ok: true, value: runAnalysis(rings, config, configVersion, dsp, req) });
      return;
    }
    case 'replayLogs': {
      // recovery of a restarted worker: fold its own earlier log generations, not logging them again
      let n = 0;
      for (const f of req.files) n += replayLogFile(rings, f.path, f.generation, req.slotMinGeneration);
      reply({ id: req.id, ok: true, value: n });
      return;
    }
    case 'resume':
      paused = false;
      reply({ id: req.id, ok: true, value: null });
      return;
    case 'walStart':
      wal = new WorkerWal(data.queue.records, data.queue.capacity, port, req.dir, req.epoch, data.index);
      reply({ id: req.id, ok: true, value: null });
      return;
    case 'snapshot': {
      // everything folded so far is in this slice; the log goes on in the next generation
      const generation = wal ? wal.rotate(Date.now()) : 0;
      const value: SnapshotReply = { generation, ...exportSlice(rings, req) };
      reply({ id: req.id, ok: true, value }, [value.data.buffer as ArrayBuffer, value.slots.buffer as ArrayBuffer, value.offsets.buffer as ArrayBuffer]);
      return;
    }
    case 'import':
      for (let i = 0; i < req.slots.length; i++) importSlot(rings, req.slots[i], req.blobs[i]);
      reply({ id: req.id, ok: true, value: req.slots.length });
      return;
    case 'walDeleteBelow':
      wal?.writer.deleteBelow(req.generation);
      reply({ id: req.id, ok: true, value: null });
      return;
    case 'sketchFlush': {
      // a draining first slice: handle() folded everything queued so far, so it is in the sketches handed over
      const value: SketchFlushSlice = rings.sketches?.flushSlice(req.fromSlot, req.maxDeltas) ?? { deltas: [], nextSlot: -1 };
      reply({ id: req.id, ok: true, value });
      return;
    }
    case 'gcWatchStart': {
      gcWatch?.profiler.stop();
      // start from an empty young generation where the process exposes gc (a test does): garbage
      // left from start-up would otherwise trigger a scavenge on the first few bytes allocated
      (globalThis as { gc?: () => void }).gc?.();
      const profiler = new GCProfiler();
      profiler.start();
      gcWatch = { profiler, heapUsedBefore: getHeapStatistics().used_heap_size, folded };
      reply({ id: req.id, ok: true, value: null });
      return;
    }
    case 'gcWatchStop': {
      if (!gcWatch) throw new Error('gcWatchStart was not called');
      const heapUsedAfter = getHeapStatistics().used_heap_size;
      const profile = gcWatch.profiler.stop();
      const value: GcWatchReply = {
        collections: profile?.statistics.length ?? 0,
        heapUsedBefore: gcWatch.heapUsedBefore,
        heapUsedAfter,
        folded: folded - gcWatch.folded,
      };
      gcWatch = undefined;
      reply({ id: req.id, ok: true, value });
      return;
    }
    case 'stop':
      wal?.commit(Date.now(), 0, true);
      wal?.writer.close(Date.now());
      running = false;
      reply({ id: req.id, ok: true, value: folded });
      return;
  }
}

function pollControl(): void {
  for (;;) {
    const m = receiveMessageOnPort(port);
    if (m === undefined) return;
    const req = m.message as ShardRequest;
    handlingRaised = !drainsQueue(req);
    try {
      handle(req);
    } catch (err) {
      const e = err as Error;
      reply({ id: req.id, ok: false, code: 'shard_error', message: e.message });
    }
  }
}

port.postMessage(kReadyMessage);
while (running) {
  const tail = queue.tail();
  const head = queue.head;
  if (head !== tail && !paused) {
    foldUntil(((tail - head) | 0) > drainBatch ? (head + drainBatch) | 0 : tail);
    wal?.commit(Date.now(), walSyncMs, false);
    pollControl();
    yieldIfLong();
  } else {
    wal?.commit(Date.now(), walSyncMs, true);
    pollControl();
    if (running) queue.park(paused ? head : tail, parkMs);
    foldingSince = performance.now();
  }
}
port.close();
