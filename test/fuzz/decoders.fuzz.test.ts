/**
 * Fuzzing the decoders in process (no server): the body decoder (JSON, msgpack), the columnar frame
 * decoder and the per-event guard, fed arbitrary bytes and hostile shapes. Each either returns a
 * value or throws its documented failure class (DecodeFailure, FrameError) — never anything else,
 * never slowly, never touching Object.prototype. The guard's agreement with the zod schema is
 * test/unit/event-guard.property.test.ts; here it only has to survive.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encode } from '@msgpack/msgpack';
import { loadConfig } from '../../dist/config/index.js';
import { BodyDecoder, DecodeFailure } from '../../dist/api/decode.js';
import { ColumnScratch, decodeColumnar, FrameError } from '../../dist/api/ws/columnar-decode.js';
import { EventGuard, GuardedEvent } from '../../dist/engine/intake/event-guard.js';
import { kEventStatusNames } from '../../dist/engine/intake/event-status.js';
import { RingGeometry } from '../../dist/engine/ring/layout.js';

const kSeed = 20_261_122;
const kRuns = 20_000;
const kDeepRuns = 200;
const kMaxDepth = 100_000;
const kMaxBytes = 64 * 1024;
/** A single decode or check slower than this counts as a hang. */
const kSlowCallMs = 1_000;
const kMsgpackMaxMapKeys = 64;
const kMaxFrameEvents = 16;
const kMaxFrameSellers = 4;
/** Event objects with many (PII-named) keys: usually a few, one in kManyKeysOdds this many. */
const kManyKeys = 20_000;
const kFewKeys = 100;
const kManyKeysOdds = 200;
const kStatusOk = 0;
const kStatusLate = 1;

const config = loadConfig({ env: {} });
const decoder = new BodyDecoder(kMaxBytes, { entries: config.decode.internEntries, maxBytes: config.decode.internMaxBytes });
const guard = new EventGuard(config, new RingGeometry(config).longestWindowMs);
const now = Date.now();
guard.nowMs = now;
const protoNames = Object.getOwnPropertyNames(Object.prototype).sort();
let slowest = 0;
/** Both sides of each decoder must be exercised: counts of accepted and refused inputs. */
const tally = { runs: 0, columnsOk: 0, columnsRefused: 0, guardAccepted: 0, guardRejected: 0 };

/** Runs `f`, recording the slowest call. */
function timed<T>(f: () => T): T {
  const t0 = performance.now();
  tally.runs++;
  try {
    return f();
  } finally {
    slowest = Math.max(slowest, performance.now() - t0);
  }
}

/** Runs `f`; { ok: false } when it threw `failure`, rethrows anything else. */
function outcome<T>(f: () => T, failure: abstract new (...args: never[]) => Error): { ok: true; value: T } | { ok: false } {
  try {
    return { ok: true, value: timed(f) };
  } catch (err) {
    if (!(err instanceof failure)) throw err;
    return { ok: false };
  }
}

function unpolluted(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoNames);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

/** Keys a value's objects have, anywhere in it, and their largest key count. */
function shapeOf(v: unknown, acc = { proto: false, maxKeys: 0 }): { proto: boolean; maxKeys: number } {
  if (Array.isArray(v)) for (const x of v) shapeOf(x, acc);
  else if (typeof v === 'object' && v !== null && !ArrayBuffer.isView(v)) {
    const keys = Object.keys(v);
    acc.maxKeys = Math.max(acc.maxKeys, keys.length);
    if (keys.includes('__proto__')) acc.proto = true;
    for (const k of keys) shapeOf((v as Record<string, unknown>)[k], acc);
  }
  return acc;
}

const hostileKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'polluted', 'toString', 'hasOwnProperty', 'valueOf', '');
const hostileNumbers = fc.constantFrom('1e999', '-1e999', '1' + '0'.repeat(400), '-0', '0.' + '0'.repeat(400) + '1', '9007199254740993', '1E+308', '4.9e-325');
/** JSON texts: valid values, hostile keys and numbers, then maybe cut or with a byte flipped. */
const jsonText = fc.oneof(
  fc.json(),
  fc.tuple(hostileKeys, fc.json()).map(([k, v]) => `{"${k}":${v},"polluted":1}`),
  fc.tuple(hostileKeys, hostileKeys).map(([a, b]) => `{"${a}":{"${b}":{"polluted":true}}}`),
  hostileNumbers.map((n) => `{"value":${n},"arr":[${n}]}`),
).chain((text) => fc.oneof(
  fc.constant(text),
  fc.nat(text.length).map((cut) => text.slice(0, cut)),
  fc.tuple(fc.nat(Math.max(0, text.length - 1)), fc.integer({ min: 0, max: 255 })).map(([i, b]) => {
    const bytes = new TextEncoder().encode(text);
    if (bytes.length > 0) bytes[i % bytes.length] = b;
    return bytes;
  }),
)).map((t) => (typeof t === 'string' ? new TextEncoder().encode(t) : t));

const msgpackValue = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(hostileKeys, fc.jsonValue(), { maxKeys: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { minKeys: kMsgpackMaxMapKeys - 2, maxKeys: kMsgpackMaxMapKeys + 4 }),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, Number.MAX_VALUE, 2 ** 64, -(2 ** 63)),
  fc.uint8Array({ maxLength: 64 }),
);
/** msgpack: valid encodings, cut or with a byte flipped, and plain random bytes. */
const msgpackBytes = fc.oneof(
  msgpackValue.map((v) => encode(v)),
  fc.tuple(msgpackValue, fc.nat()).map(([v, cut]) => {
    const b = encode(v);
    return b.subarray(0, cut % Math.max(1, b.length));
  }),
  fc.tuple(msgpackValue, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([v, i, x]) => {
    const b = encode(v).slice();
    b[i % b.length] = x;
    return b;
  }),
  fc.uint8Array({ maxLength: 256 }),
  // headers claiming huge lengths (str32, bin32, array32, map32, ext32) with nothing after them
  fc.constantFrom(0xdb, 0xc6, 0xdd, 0xdf, 0xc9).map((h) => new Uint8Array([h, 0xff, 0xff, 0xff, 0xf0, 0x00])),
);
const deepDepth = fc.integer({ min: 1, max: kMaxDepth });
const kKnownValue = { seq: 1, events: [{ sellerId: 'a', timestamp: 1, type: 'SALE', value: 1 }] };
const knownBytes = encode(kKnownValue);

describe('BodyDecoder', () => {
  it('JSON: any bytes decode to what JSON.parse gives, or fail with DecodeFailure', () => {
    fc.assert(fc.property(fc.oneof(jsonText, fc.uint8Array({ maxLength: 256 })), (bytes) => {
      const r = outcome(() => decoder.json(bytes), DecodeFailure);
      let expected: { ok: true; value: unknown } | { ok: false };
      try {
        expected = { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
      } catch {
        expected = { ok: false };
      }
      expect(r).toEqual(expected);
      unpolluted();
    }), { seed: kSeed, numRuns: kRuns });
  });

  it('msgpack: any bytes decode or fail with DecodeFailure, and a failure does not poison the next decode', () => {
    fc.assert(fc.property(msgpackBytes, (bytes) => {
      outcome(() => decoder.msgpack(bytes), DecodeFailure);
      expect(decoder.msgpack(knownBytes)).toEqual(kKnownValue);
      unpolluted();
    }), { seed: kSeed, numRuns: kRuns });
  });

  it('msgpack: values round-trip; only __proto__ keys and maps over the key limit are refused', () => {
    fc.assert(fc.property(msgpackValue, (v) => {
      const r = outcome(() => decoder.msgpack(encode(v)), DecodeFailure);
      const shape = shapeOf(v);
      expect(r.ok).toBe(!shape.proto && shape.maxKeys <= kMsgpackMaxMapKeys);
      if (r.ok && v instanceof Uint8Array) expect(r.value).toEqual(v);
      else if (r.ok) expect(Object.is(r.value, v) || JSON.stringify(r.value) === JSON.stringify(v)).toBe(true);
      unpolluted();
    }), { seed: kSeed + 1, numRuns: kRuns });
  });

  it('deep nesting (arrays and maps, JSON and msgpack) neither overflows the stack nor hangs', () => {
    fc.assert(fc.property(deepDepth, fc.boolean(), (depth, maps) => {
      const json = maps ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth) + ']'.repeat(depth);
      outcome(() => decoder.json(new TextEncoder().encode(json)), DecodeFailure);
      const packed = new Uint8Array(maps ? depth * 3 + 1 : depth + 1);
      for (let i = 0; i < depth; i++) {
        if (maps) packed.set([0x81, 0xa1, 0x61], i * 3);
        else packed[i] = 0x91;
      }
      packed[packed.length - 1] = 0xc0;
      outcome(() => decoder.msgpack(packed), DecodeFailure);
    }), { seed: kSeed, numRuns: kDeepRuns });
  });
});

const binOf = (n: number, width: number) => fc.integer({ min: -9, max: 9 }).chain((d) => fc.uint8Array({ minLength: Math.max(0, n * width + d), maxLength: Math.max(0, n * width + d) }));
const column = (n: number, width: number, item: fc.Arbitrary<unknown>) => fc.oneof(
  { weight: 3, arbitrary: fc.array(item, { minLength: n, maxLength: n }) },
  { weight: 3, arbitrary: binOf(n, width) },
  { weight: 1, arbitrary: fc.array(item, { maxLength: kMaxFrameEvents + 2 }) },
  { weight: 1, arbitrary: fc.oneof(fc.anything(), fc.constant(undefined)) },
);
/** Columnar frames with random columns: of the right length, off by a few, of the wrong kind, or missing. */
const randomFrame = fc.integer({ min: 0, max: kMaxFrameEvents + 2 }).chain((n) => fc.record({
  seq: fc.nat(),
  sellerId: fc.option(fc.oneof(fc.string({ maxLength: 70 }), fc.anything()), { nil: undefined, freq: 2 }),
  sellerIds: fc.oneof(fc.array(fc.oneof(fc.string({ maxLength: 70 }), fc.integer()), { maxLength: kMaxFrameSellers + 2 }), fc.anything()),
  sellerIndex: fc.option(column(n, 4, fc.oneof(fc.nat(kMaxFrameSellers + 1), fc.double())), { nil: undefined }),
  timestamps: column(n, 8, fc.oneof(fc.integer({ min: now - 1e9, max: now }), fc.double(), fc.string())),
  typeNames: fc.oneof(fc.array(fc.constantFrom('SALE', 'CLICK', 'VIEW', 'sale', ''), { maxLength: 4 }), fc.array(fc.string(), { maxLength: 300 }), fc.anything()),
  types: column(n, 1, fc.oneof(fc.nat(5), fc.integer(), fc.double())),
  values: column(n, 8, fc.oneof(fc.double(), fc.nat(), fc.string())),
}, { requiredKeys: ['seq', 'timestamps'] }));

const kTypeNames = ['SALE', 'CLICK', 'VIEW'];
/** A valid columnar frame of n events with one field replaced by a hostile one (or removed, or kept). */
const nearValidFrame = fc.integer({ min: 1, max: kMaxFrameEvents }).chain((n) => fc.tuple(
  fc.constant(n),
  fc.array(fc.constantFrom('s1', 's2', 'shop-3', 'x.y:z', 'a@b.c'), { minLength: 1, maxLength: kMaxFrameSellers }),
  fc.boolean(),
  fc.constantFrom('keep', 'sellerId', 'sellerIds', 'sellerIndex', 'timestamps', 'typeNames', 'types', 'values'),
  fc.oneof(
    fc.integer({ min: 1, max: 8 }).chain((width) => binOf(n, width)),
    fc.array(fc.oneof(fc.nat(300), fc.double(), fc.string({ maxLength: 3 })), { maxLength: n + 2 }),
    fc.anything({ maxDepth: 1 }),
    fc.constant(undefined),
  ),
)).map(([n, sellers, bins, field, hostile]) => {
  const f64 = (xs: number[]) => (bins ? new Uint8Array(Float64Array.from(xs).buffer) : xs);
  const index = Array.from({ length: n }, (_, i) => i % sellers.length);
  const frame: Record<string, unknown> = {
    seq: 1, sellerIds: sellers,
    sellerIndex: bins ? new Uint8Array(Uint32Array.from(index).buffer) : index,
    timestamps: f64(Array.from({ length: n }, (_, i) => now - i)),
    typeNames: kTypeNames, types: Array.from({ length: n }, (_, i) => i % kTypeNames.length),
    values: f64(Array.from({ length: n }, (_, i) => i)),
  };
  if (field !== 'keep' && hostile === undefined) delete frame[field];
  else if (field !== 'keep') frame[field] = hostile;
  return frame;
});
const columnarFrame = fc.oneof(randomFrame, nearValidFrame);

describe('columnar frame decoder', () => {
  const scratch = new ColumnScratch(kMaxFrameEvents);

  it('returns aligned columns or throws FrameError naming a field, for frames sent as msgpack or JSON', () => {
    fc.assert(fc.property(columnarFrame, fc.boolean(), (frame, asJson) => {
      const wire = outcome(() => (asJson ? decoder.json(new TextEncoder().encode(JSON.stringify(frame) ?? 'null')) : decoder.msgpack(encode(frame))), DecodeFailure);
      if (!wire.ok || typeof wire.value !== 'object' || wire.value === null) return;
      const r = outcome(() => decodeColumnar(wire.value as Record<string, unknown>, kMaxFrameEvents, kMaxFrameSellers, scratch), FrameError);
      tally[r.ok ? 'columnsOk' : 'columnsRefused']++;
      if (!r.ok) return;
      const cols = r.value;
      expect(Number.isInteger(cols.length) && cols.length >= 1 && cols.length <= kMaxFrameEvents).toBe(true);
      expect(cols.sellerIds.length).toBeGreaterThanOrEqual(1);
      for (const c of [cols.timestamps, cols.values, cols.types]) expect(c.length).toBeGreaterThanOrEqual(cols.length);
      if (cols.sellerIndex !== null) expect(cols.sellerIndex.length).toBeGreaterThanOrEqual(cols.length);
      unpolluted();
    }), { seed: kSeed, numRuns: kRuns });
  });

  it('FrameError carries a field path for every refusal', () => {
    fc.assert(fc.property(columnarFrame, (frame) => {
      try {
        decodeColumnar(frame as Record<string, unknown>, kMaxFrameEvents, kMaxFrameSellers, scratch);
      } catch (err) {
        expect(err).toBeInstanceOf(FrameError);
        const e = err as InstanceType<typeof FrameError>;
        expect(e.errors).toHaveLength(1);
        expect(e.errors[0].path).toMatch(/^\/[a-zA-Z]+(\/\d+)?$/);
        expect(typeof e.message).toBe('string');
      }
    }), { seed: kSeed + 2, numRuns: kRuns });
  });
});

/** Event-shaped objects whose fields are anything at all, plus prototype tricks and many keys. */
const hostileEvent = fc.oneof(
  fc.record({ sellerId: fc.anything(), timestamp: fc.anything(), type: fc.anything(), value: fc.anything(), eventId: fc.anything() }, { requiredKeys: [] }),
  fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true, withTypedArray: true, withSparseArray: true, withBigInt: true, withDate: true }),
  fc.tuple(hostileKeys, fc.anything()).map(([k, v]) => JSON.parse(`{"sellerId":"s1","timestamp":${now},"type":"VIEW","${k}":${JSON.stringify(v) ?? 'null'}}`) as unknown),
  fc.constantFrom('{"sellerId":"s1","timestamp":1,"__proto__":{"type":"SALE","value":1}}', '{"constructor":{"prototype":{"polluted":1}},"sellerId":"s1"}').map((t) => JSON.parse(t) as unknown),
  fc.oneof({ weight: kManyKeysOdds, arbitrary: fc.nat(kFewKeys) }, { weight: 1, arbitrary: fc.constant(kManyKeys) }).map((n) => Object.fromEntries([['sellerId', 's1'], ['timestamp', now], ['type', 'VIEW'], ...Array.from({ length: n }, (_, i) => [`email${i}`, i])])),
);

describe('event guard', () => {
  it('answers every hostile shape with a known status, and fills a well-typed event when it accepts', () => {
    fc.assert(fc.property(hostileEvent, (input) => {
      const out = new GuardedEvent();
      const status = timed(() => guard.check(input, out));
      expect(Number.isInteger(status) && status >= 0 && status < kEventStatusNames.length).toBe(true);
      const accepted = status === kStatusOk || status === kStatusLate;
      tally[accepted ? 'guardAccepted' : 'guardRejected']++;
      if (accepted) {
        expect(out.sellerId).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/);
        expect(Number.isSafeInteger(out.timestamp)).toBe(true);
        expect(Number.isSafeInteger(out.units) && out.units >= 0).toBe(true);
      }
      unpolluted();
    }), { seed: kSeed, numRuns: kRuns });
  });
});

afterAll(() => {
  console.log(`decoders fuzz: ${JSON.stringify(tally)}, slowest call ${slowest.toFixed(1)} ms`);
  expect(slowest).toBeLessThan(kSlowCallMs);
  for (const n of [tally.columnsOk, tally.columnsRefused, tally.guardAccepted, tally.guardRejected]) expect(n).toBeGreaterThan(0);
});
