/** A small acking WebSocket producer for tests (the `ws` package as the client). */
import WebSocket from 'ws';
import { encode, decode } from '@msgpack/msgpack';
import { kTestAdminKey } from './keys.js';

export type Ack = Record<string, any>;

export class StreamClient {
  readonly #ws: WebSocket;
  readonly #waiting = new Map<number, (ack: Ack) => void>();
  readonly errors: Ack[] = [];
  readonly #anyWaiters: ((msg: Ack) => void)[] = [];
  closed: { code: number; reason: string } | undefined;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const msg = (isBinary ? decode(data) : JSON.parse(data.toString())) as Ack;
      const next = this.#anyWaiters.shift();
      if (next) next(msg);
      if (msg.error) this.errors.push(msg);
      const w = typeof msg.seq === 'number' ? this.#waiting.get(msg.seq) : undefined;
      if (w) {
        this.#waiting.delete(msg.seq);
        w(msg);
      }
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
    });
  }

  static open(url: string, key: string = kTestAdminKey): Promise<StreamClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, key === '' ? {} : { headers: { authorization: `Bearer ${key}` } });
      ws.once('open', () => resolve(new StreamClient(ws)));
      ws.once('error', reject);
    });
  }

  /** Sends a frame object (msgpack unless json) and resolves with its ack. */
  send(frame: { seq: number } & Record<string, unknown>, json = false): Promise<Ack> {
    return new Promise((resolve) => {
      this.#waiting.set(frame.seq, resolve);
      this.#ws.send(json ? JSON.stringify(frame) : encode(frame));
    });
  }

  /** Sends raw bytes or text and resolves with the next message. */
  sendRaw(data: Uint8Array | string): Promise<Ack> {
    return new Promise((resolve) => {
      this.#anyWaiters.push(resolve);
      this.#ws.send(data);
    });
  }

  /** Sends a frame until it is taken: re-sends after retryAfterMs (same seq). */
  async sendUntilTaken(frame: { seq: number } & Record<string, unknown>): Promise<Ack> {
    for (;;) {
      const ack = await this.send(frame);
      if (ack.retryAfterMs === undefined) return ack;
      await new Promise((r) => setTimeout(r, ack.retryAfterMs));
    }
  }

  waitClosed(): Promise<{ code: number; reason: string }> {
    if (this.closed) return Promise.resolve(this.closed);
    return new Promise((resolve) => this.#ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  close(): void {
    this.#ws.close();
  }
}

export function f64Bin(values: number[]): Uint8Array {
  return new Uint8Array(Float64Array.from(values).buffer);
}

export function u32Bin(values: number[]): Uint8Array {
  return new Uint8Array(Uint32Array.from(values).buffer);
}
