/**
 * Structural checks of a columnar frame and conversion of its columns into aligned typed arrays
 * (msgpack bin payloads sit at arbitrary offsets, so they are copied once per frame).
 */
import type { ColumnarEvents } from '../../engine/index.js';
import type { ProblemFieldError } from '../errors.js';

export class FrameError extends Error {
  readonly errors: ProblemFieldError[];
  constructor(path: string, message: string) {
    super(message);
    this.errors = [{ path, message }];
  }
}

function isBin(x: unknown): x is Uint8Array {
  return x instanceof Uint8Array;
}

function float64Column(x: unknown, n: number, path: string): Float64Array {
  if (isBin(x)) {
    if (x.byteLength !== n * 8) throw new FrameError(path, `must hold ${n} little-endian float64 (${n * 8} bytes)`);
    const out = new Float64Array(n);
    new Uint8Array(out.buffer).set(x);
    return out;
  }
  if (!Array.isArray(x) || x.length !== n) throw new FrameError(path, `must be a bin or an array of ${n} numbers`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v: unknown = x[i];
    if (typeof v !== 'number') throw new FrameError(`${path}/${i}`, 'must be a number');
    out[i] = v;
  }
  return out;
}

function uintColumn<T extends Uint8Array | Uint32Array>(x: unknown, n: number, path: string, Ctor: { new (n: number): T; BYTES_PER_ELEMENT: number }, max: number): T {
  const width = Ctor.BYTES_PER_ELEMENT;
  if (isBin(x)) {
    if (x.byteLength !== n * width) throw new FrameError(path, `must hold ${n} little-endian uint${width * 8} (${n * width} bytes)`);
    const out = new Ctor(n);
    new Uint8Array(out.buffer).set(x);
    return out;
  }
  if (!Array.isArray(x) || x.length !== n) throw new FrameError(path, `must be a bin or an array of ${n} integers`);
  const out = new Ctor(n);
  for (let i = 0; i < n; i++) {
    const v: unknown = x[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw new FrameError(`${path}/${i}`, `must be an integer 0..${max}`);
    out[i] = v;
  }
  return out;
}

function stringList(x: unknown, path: string, max: number): unknown[] {
  if (!Array.isArray(x) || x.length === 0) throw new FrameError(path, 'must be a non-empty array of strings');
  if (x.length > max) throw new FrameError(path, `at most ${max} entries`);
  return x;
}

export function decodeColumnar(frame: Record<string, unknown>, maxEvents: number, maxSellers: number): ColumnarEvents {
  const ts = frame.timestamps;
  const n = isBin(ts) ? ts.byteLength / 8 : Array.isArray(ts) ? ts.length : -1;
  if (n < 0 || !Number.isInteger(n)) throw new FrameError('/timestamps', 'must be a bin of float64 or an array of numbers');
  if (n === 0) throw new FrameError('/timestamps', 'the frame holds no events');
  if (n > maxEvents) throw new FrameError('/timestamps', `at most ${maxEvents} events per frame`);
  let sellerIds: unknown[];
  let sellerIndex: Uint32Array | null = null;
  if (frame.sellerId !== undefined) {
    sellerIds = [frame.sellerId];
  } else {
    sellerIds = stringList(frame.sellerIds, '/sellerIds', maxSellers);
    if (sellerIds.length > 1 || frame.sellerIndex !== undefined) {
      sellerIndex = uintColumn(frame.sellerIndex, n, '/sellerIndex', Uint32Array, sellerIds.length - 1);
    }
  }
  const typeNames = stringList(frame.typeNames, '/typeNames', 256);
  return {
    sellerIds,
    sellerIndex,
    timestamps: float64Column(ts, n, '/timestamps'),
    typeNames,
    types: uintColumn(frame.types, n, '/types', Uint8Array, typeNames.length - 1),
    values: float64Column(frame.values, n, '/values'),
    length: n,
  };
}
