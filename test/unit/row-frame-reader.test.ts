/**
 * The rows-frame reader (api/row-frame-reader.ts) against the library it stands in for: every frame
 * it reads gives the RowEvents the guard takes from the library's decoded objects, every frame of the
 * common shape is read (not declined), and reading allocates nothing per event.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { damage, damaged } from '../helpers/damage.js';
import { garbageOf } from '../helpers/garbage.js';
import { Encoder, encode } from '@msgpack/msgpack';
import { decoded } from '../helpers/msgpack-library.js';
import { RowFrameReader } from '../../dist/api/row-frame-reader.js';
import { StringIntern } from '../../dist/api/string-intern.js';
import { EventText } from '../../dist/api/row-event-text.js';
import { RowEvent } from '../../dist/engine/intake/event-guard.js';

const kMaxEvents = 64;
const kTypeNames = ['SALE', 'CLICK', 'VIEW'];
const kFields = ['sellerId', 'timestamp', 'type', 'value', 'eventId'];

const newReader = (maxEvents = kMaxEvents, intern = new StringIntern({ entries: 16, maxBytes: 16 })) =>
  new RowFrameReader(maxEvents, new EventText(intern, kTypeNames));

const isAscii = (v: unknown) => typeof v === 'string' && [...v].every((c) => c.charCodeAt(0) <= 0x7f);
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);

/**
 * Whether a frame the library decoded to `frame` (from the encoder's bytes: fixmap, fixstr keys) is
 * one the reader must read: exactly {seq, events}, seq a number, 1…max events, each with only the
 * five event keys, text fields ASCII strings, value a number, timestamp a number or an ASCII string.
 */
function readable(frame: unknown): boolean {
  if (!isPlainObject(frame)) return false;
  const keys = Object.keys(frame);
  if (keys.length !== 2 || !keys.includes('seq') || !keys.includes('events')) return false;
  if (typeof frame.seq !== 'number') return false;
  const events = frame.events;
  if (!Array.isArray(events) || events.length === 0 || events.length > kMaxEvents) return false;
  return events.every((ev) => {
    if (!isPlainObject(ev)) return false;
    const ks = Object.keys(ev);
    if (ks.length === 0 || ks.some((k) => !kFields.includes(k))) return false;
    if ('sellerId' in ev && !isAscii(ev.sellerId)) return false;
    if ('type' in ev && !isAscii(ev.type)) return false;
    if ('eventId' in ev && !isAscii(ev.eventId)) return false;
    if ('value' in ev && typeof ev.value !== 'number') return false;
    return !('timestamp' in ev) || typeof ev.timestamp === 'number' || isAscii(ev.timestamp);
  });
}

/** The reader's event `i` equals the guard's reading of the library's object. */
function expectSameEvent(got: RowEvent, object: unknown): void {
  const want = new RowEvent().readFrom(object as Record<string, unknown>);
  expect(Object.is(got.sellerId, want.sellerId)).toBe(true);
  expect(got.timestampRead).toBe(want.timestampRead);
  if (want.timestampRead === 1) expect(Object.is(got.timestampMs, want.timestampMs)).toBe(true);
  if (want.timestampRead === 2) expect(got.timestampText).toBe(want.timestampText);
  expect(Object.is(got.type, want.type)).toBe(true);
  expect(got.valueRead).toBe(want.valueRead);
  if (want.valueRead === 1) expect(Object.is(got.value, want.value)).toBe(true);
  expect(Object.is(got.eventId, want.eventId)).toBe(true);
}

/** Checks one frame's bytes both ways; returns whether the reader read it. */
function checkAgainstLibrary(reader: RowFrameReader, bytes: Uint8Array): boolean {
  const read = reader.tryRead(bytes);
  const frame = decoded(bytes);
  if (read) {
    // nothing the library refuses is ever read
    expect(frame).toBeDefined();
    const f = frame as { seq: number; events: unknown[] };
    expect(Object.is(reader.seq, f.seq)).toBe(true);
    expect(reader.count).toBe(f.events.length);
    for (let i = 0; i < reader.count; i++) expectSameEvent(reader.events[i], f.events[i]);
  }
  return read;
}

const idLike = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}$/);
const anyText = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 8 }));
const anyNumber = fc.oneof(
  fc.integer(), fc.double(), fc.maxSafeInteger(), fc.maxSafeNat().map((n) => -n),
  fc.integer({ min: 0, max: 255 }), fc.integer({ min: -32, max: 127 }), fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
  fc.constantFrom(-0, NaN, Infinity, -Infinity, 2 ** 32, 2 ** 53 + 2, -(2 ** 31) - 1, 65_535, 65_536, -129, 0.1),
);
const other = fc.oneof(fc.constant(null), fc.boolean(), fc.uint8Array({ maxLength: 4 }), fc.array(fc.integer(), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }));
/** Mostly the common shape, with everything else mixed in. */
const likely = <T, U>(valid: fc.Arbitrary<T>, any: fc.Arbitrary<U>) => fc.oneof({ arbitrary: valid, weight: 5 }, { arbitrary: any, weight: 1 });
const field = fc.oneof(idLike, anyText, anyNumber, other);
const event = fc.record({
  sellerId: likely(idLike, field),
  timestamp: likely(fc.oneof(anyNumber, fc.constant('2026-11-22T12:00:00Z')), field),
  type: likely(fc.constantFrom(...kTypeNames, 'RETURN', 'sale'), field),
  value: likely(anyNumber, field),
  eventId: likely(idLike, field),
  extra: fc.dictionary(fc.constantFrom('email', 'note', '__proto__', 'x', 'sellerID'), field, { maxKeys: 1 }),
}, { requiredKeys: [] }).map(({ extra, ...fields }) => ({ ...fields, ...extra }));
/** An event of the common shape: every field well-typed (values still arbitrary numbers and IDs), value and eventId optional. */
const cleanEvent = fc.record({
  sellerId: idLike,
  timestamp: fc.oneof(anyNumber, fc.constant('2026-11-22T12:00:00Z')),
  type: fc.constantFrom(...kTypeNames, 'RETURN', 'sale'),
  value: anyNumber,
  eventId: idLike,
}, { requiredKeys: ['sellerId', 'timestamp', 'type'] });
const seq = fc.oneof(fc.nat(), fc.integer({ min: 2 ** 32, max: 2 ** 40 }));
const cleanFrame = fc.record({ seq, events: fc.array(cleanEvent, { minLength: 1, maxLength: kMaxEvents }) });
const messyFrame = fc.record({
  seq: likely(seq, field),
  events: likely(fc.array(event, { minLength: 1, maxLength: 12 }), fc.oneof(field, fc.array(event, { maxLength: kMaxEvents + 2 }))),
  extra: fc.option(fc.record({ timestamps: fc.uint8Array({ maxLength: 8 }) }), { freq: 6 }),
}).map(({ extra, ...f }) => ({ ...f, ...(extra ?? {}) }));
const frame = fc.oneof(cleanFrame, messyFrame);
/** The encoder's number encodings: smallest integer form, float64, float32, integers as floats. */
const encoder = fc.constantFrom(new Encoder(), new Encoder({ forceFloat32: true }), new Encoder({ forceIntegerToFloat: true }));

describe('rows-frame reader', () => {
  it('reads exactly what the library decodes, and every frame of the common shape (property)', () => {
    const reader = newReader();
    let read = 0;
    fc.assert(fc.property(frame, encoder, (f, enc) => {
      const bytes = enc.encode(f);
      const wasRead = checkAgainstLibrary(reader, bytes);
      // not one frame of the shape it stands for is left to the library
      expect(wasRead).toBe(readable(decoded(bytes)));
      if (wasRead) read++;
    }), { numRuns: 1500 });
    // both sides were exercised
    expect(read).toBeGreaterThan(300);
    expect(reader.declined).toBeGreaterThan(300);
  });

  it('never reads damaged bytes differently from the library: truncated, a byte changed, a byte added (property)', () => {
    const reader = newReader();
    fc.assert(fc.property(fc.array(event, { minLength: 1, maxLength: 6 }), damage, (events, [how, at, byte]) => {
      const whole = encode({ seq: 7, events });
      const bytes = damaged(whole, [how, at, byte]);
      checkAgainstLibrary(reader, bytes);
      // a cut or extended frame is never read
      if (how !== 'flip') expect(reader.tryRead(bytes)).toBe(false);
    }), { numRuns: 3000 });
  });

  it('declines what only the library may answer: repeated keys, str8 keys, nil, non-ASCII, too many events, extra keys', () => {
    const reader = newReader(2);
    const ev = { sellerId: 's-1', timestamp: 1_700_000_000_000, type: 'SALE', value: 2.5 };
    expect(reader.tryRead(encode({ seq: 1, events: [ev] }))).toBe(true);
    // the same event with its "type" key written twice (the encoder cannot write that: bytes by hand)
    const once = encode({ seq: 1, events: [ev] });
    const eventMap = once.indexOf(0x84); // the event's fixmap header: no earlier byte is 0x84
    const typeKey = Uint8Array.from([0xa4, ...new TextEncoder().encode('type'), 0xa4, ...new TextEncoder().encode('SALE')]);
    const twice = Uint8Array.from([...once.subarray(0, eventMap), 0x85, ...typeKey, ...once.subarray(eventMap + 1)]);
    expect(decoded(twice)).toBeDefined();
    expect(reader.tryRead(twice)).toBe(false);
    // a key as str8 (0xd9) instead of fixstr: valid msgpack, left to the library
    const str8 = Uint8Array.from([0x82, 0xd9, 3, ...new TextEncoder().encode('seq'), 1, ...encode({ events: [ev] }).subarray(1)]);
    expect(decoded(str8)).toEqual({ seq: 1, events: [ev] });
    expect(reader.tryRead(str8)).toBe(false);
    expect(reader.tryRead(encode({ seq: 1, events: [{ ...ev, value: null }] }))).toBe(false);
    expect(reader.tryRead(encode({ seq: 1, events: [{ ...ev, sellerId: 'séller' }] }))).toBe(false);
    expect(reader.tryRead(encode({ seq: 1, events: [ev, ev, ev] }))).toBe(false);
    expect(reader.tryRead(encode({ seq: 1, events: [{ ...ev, email: 'a@b.example' }] }))).toBe(false);
    expect(reader.tryRead(encode({ seq: 1, events: [ev], note: 'x' }))).toBe(false);
    expect(reader.tryRead(encode({ seq: 1, events: [] }))).toBe(false);
    expect(reader.read).toBe(1);
    expect(reader.declined).toBe(8);
  });

  it('reuses its event objects, and takes a repeated seller ID from the string table', () => {
    const intern = new StringIntern({ entries: 1024, maxBytes: 64 });
    const reader = newReader(kMaxEvents, intern);
    const events = Array.from({ length: 30 }, (_, i) => ({ sellerId: `seller-${i % 10}`, timestamp: 1_700_000_000_000 + i, type: kTypeNames[i % 3] }));
    expect(reader.tryRead(encode({ seq: 1, events }))).toBe(true);
    const first = reader.events.slice(0, 30);
    // ten distinct IDs decoded once; type names never go through the table
    expect(intern.misses).toBe(10);
    expect(intern.hits).toBe(20);
    expect(reader.tryRead(encode({ seq: 2, events }))).toBe(true);
    expect(intern.misses).toBe(10);
    expect(intern.hits).toBe(50);
    for (let i = 0; i < 30; i++) {
      expect(reader.events[i]).toBe(first[i]);
      expect(reader.events[i].sellerId).toBe(`seller-${i % 10}`);
      expect(reader.events[i].type).toBe(kTypeNames[i % 3]);
      // absent on the wire: the type's default applies in the guard
      expect(reader.events[i].valueRead).toBe(0);
    }
  });

  it('allocates nothing per event: 100 000 events read with no garbage collection and < 1 byte of heap each', () => {
    const reader = newReader(1000, new StringIntern({ entries: 1 << 12, maxBytes: 64 }));
    const events = Array.from({ length: 1000 }, (_, i) => ({
      sellerId: `seller-${i % 500}`, timestamp: 1_700_000_000_000 + i * 1000.5, type: kTypeNames[i % 3], value: i + 0.25,
    }));
    const bytes = encode({ seq: 1, events });
    for (let i = 0; i < 200; i++) expect(reader.tryRead(bytes)).toBe(true);
    const { collections, heapGrowth } = garbageOf(() => reader.tryRead(bytes), 100);
    expect(reader.events[999].value).toBe(999.25);
    expect(collections).toBe(0);
    // the plain library's objects for the same 100 000 events: ~266 bytes each, ~26 MB (and collections)
    expect(heapGrowth).toBeLessThan(100_000);
  });
});
