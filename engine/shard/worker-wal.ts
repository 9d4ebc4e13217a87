/**
 * The worker's side of wal mode: appends every folded record range (straight from the queue's
 * SharedArrayBuffer, no copy) to the WalWriter, group-commits, and tells the main thread how far
 * the queue is durable — the main thread holds acks until then.
 */
import type { MessagePort } from 'node:worker_threads';
import { kRecordBytes } from '../queue/layout.js';
import { WalWriter } from '../durability/wal-writer.js';

export interface DurableMessage {
  op: 'durable';
  /** Queue counter: every record before it is on disk. */
  upTo: number;
}

export class WorkerWal {
  readonly #records: SharedArrayBuffer;
  readonly #capacity: number;
  readonly #port: MessagePort;
  readonly #writer: WalWriter;
  #pendingUpTo = 0;
  #hasPending = false;

  constructor(records: SharedArrayBuffer, capacity: number, port: MessagePort, dir: string, epoch: number, shard: number) {
    this.#records = records;
    this.#capacity = capacity;
    this.#port = port;
    this.#writer = new WalWriter(dir, epoch, shard);
  }

  get writer(): WalWriter {
    return this.#writer;
  }

  /** Logs records [from, to) (wrapping counters). */
  append(from: number, to: number): void {
    const count = (to - from) | 0;
    if (count === 0) return;
    const start = from & (this.#capacity - 1);
    const first = Math.min(count, this.#capacity - start);
    this.#writer.append(new Uint8Array(this.#records, start * kRecordBytes, first * kRecordBytes));
    if (first < count) this.#writer.append(new Uint8Array(this.#records, 0, (count - first) * kRecordBytes));
    this.#pendingUpTo = to;
    this.#hasPending = true;
  }

  /** Syncs, reports, and continues in the next generation (a snapshot covers everything before it). */
  rotate(nowMs: number): number {
    this.commit(nowMs, 0, true);
    return this.#writer.rotate(nowMs);
  }

  /** Group commit: syncs when due (or forced) and reports the new durable position. */
  commit(nowMs: number, syncMs: number, force: boolean): void {
    if (!this.#hasPending) return;
    if (this.#writer.maybeSync(nowMs, syncMs, force)) {
      this.#hasPending = false;
      const msg: DurableMessage = { op: 'durable', upTo: this.#pendingUpTo };
      this.#port.postMessage(msg);
    }
  }
}
