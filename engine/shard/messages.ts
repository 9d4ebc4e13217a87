/**
 * Control messages between the main thread and a shard worker (MessagePort; data never travels
 * here — events go through the SPSC queue). Errors cross as data {code, message} (STYLE §5).
 */
import type { AnalysisRequest } from '../analysis/run-analysis.js';
import type { SnapshotSlice, SnapshotSliceRequest } from '../ring/ring-snapshot.js';

export type ShardRequest =
  | { op: 'series'; id: number; slot: number; type: number; resolution: number }
  | { op: 'drain'; id: number }
  | { op: 'stats'; id: number }
  | { op: 'stop'; id: number }
  | { op: 'config'; id: number; version: number; config: unknown }
  | ({ op: 'analyse'; id: number } & AnalysisRequest)
  | { op: 'walStart'; id: number; dir: string; epoch: number }
  | { op: 'resume'; id: number }
  | { op: 'replayLogs'; id: number; files: { path: string; generation: number }[]; slotMinGeneration: Int32Array }
  /** drain: fold everything queued first (shutdown, resharding); a periodic slice takes what is folded. */
  | ({ op: 'snapshot'; id: number; drain: boolean } & SnapshotSliceRequest)
  | { op: 'import'; id: number; slots: number[]; blobs: Float64Array[] }
  | { op: 'walDeleteBelow'; id: number; generation: number }
  /** drain: fold everything queued first (a rollup query's read-your-writes); the periodic flush does not wait. */
  | { op: 'sketchFlush'; id: number; drain: boolean; fromSlot: number; maxDeltas: number }
  | { op: 'gcWatchStart'; id: number }
  | { op: 'gcWatchStop'; id: number };

/**
 * Whether a request folds everything queued before it is answered (read-your-writes, or a snapshot's
 * consistent cut). A seller's query folds only that seller's records ahead; periodic slices and log
 * clean-up take what is folded (a draining snapshot slice only in snapshot mode, where no log holds
 * the rest). Host and worker both decide by this: the host does not raise a worker for a drain
 * (shard/request-priority.ts), since that work is folding, which has slack.
 */
export function drainsQueue(req: { op: ShardRequest['op']; drain?: boolean }): boolean {
  switch (req.op) {
    case 'analyse':
    case 'series':
    case 'walDeleteBelow':
      return false;
    case 'snapshot':
    case 'sketchFlush':
      return req.drain === true;
    default:
      return true;
  }
}

export interface SeriesReply {
  head: number;
  counts: Float64Array;
  sums: Float64Array;
}

export interface StatsReply {
  folded: number;
  /** The config version the worker runs on. */
  configVersion: number;
  /** Records whose slot was beyond capacity (a router bug if ever non-zero). */
  badSlots: number;
  sellers: number;
  outOfWindow: number[];
  queueHead: number;
  /** V8 heap of the worker (bytes): used and total (committed) size. */
  heapUsed: number;
  heapTotal: number;
  /** Records folded ahead of the queue for a seller's query since the worker started. */
  foldedAhead: number;
  /** Times the worker parked in the middle of a shallow backlog to let waiting threads run (queue.yieldAfterMs) since it started. */
  yields: number;
  /** The worker's kernel thread id where it may be raised for requests (shard.requestNice), else 0. */
  requestPriorityThreadId: number;
  /** Times the worker stepped back to shard.workerNice after handling requests. */
  loweredAfterRequests: number;
}

/**
 * One slice of a snapshot: the next dirty (or, when full, all) sellers' rings, and the log generation
 * this slice precedes (the worker rotates its log before each slice, so every blob is labelled with
 * the generation its records end at).
 */
export interface SnapshotReply extends SnapshotSlice {
  generation: number;
}

/** Garbage collections and heap use of a worker between gcWatchStart and gcWatchStop. */
export interface GcWatchReply {
  collections: number;
  heapUsedBefore: number;
  heapUsedAfter: number;
  folded: number;
}

export type ShardReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; code: string; message: string };

export interface ShardWorkerData {
  index: number;
  config: unknown;
  configVersion: number;
  /** Restarted after a crash: fold nothing until the stored state is back (op resume). */
  startPaused: boolean;
  queue: { control: SharedArrayBuffer; records: SharedArrayBuffer; capacity: number };
  /** Shared with the host: requests waiting and the worker's thread id (shard/request-priority.ts). */
  requestPriority: Int32Array;
}

/** First message a worker sends on its port once its rings exist. */
export const kReadyMessage = 'ready';
