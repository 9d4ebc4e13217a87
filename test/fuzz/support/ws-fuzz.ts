/**
 * WebSocket /stream fuzzing: hostile frames (garbage, near-valid row and columnar frames, wrong
 * column lengths, bad seqs, oversize) sent one at a time per socket, each answer judged.
 */
import WebSocket from 'ws';
import fc from 'fast-check';
import { encode, decode } from '@msgpack/msgpack';
import { hostileValue, kEventTypes, kFuzzSellers, nearValidEvent } from './hostile.js';

export interface FrameSpec {
  /** Raw bytes or text sent as is; otherwise `fields` plus a seq chosen at send time. */
  raw: Uint8Array | string | undefined;
  fields: Record<string, unknown>;
  seq: 'next' | 'repeat' | 'hostile';
  hostileSeq: unknown;
  binary: boolean;
  /** Larger than maxFrameBytes: uWS closes the socket. */
  oversize: boolean;
}

export interface Reply {
  message: Record<string, unknown> | undefined;
  closed: number | undefined;
}

const kColumnWidths = [1, 4, 8];

function nearValidColumnar(now: number, maxEvents: number): fc.Arbitrary<Record<string, unknown>> {
  return fc.integer({ min: 1, max: maxEvents }).chain((n) => fc.tuple(
    fc.constant(n),
    fc.subarray(kFuzzSellers, { minLength: 1 }),
    fc.constantFrom('keep', 'keep', 'sellerId', 'sellerIds', 'sellerIndex', 'timestamps', 'typeNames', 'types', 'values'),
    fc.oneof(
      fc.tuple(fc.constantFrom(...kColumnWidths), fc.integer({ min: -9, max: 9 })).chain(([w, d]) => fc.uint8Array({ minLength: Math.max(0, n * w + d), maxLength: Math.max(0, n * w + d) })),
      fc.array(fc.oneof(fc.nat(300), fc.double(), hostileValue), { maxLength: n + 2 }),
      hostileValue,
    ),
  )).map(([n, sellers, field, hostile]) => {
    const index = Uint32Array.from({ length: n }, (_, i) => i % sellers.length);
    const frame: Record<string, unknown> = {
      sellerIds: sellers, sellerIndex: new Uint8Array(index.buffer),
      timestamps: new Uint8Array(Float64Array.from({ length: n }, (_, i) => now - i).buffer),
      typeNames: kEventTypes, types: Uint8Array.from({ length: n }, (_, i) => i % kEventTypes.length),
      values: new Uint8Array(Float64Array.from({ length: n }, (_, i) => i).buffer),
    };
    if (field !== 'keep') frame[field] = hostile;
    return frame;
  });
}

export function frameArbitrary(now: number, maxFrameEvents: number, maxFrameBytes: number): fc.Arbitrary<FrameSpec> {
  const spec = (fields: Record<string, unknown>, binary: boolean, seq: FrameSpec['seq'], hostileSeq: unknown): FrameSpec =>
    ({ raw: undefined, fields, seq, hostileSeq, binary, oversize: false });
  const raw = (data: Uint8Array | string, oversize = false): FrameSpec =>
    ({ raw: data, fields: {}, seq: 'next', hostileSeq: undefined, binary: typeof data !== 'string', oversize });
  const seq = fc.constantFrom<FrameSpec['seq']>('next', 'next', 'next', 'next', 'next', 'repeat', 'hostile');
  const rows = fc.array(nearValidEvent(now), { maxLength: maxFrameEvents + 2 }).map((events) => ({ events }));
  return fc.oneof(
    { weight: 30, arbitrary: fc.tuple(rows, fc.boolean(), seq, hostileValue).map(([f, json, s, h]) => spec(f, !json, s, h)) },
    { weight: 20, arbitrary: fc.tuple(nearValidColumnar(now, maxFrameEvents), seq, hostileValue).map(([f, s, h]) => spec(f, true, s, h)) },
    { weight: 5, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => raw(b)) },
    { weight: 5, arbitrary: fc.string({ maxLength: 300 }).map((s) => raw(s)) },
    { weight: 5, arbitrary: fc.tuple(fc.jsonValue(), fc.boolean()).map(([v, json]) => raw(json ? JSON.stringify(v) : encode(v))) },
    { weight: 5, arbitrary: fc.tuple(fc.dictionary(fc.constantFrom('seq', 'events', 'timestamps', 'sellerId', '__proto__'), hostileValue), fc.boolean(), seq, hostileValue)
      .map(([f, json, s, h]) => spec(f, !json, s, h)) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 1024 }).map((extra) => raw(new Uint8Array(maxFrameBytes + extra), true)) },
  );
}

/** One socket, one frame at a time: each send resolves with the answer, or with the close code. */
export class FuzzSocket {
  readonly #ws: WebSocket;
  #pending: ((r: Reply) => void) | undefined;
  closed: number | undefined;
  nextSeq = 1;
  lastSeq = 0;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      let message: Record<string, unknown> | undefined;
      try {
        message = (isBinary ? decode(data) : JSON.parse(data.toString())) as Record<string, unknown>;
      } catch {
        message = undefined;
      }
      this.#settle({ message: message ?? { undecodable: data.toString('hex').slice(0, 80) }, closed: undefined });
    });
    ws.on('close', (code: number) => {
      this.closed = code;
      this.#settle({ message: undefined, closed: code });
    });
    ws.on('error', () => undefined);
  }

  #settle(r: Reply): void {
    const p = this.#pending;
    this.#pending = undefined;
    p?.(r);
  }

  static open(url: string, key: string): Promise<FuzzSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: { authorization: `Bearer ${key}` } });
      ws.once('open', () => resolve(new FuzzSocket(ws)));
      ws.once('error', reject);
    });
  }

  /** Sends one frame; the seq it used (if it chose one) is in `lastSeq`. */
  send(f: FrameSpec): Promise<Reply> {
    let data = f.raw;
    if (data === undefined) {
      const seq = f.seq === 'next' ? this.nextSeq++ : f.seq === 'repeat' ? Math.max(0, this.nextSeq - 1) : f.hostileSeq;
      if (typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= this.nextSeq) this.nextSeq = seq + 1;
      const frame = { ...f.fields, seq };
      data = f.binary ? encode(frame) : JSON.stringify(frame);
    }
    return new Promise((resolve) => {
      this.#pending = resolve;
      this.#ws.send(data, { binary: f.binary });
    });
  }

  close(): void {
    this.#ws.close();
  }
}

/** Why a frame's answer is wrong (null: fine), and the events it says were counted. */
export function judgeReply(f: FrameSpec, r: Reply): { violation: string | null; accepted: number } {
  if (r.closed !== undefined) return { violation: f.oversize ? null : `socket closed ${r.closed}`, accepted: 0 };
  if (f.oversize) return { violation: 'oversize frame answered instead of closing', accepted: 0 };
  const m = r.message!;
  if (m.undecodable !== undefined) return { violation: `undecodable answer ${String(m.undecodable)}`, accepted: 0 };
  const e = m.error as Record<string, unknown> | undefined;
  if (e !== undefined) {
    const ok = typeof e.type === 'string' && typeof e.title === 'string' && typeof e.status === 'number' && e.status < 500 && typeof e.detail === 'string' && Array.isArray(e.errors);
    return { violation: ok ? null : `bad error ${JSON.stringify(e).slice(0, 200)}`, accepted: 0 };
  }
  if (m.retryAfterMs !== undefined) return { violation: m.reason === 'queue_full' ? 'queue_full' : null, accepted: 0 };
  if (typeof m.accepted !== 'number' || !Array.isArray(m.rejected)) return { violation: `not an ack ${JSON.stringify(m).slice(0, 200)}`, accepted: 0 };
  return { violation: null, accepted: m.duplicate === true ? 0 : m.accepted };
}

/** Status of an upgrade attempt (101 when it opened) and, when refused, the response content type. */
export function upgrade(url: string, key: string): Promise<{ status: number; contentType: string | undefined }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, key === '' ? {} : { headers: { authorization: `Bearer ${key}` } });
    ws.once('open', () => {
      ws.close();
      resolve({ status: 101, contentType: undefined });
    });
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] });
    });
    ws.once('error', () => resolve({ status: 0, contentType: undefined }));
  });
}
