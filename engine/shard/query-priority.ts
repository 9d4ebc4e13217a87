/**
 * A shard worker folds at a low priority (shard.workerNice: folding has a queue of slack) but answers
 * a query at shard.queryNice: the main thread raises the worker's thread before it posts a query,
 * and the worker steps back once no query waits for it. Without permission to raise a priority
 * (CAP_SYS_NICE, or an RLIMIT_NICE that allows it) the worker stays at workerNice and says so at start.
 *
 * Shared Int32Array: [queries posted and not yet answered, the worker's kernel thread id (0: not raised)].
 * Race-free by construction: the host raises on the 0 → 1 step; the worker lowers on the 1 → 0 step and
 * then looks again, raising itself if a query was posted in between (its raise may have come first).
 */
import { ownThreadId, setThreadPriority } from '../thread-priority.js';

const kWaiting = 0;
const kThreadId = 1;
const kSlots = 2;

export function allocateQueryPriority(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(kSlots * Int32Array.BYTES_PER_ELEMENT));
}

/** Host side: called before each query request is posted to the worker. */
export class QueryPriorityRaiser {
  readonly #state: Int32Array;

  constructor(state: Int32Array) {
    this.#state = state;
  }

  /** A new worker starts from nothing waiting and publishes its thread id itself. */
  reset(): void {
    Atomics.store(this.#state, kWaiting, 0);
    Atomics.store(this.#state, kThreadId, 0);
  }

  /** Whether the worker published a thread id to raise (read once it is ready). */
  get enabled(): boolean {
    return Atomics.load(this.#state, kThreadId) !== 0;
  }

  /** Counts a query about to be posted, raising the worker if it was folding. */
  raise(queryNice: number): void {
    const threadId = Atomics.load(this.#state, kThreadId);
    if (threadId === 0) return;
    if (Atomics.add(this.#state, kWaiting, 1) === 0) setThreadPriority(threadId, queryNice);
  }
}

/** Worker side. */
export class QueryPriorityWorker {
  readonly #state: Int32Array;
  readonly #foldNice: number;
  readonly #queryNice: number;
  /** Whether the host raises this thread (permitted, and queryNice is above workerNice). */
  readonly enabled: boolean;
  /** The kernel thread id the host raises, 0 when not enabled. */
  readonly threadId: number;
  /** Times this worker stepped back to workerNice after answering (evidence in stats). */
  loweredAfterQueries = 0;

  /** Nices the calling worker thread to foldNice and finds out whether it may be raised to queryNice. */
  constructor(state: Int32Array, foldNice: number, queryNice: number) {
    this.#state = state;
    this.#foldNice = foldNice;
    this.#queryNice = queryNice;
    setThreadPriority(0, foldNice);
    const threadId = queryNice < foldNice ? ownThreadId() : 0;
    // one trial raise tells whether this process may raise a thread's priority at all
    this.enabled = threadId !== 0 && setThreadPriority(0, queryNice) && setThreadPriority(0, foldNice);
    this.threadId = this.enabled ? threadId : 0;
    Atomics.store(state, kThreadId, this.threadId);
  }

  /** Called after each query request was answered (or failed). */
  answered(): void {
    if (!this.enabled || Atomics.sub(this.#state, kWaiting, 1) !== 1) return;
    setThreadPriority(0, this.#foldNice);
    this.loweredAfterQueries++;
    if (Atomics.load(this.#state, kWaiting) > 0) setThreadPriority(0, this.#queryNice);
  }
}

/** The requests the host raises the worker for: a caller waits for their answers. */
export function isQueryOp(op: string): boolean {
  return op === 'analyse' || op === 'series';
}
