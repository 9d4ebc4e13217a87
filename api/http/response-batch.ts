/**
 * Answers written together once per event-loop poll phase instead of one at a time (config
 * `http.responseBatch`). Why: a response written to a client that sleeps in epoll_wait wakes it,
 * and on this VM a cross-CPU wake-up costs the writer microseconds inside the send (a `perf` profile
 * of single-event POSTs put 3.1 µs per request in the loopback send's wake-up of the load generator,
 * 0.8 µs for the bare server, whose client is busier). Requests that arrive in one poll phase are
 * answered back to back after it (setImmediate runs right after the poll phase), so the client is
 * woken once per burst, not once per answer. An answer waits at most for the rest of its poll phase,
 * and never behind more than `responseBatch` others: the batch is written at once when it is full.
 *
 * Lifetime (uWS): a response may be written after its handler returned only because the router
 * registered onAborted first; one whose client went away in between is skipped, not written.
 */
import type { HttpResponse } from '../uws.js';

/** What the batch needs of a response's state. */
export interface HeldState {
  /** The client went away (uWS onAborted): nothing may be written to it. */
  aborted: boolean;
}

/** Writes one answer now (it corks itself). */
export type WriteAnswer<S> = (res: HttpResponse, state: S, status: number, contentType: string, payload: string | Uint8Array, headers: Record<string, string> | undefined, close: boolean) => void;

/** What a batch calls: `write` an answer, `skip` one whose client went away, `failed` when a write threw. */
export interface BatchWriter<S> {
  write: WriteAnswer<S>;
  skip: (state: S) => void;
  failed: (err: unknown, state: S) => void;
}

export class ResponseBatch<S extends HeldState> {
  readonly #writer: BatchWriter<S>;
  readonly #limit: () => number;
  readonly #res: HttpResponse[] = [];
  readonly #state: S[] = [];
  readonly #status: number[] = [];
  readonly #contentType: string[] = [];
  readonly #payload: (string | Uint8Array)[] = [];
  readonly #headers: (Record<string, string> | undefined)[] = [];
  readonly #close: boolean[] = [];
  #count = 0;
  #scheduled = false;
  #flushing = false;
  /** Answers that went through the batch (written or skipped), and the flushes that wrote them. */
  held = 0;
  batches = 0;
  readonly #flush = (): void => {
    this.#scheduled = false;
    this.flush();
  };

  /** `limit`: the most answers held at once (read per answer, so it may change live; 0 writes every answer at once). */
  constructor(writer: BatchWriter<S>, limit: () => number) {
    this.#writer = writer;
    this.#limit = limit;
  }

  /** Answers held now (tests, metrics). */
  get size(): number {
    return this.#count;
  }

  /** Holds an answer until the end of this poll phase (or writes it now when batching is off). */
  add(res: HttpResponse, state: S, status: number, contentType: string, payload: string | Uint8Array, headers: Record<string, string> | undefined, close: boolean): void {
    const limit = this.#limit();
    if (limit === 0) {
      this.#writer.write(res, state, status, contentType, payload, headers, close);
      return;
    }
    const i = this.#count++;
    this.#res[i] = res;
    this.#state[i] = state;
    this.#status[i] = status;
    this.#contentType[i] = contentType;
    this.#payload[i] = payload;
    this.#headers[i] = headers;
    this.#close[i] = close;
    if (this.#count >= limit) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flush);
    }
  }

  /**
   * Writes every held answer, in the order they were given. An answer added while this runs (a
   * writer's callback that answers another request) is written by this same pass, after the others.
   */
  flush(): void {
    if (this.#flushing || this.#count === 0) return;
    this.#flushing = true;
    this.batches++;
    let i = 0;
    try {
      for (; i < this.#count; i++) {
        const state = this.#state[i];
        if (state.aborted) this.#writer.skip(state);
        else {
          try {
            this.#writer.write(this.#res[i], state, this.#status[i], this.#contentType[i], this.#payload[i], this.#headers[i], this.#close[i]);
          } catch (err) {
            // one bad answer must not keep the others of the batch from being written
            this.#writer.failed(err, state);
          }
        }
        // nothing held keeps a response, its state or its body alive past its turn
        this.#res[i] = undefined as unknown as HttpResponse;
        this.#state[i] = undefined as unknown as S;
        this.#payload[i] = '';
        this.#headers[i] = undefined;
      }
    } finally {
      this.held += i;
      this.#count = 0;
      this.#flushing = false;
    }
  }
}
