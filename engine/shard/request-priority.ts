/**
 * A shard worker folds at a low priority (shard.workerNice: folding has a queue of slack) but handles
 * the main thread's requests at shard.requestNice: someone waits for each — a query, or a snapshot
 * slice or sketch flush that queries queue behind (at nice 5 on busy cores a 0.7 ms slice took 15–20 ms);
 * a request that drains the whole queue is folding, which has slack, and is not raised (drainsQueue in
 * ./messages.ts). The main thread raises the worker's thread before it posts a request, and the worker steps back once
 * none waits. Without permission to raise a priority (CAP_SYS_NICE, or an RLIMIT_NICE that allows it)
 * the worker stays at workerNice and the host says so at start.
 *
 * Shared Int32Array: [requests posted and not yet handled, the worker's kernel thread id (0: not raised)].
 * Race-free by construction: the host raises on the 0 → 1 step; the worker lowers on the 1 → 0 step and
 * then looks again, raising itself if a request was posted in between (its raise may have come first).
 */
import { ownThreadId, setThreadPriority } from '../thread-priority.js';

const kWaiting = 0;
const kThreadId = 1;
const kSlots = 2;

export function allocateRequestPriority(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(kSlots * Int32Array.BYTES_PER_ELEMENT));
}

/** Host side: called before each request is posted to the worker. */
export class RequestPriorityRaiser {
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

  /** Counts a request about to be posted, raising the worker if it was folding. */
  raise(requestNice: number): void {
    const threadId = Atomics.load(this.#state, kThreadId);
    if (threadId === 0) return;
    if (Atomics.add(this.#state, kWaiting, 1) === 0) setThreadPriority(threadId, requestNice);
  }
}

/** Worker side. */
export class RequestPriorityWorker {
  readonly #state: Int32Array;
  readonly #foldNice: number;
  readonly #requestNice: number;
  /** The kernel thread id the host raises; 0 when it does not (not permitted, or requestNice not above workerNice). */
  readonly threadId: number;
  /** Times this worker stepped back to workerNice after handling requests (evidence in stats). */
  loweredAfterRequests = 0;

  /** Nices the calling worker thread to foldNice and finds out whether it may be raised to requestNice. */
  constructor(state: Int32Array, foldNice: number, requestNice: number) {
    this.#state = state;
    this.#foldNice = foldNice;
    this.#requestNice = requestNice;
    setThreadPriority(0, foldNice);
    const threadId = requestNice < foldNice ? ownThreadId() : 0;
    // one trial raise tells whether this process may raise a thread's priority at all
    const permitted = threadId !== 0 && setThreadPriority(0, requestNice) && setThreadPriority(0, foldNice);
    this.threadId = permitted ? threadId : 0;
    Atomics.store(state, kThreadId, this.threadId);
  }

  /** Whether the host raises this thread. */
  get enabled(): boolean {
    return this.threadId !== 0;
  }

  /** Called after each request was handled (answered or failed). */
  handled(): void {
    if (!this.enabled || Atomics.sub(this.#state, kWaiting, 1) !== 1) return;
    setThreadPriority(0, this.#foldNice);
    this.loweredAfterRequests++;
    if (Atomics.load(this.#state, kWaiting) > 0) setThreadPriority(0, this.#requestNice);
  }
}
