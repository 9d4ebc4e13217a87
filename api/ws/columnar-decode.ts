/**
 * Structural checks of a columnar frame and conversion of its columns into aligned typed arrays.
 * msgpack bin payloads sit at arbitrary offsets, so they are copied — into per-thread scratch
 * columns allocated once (a fresh ArrayBuffer per frame is external memory, which makes V8 run
 * full collections). The returned columns are valid until the next frame is decoded.
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

/** Reused column storage, sized for the largest frame a queue can take. */
export class ColumnScratch {
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
  readonly sellerIndex: Uint32Array;
  readonly types: Uint8Array;
  readonly bytes: Map<ArrayBufferView, Uint8Array>;
  constructor(capacity: number) {
    this.timestamps = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
    this.sellerIndex = new Uint32Array(capacity);
    this.types = new Uint8Array(capacity);
    this.bytes = new Map<ArrayBufferView, Uint8Array>([this.timestamps, this.values, this.sellerIndex, this.types]
      .map((a) => [a, new Uint8Array(a.buffer)]));
  }
}

function float64Column(x: unknown, n: number, path: string, out: Float64Array, outBytes: Uint8Array): Float64Array {
  if (isBin(x)) {
    if (x.byteLength !== n * 8) throw new FrameError(path, `must hold ${n} little-endian float64 (${n * 8} bytes)`);
    outBytes.set(x);
    return out;
  }
  if (!Array.isArray(x) || x.length !== n) throw new FrameError(path, `must be a bin or an array of ${n} numbers`);
  for (let i = 0; i < n; i++) {
    const v: unknown = x[i];
    if (typeof v !== 'number') throw new FrameError(`${path}/${i}`, 'must be a number');
    out[i] = v;
  }
  return out;
}

function uintColumn<T extends Uint8Array | Uint32Array>(x: unknown, n: number, path: string, out: T, outBytes: Uint8Array, max: number): T {
  const width = out.BYTES_PER_ELEMENT;
  if (isBin(x)) {
    if (x.byteLength !== n * width) throw new FrameError(path, `must hold ${n} little-endian uint${width * 8} (${n * width} bytes)`);
    outBytes.set(x);
    return out;
  }
  if (!Array.isArray(x) || x.length !== n) throw new FrameError(path, `must be a bin or an array of ${n} integers`);
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

export function decodeColumnar(frame: Record<string, unknown>, maxEvents: number, maxSellers: number, scratch: ColumnScratch): ColumnarEvents {
  const ts = frame.timestamps;
  const n = isBin(ts) ? ts.byteLength / 8 : Array.isArray(ts) ? ts.length : -1;
  if (n < 0 || !Number.isInteger(n)) throw new FrameError('/timestamps', 'must be a bin of float64 or an array of numbers');
  if (n === 0) throw new FrameError('/timestamps', 'the frame holds no events');
  if (n > maxEvents || n > scratch.timestamps.length) throw new FrameError('/timestamps', `at most ${maxEvents} events per frame`);
  const b = scratch.bytes;
  let sellerIds: unknown[];
  let sellerIndex: Uint32Array | null = null;
  if (frame.sellerId !== undefined) {
    sellerIds = [frame.sellerId];
  } else {
    sellerIds = stringList(frame.sellerIds, '/sellerIds', maxSellers);
    if (sellerIds.length > 1 || frame.sellerIndex !== undefined) {
      sellerIndex = uintColumn(frame.sellerIndex, n, '/sellerIndex', scratch.sellerIndex, b.get(scratch.sellerIndex)!, sellerIds.length - 1);
    }
  }
  const typeNames = stringList(frame.typeNames, '/typeNames', 256);
  return {
    sellerIds,
    sellerIndex,
    timestamps: float64Column(ts, n, '/timestamps', scratch.timestamps, b.get(scratch.timestamps)!),
    typeNames,
    types: uintColumn(frame.types, n, '/types', scratch.types, b.get(scratch.types)!, typeNames.length - 1),
    values: float64Column(frame.values, n, '/values', scratch.values, b.get(scratch.values)!),
    length: n,
  };
}
