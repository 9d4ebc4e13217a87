/**
 * Idempotent frame retries (DESIGN §5): per producer, the outcome of the last `size` frame seqs.
 * A frame whose seq was already acked is answered with the same counts and not counted again; a seq
 * older than the window cannot be told apart from a new one, so it is refused (nothing counted).
 */
export const enum SeqState {
  New = 0,
  Acked = 1,
  TooOld = 2,
}

export interface AckCounts {
  accepted: number;
  lateDropped: number;
  duplicates: number;
  rejected: number;
}

export class SeqWindow {
  readonly #mask: number;
  readonly #size: number;
  readonly #seqAt: Float64Array;
  readonly #accepted: Uint32Array;
  readonly #late: Uint32Array;
  readonly #duplicates: Uint32Array;
  readonly #rejected: Uint32Array;
  #highest = -1;

  constructor(size: number) {
    this.#size = size;
    this.#mask = size - 1;
    this.#seqAt = new Float64Array(size).fill(-1);
    this.#accepted = new Uint32Array(size);
    this.#late = new Uint32Array(size);
    this.#duplicates = new Uint32Array(size);
    this.#rejected = new Uint32Array(size);
  }

  state(seq: number): SeqState {
    if (seq <= this.#highest - this.#size) return SeqState.TooOld;
    return this.#seqAt[seq & this.#mask] === seq ? SeqState.Acked : SeqState.New;
  }

  record(seq: number, counts: AckCounts): void {
    const i = seq & this.#mask;
    this.#seqAt[i] = seq;
    this.#accepted[i] = counts.accepted;
    this.#late[i] = counts.lateDropped;
    this.#duplicates[i] = counts.duplicates;
    this.#rejected[i] = counts.rejected;
    if (seq > this.#highest) this.#highest = seq;
  }

  /** The counts recorded for an acked seq. */
  recorded(seq: number): AckCounts {
    const i = seq & this.#mask;
    return { accepted: this.#accepted[i], lateDropped: this.#late[i], duplicates: this.#duplicates[i], rejected: this.#rejected[i] };
  }
}

/** Seq windows by producer identity, least recently used evicted beyond `max`. */
export class ProducerRegistry {
  readonly #windows = new Map<string, SeqWindow>();
  readonly #max: number;
  readonly #size: number;

  constructor(max: number, windowSize: number) {
    this.#max = max;
    this.#size = windowSize;
  }

  get(producer: string): SeqWindow {
    let w = this.#windows.get(producer);
    if (w !== undefined) {
      this.#windows.delete(producer);
      this.#windows.set(producer, w);
      return w;
    }
    w = new SeqWindow(this.#size);
    this.#windows.set(producer, w);
    if (this.#windows.size > this.#max) {
      const oldest = this.#windows.keys().next().value as string;
      this.#windows.delete(oldest);
    }
    return w;
  }
}
