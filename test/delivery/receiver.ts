/** A real webhook receiver (node:http on 127.0.0.1, port 0) that records every request and answers as told. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  /** What the receiver answered (0: it never answered). */
  status: number;
}

/** n is the 1-based number of the request; 'hang' never answers. */
export type Behaviour = (n: number, r: Received) => number | 'hang';

export class Receiver {
  readonly received: Received[] = [];
  readonly #server: Server;
  #behaviour: Behaviour;
  #waiters: { pred: () => boolean; resolve: () => void }[] = [];

  private constructor(behaviour: Behaviour) {
    this.#behaviour = behaviour;
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const r: Received = { at: Date.now(), headers: req.headers, body, json: JSON.parse(body), status: 0 };
        this.received.push(r);
        const answer = this.#behaviour(this.received.length, r);
        if (answer !== 'hang') {
          r.status = answer;
          res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
        }
        this.#notify();
      });
    });
  }

  static async start(behaviour: Behaviour = () => 200): Promise<Receiver> {
    const r = new Receiver(behaviour);
    await new Promise<void>((resolve) => r.#server.listen(0, '127.0.0.1', resolve));
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hook`;
  }

  set behaviour(b: Behaviour) {
    this.#behaviour = b;
  }

  /** Resolves once `pred` holds (checked after each request), or rejects after `timeoutMs`. */
  until(pred: (received: Received[]) => boolean, timeoutMs = 10_000): Promise<void> {
    if (pred(this.received)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`receiver: condition not met within ${timeoutMs} ms (${this.received.length} requests)`)), timeoutMs);
      this.#waiters.push({ pred: () => pred(this.received), resolve: () => { clearTimeout(timer); resolve(); } });
    });
  }

  #notify(): void {
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.pred()) return true;
      w.resolve();
      return false;
    });
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** Checks x-sellerpulse-signature the way a receiver would. */
export function verifies(r: Received, secret: string): boolean {
  const ts = String(r.headers['x-sellerpulse-timestamp']);
  const expected = 'sha256=' + createHmac('sha256', secret).update(`${ts}.${r.body}`).digest('hex');
  return r.headers['x-sellerpulse-signature'] === expected;
}

/** Polls `f` until it returns a value that is not undefined. */
export async function eventually<T>(f: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000, everyMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`eventually: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
