/** What one ingest call (a request body or a WS frame) did with its events. Reused per thread. */
import type { EventStatus } from './event-status.js';

/** The schema's bound on config.shards. */
export const kMaxShards = 64;

export class IngestResult {
  accepted = 0;
  lateDropped = 0;
  duplicates = 0;
  /** Indices (in the request) and statuses of rejected events. */
  readonly rejectedIndex: number[] = [];
  readonly rejectedStatus: EventStatus[] = [];
  /** The whole call was refused because a shard queue had no room; nothing was taken. */
  queueFull = false;
  /** Per shard: 1 if this call wrote to it, and the queue position after its events (for durable acks). */
  readonly touched = new Uint8Array(kMaxShards);
  readonly queueTargets = new Int32Array(kMaxShards);
  /** The call introduced sellers not seen before (their directory entries must be durable too). */
  newSellers = false;
  /** touched[s] is 0 for every s at or above this. */
  #touchedBelow = 0;

  /** Records that this call wrote to shard `s`'s queue up to `target`. */
  touch(s: number, target: number): void {
    this.touched[s] = 1;
    this.queueTargets[s] = target;
    if (s >= this.#touchedBelow) this.#touchedBelow = s + 1;
  }

  reset(): void {
    this.accepted = 0;
    this.lateDropped = 0;
    this.duplicates = 0;
    if (this.rejectedIndex.length > 0) {
      this.rejectedIndex.length = 0;
      this.rejectedStatus.length = 0;
    }
    this.queueFull = false;
    for (let s = 0; s < this.#touchedBelow; s++) this.touched[s] = 0;
    this.#touchedBelow = 0;
    this.newSellers = false;
  }

  reject(index: number, status: EventStatus): void {
    this.rejectedIndex.push(index);
    this.rejectedStatus.push(status);
  }

  refuse(): void {
    this.reset();
    this.queueFull = true;
  }
}
