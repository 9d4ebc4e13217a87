/**
 * Frames wait their turn, so a query is never stuck behind a burst of ingest. uWS reads a socket's
 * whole receive buffer at once and calls the message handler for every frame in it back to back:
 * dozens of 1 000-event frames are milliseconds of work, and an HTTP request that became readable
 * meanwhile waits for all of them. Here a frame is copied (its ArrayBuffer dies when the handler
 * returns) and processed in the event loop's check phase, at most `turnMs` of frames per loop turn,
 * so the poll phase — every socket, queries included — comes around between turns.
 *
 * The copies go into one reusable buffer per queue place (frames up to `pooledFrameBytes`; larger
 * ones get a buffer of their own). A fresh ArrayBuffer per frame is external memory, which V8
 * reclaims with full mark-compact collections once little else triggers the young-generation ones
 * that used to free it (after string interning: 70 instead of 24 mark-compacts, 422 ms of pauses, in
 * one analytics bench round). A frame is processed synchronously, so its place is never reused while
 * anything reads it.
 *
 * Frames of one socket that wait back to back are processed inside one uWS cork of that socket
 * (`cork`): outside a uWS callback nothing is corked, and each ack was a system call of its own — a
 * fifth of the main thread's busy time under columnar ingest; after, 2–3 %.
 *
 * Order is kept: one FIFO for every socket. The queue is bounded: at `maxFrames` waiting frames the
 * oldest are processed right away before the new one joins, so memory is bounded and a producer that
 * outruns the server is slowed by the processing, as before. A frame whose socket closed while it
 * waited is dropped unprocessed and unacknowledged (its producer re-sends it; nothing was counted).
 */
import { performance } from 'node:perf_hooks';

export interface FrameTurnOptions<S> {
  turnMs: () => number;
  maxFrames: number;
  /** Frames up to this size are copied into a buffer kept for their queue place. */
  pooledFrameBytes: number;
  /** Whether the socket is still open (a closed uWS socket must not be touched). */
  isOpen: (socket: S) => boolean;
  /** Called synchronously; `frame` is valid only until it returns. */
  process: (socket: S, frame: Uint8Array, isBinary: boolean) => void;
  /**
   * Called before each turn: HTTP answers held to the end of the poll phase (api/http/response-batch.ts)
   * are written here, so a query's answer never waits behind a turn of frames.
   */
  beforeTurn?: () => void;
  /**
   * Runs `work` with the socket's writes held and sent together at the end (uWS cork). Frames of one
   * socket that wait back to back are processed in one: their acks leave in one write, not one
   * system call each (outside a uWS callback nothing is corked).
   */
  cork?: (socket: S, work: () => void) => void;
}

export class FrameTurns<S> {
  readonly #o: FrameTurnOptions<S>;
  readonly #sockets: (S | undefined)[];
  readonly #frames: (Uint8Array | undefined)[];
  /** Per queue place, the buffer its pooled copies go into (made on first use). */
  readonly #pool: (Uint8Array | undefined)[];
  readonly #binary: Uint8Array;
  #head = 0;
  #size = 0;
  #scheduled = false;
  readonly #turn = () => this.#runTurn();

  constructor(options: FrameTurnOptions<S>) {
    this.#o = options;
    this.#sockets = new Array<S | undefined>(options.maxFrames).fill(undefined);
    this.#frames = new Array<Uint8Array | undefined>(options.maxFrames).fill(undefined);
    this.#pool = new Array<Uint8Array | undefined>(options.maxFrames).fill(undefined);
    this.#binary = new Uint8Array(options.maxFrames);
  }

  /** Frames waiting for their turn. */
  get waiting(): number {
    return this.#size;
  }

  /** Takes a frame from the uWS handler (copied: the handler's buffer dies when it returns). */
  push(socket: S, message: ArrayBuffer, isBinary: boolean): void {
    if (this.#size === this.#o.maxFrames) this.#processOldest();
    const at = (this.#head + this.#size) % this.#o.maxFrames;
    this.#sockets[at] = socket;
    const bytes = message.byteLength;
    if (bytes <= this.#o.pooledFrameBytes) {
      const place = (this.#pool[at] ??= new Uint8Array(this.#o.pooledFrameBytes));
      place.set(new Uint8Array(message));
      this.#frames[at] = place.subarray(0, bytes);
    } else {
      this.#frames[at] = new Uint8Array(message.slice(0));
    }
    this.#binary[at] = isBinary ? 1 : 0;
    this.#size++;
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#turn);
    }
  }

  /** Processes every waiting frame now (shutdown: nothing taken is left behind). */
  flush(): void {
    while (this.#size > 0) this.#processOldest();
  }

  #runTurn(): void {
    this.#scheduled = false;
    this.#o.beforeTurn?.();
    const until = performance.now() + this.#o.turnMs();
    while (this.#size > 0) {
      this.#processRun(until);
      if (performance.now() >= until) break;
    }
    if (this.#size > 0 && !this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#turn);
    }
  }

  /** The oldest frame and, inside one cork, those right behind it from the same socket while the turn has time. */
  #processRun(until: number): void {
    const socket = this.#sockets[this.#head] as S;
    const cork = this.#o.cork;
    if (cork === undefined || !this.#o.isOpen(socket)) return this.#processOldest();
    cork(socket, () => {
      do this.#processOldest();
      while (this.#size > 0 && this.#sockets[this.#head] === socket && this.#o.isOpen(socket) && performance.now() < until);
    });
  }

  #processOldest(): void {
    const at = this.#head;
    const socket = this.#sockets[at] as S;
    const frame = this.#frames[at] as Uint8Array;
    const isBinary = this.#binary[at] === 1;
    this.#sockets[at] = undefined;
    this.#frames[at] = undefined;
    this.#head = (at + 1) % this.#o.maxFrames;
    this.#size--;
    if (this.#o.isOpen(socket)) this.#o.process(socket, frame, isBinary);
  }
}
