/**
 * Holds acknowledgements until what they acknowledge is durable (wal mode): each shard reports the
 * queue position up to which its log is synced; a ticket waits for every shard it wrote to, and
 * for the directory entries of sellers it introduced. Queue positions are wrapping int32 counters:
 * "reached" is ((durable − target) | 0) ≥ 0.
 */
interface Waiter {
  shard: number;
  target: number;
  resolve: () => void;
}

export class AckGate {
  readonly #durable: Int32Array;
  readonly #known: Uint8Array;
  readonly #waiting: Waiter[][];

  constructor(shardCount: number) {
    this.#durable = new Int32Array(shardCount);
    this.#known = new Uint8Array(shardCount);
    this.#waiting = Array.from({ length: shardCount }, () => []);
  }

  /** Shard `shard` has synced every record before queue counter `upTo`. */
  durable(shard: number, upTo: number): void {
    this.#durable[shard] = upTo;
    this.#known[shard] = 1;
    const list = this.#waiting[shard];
    let done = 0;
    while (done < list.length && ((upTo - list[done].target) | 0) >= 0) list[done++].resolve();
    if (done > 0) list.splice(0, done);
  }

  /** Resolves once shard `shard` is durable up to `target` (targets arrive in queue order per shard). */
  wait(shard: number, target: number): Promise<void> {
    if (this.#known[shard] === 1 && ((this.#durable[shard] - target) | 0) >= 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiting[shard].push({ shard, target, resolve }));
  }

  /** Releases every waiter (shutdown: the workers synced their logs before stopping). */
  releaseAll(): void {
    for (const list of this.#waiting) {
      for (const w of list) w.resolve();
      list.length = 0;
    }
  }
}
