/**
 * The JSON event-body reader (api/json-event-reader.ts) against JSON.parse, which it stands in for:
 * every body it reads gives the RowEvents the guard takes from JSON.parse's objects, every body of the
 * common shape is read (not declined), numbers come out as the very doubles JSON.parse makes, and
 * reading allocates nothing per event.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { damage, damaged } from '../helpers/damage.js';
import { garbageOf } from '../helpers/garbage.js';
import { JsonEventReader } from '../../dist/api/json-event-reader.js';
import { StringIntern } from '../../dist/api/string-intern.js';
import { EventText } from '../../dist/api/row-event-text.js';
import { RowEvent } from '../../dist/engine/intake/event-guard.js';

/** JsonBody (a const enum in the reader). */
const kOneEvent = 0;
const kEventList = 1;
const kMaxEvents = 64;
const kTypeNames = ['SALE', 'CLICK', 'VIEW'];
const kFields = ['sellerId', 'timestamp', 'type', 'value', 'eventId'];
const textDecoder = new TextDecoder('utf-8', { fatal: true });
const utf8 = (s: string) => new TextEncoder().encode(s);

const newReader = (maxEvents = kMaxEvents, intern = new StringIntern({ entries: 16, maxBytes: 16 })) =>
  new JsonEventReader(maxEvents, new EventText(intern, kTypeNames));

/** What the server's JSON path decodes (ctx.decoder.json), or undefined when it throws. */
function parsed(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(textDecoder.decode(bytes));
  } catch {
    return undefined;
  }
}

const isAscii = (v: unknown) => typeof v === 'string' && [...v].every((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) <= 0x7f && c !== '"' && c !== '\\');
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An event the reader must read when JSON.stringify wrote it: only the five keys, strings of plain ASCII, numbers it computes exactly. */
function readableEvent(ev: unknown, exactNumber: (n: number) => boolean): boolean {
  if (!isPlainObject(ev)) return false;
  const ks = Object.keys(ev);
  if (ks.length === 0 || ks.some((k) => !kFields.includes(k))) return false;
  if ('sellerId' in ev && !isAscii(ev.sellerId)) return false;
  if ('type' in ev && !isAscii(ev.type)) return false;
  if ('eventId' in ev && !isAscii(ev.eventId)) return false;
  if ('value' in ev && !(typeof ev.value === 'number' && exactNumber(ev.value))) return false;
  return !('timestamp' in ev) || (typeof ev.timestamp === 'number' && exactNumber(ev.timestamp)) || isAscii(ev.timestamp);
}

/** Whether JSON.stringify's text of `n` is one the reader computes exactly: ≤ 2^53 - 1 in its digits, decimal exponent within ±22. */
function exactNumber(n: number): boolean {
  if (!Number.isFinite(n)) return true; // written as null: the event is not readable anyway
  const m = /^-?(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(JSON.stringify(n));
  if (m === null) return false;
  const digits = (m[1] + (m[2] ?? '')).replace(/^0+/, '');
  const exponent = Number(m[3] ?? 0) - (m[2]?.length ?? 0);
  return digits === '' || (BigInt(digits) <= BigInt(Number.MAX_SAFE_INTEGER) && Math.abs(exponent) <= 22);
}

/** The reader's event equals the guard's reading of JSON.parse's object. */
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

/** Checks one batch body both ways; returns whether the reader read it. */
function checkBatch(reader: JsonEventReader, bytes: Uint8Array): boolean {
  const read = reader.tryRead(bytes, kEventList);
  if (read) {
    const body = parsed(bytes);
    // nothing JSON.parse refuses is ever read
    expect(body).toBeDefined();
    const events = Array.isArray(body) ? body : (body as { events: unknown[] }).events;
    expect(reader.wrapped).toBe(!Array.isArray(body));
    if (reader.wrapped) expect(Object.keys(body as object)).toEqual(['events']);
    expect(reader.count).toBe(events.length);
    for (let i = 0; i < reader.count; i++) expectSameEvent(reader.events[i], events[i]);
  }
  return read;
}

const idLike = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}$/);
const anyText = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 8 }));
const anyNumber = fc.oneof(
  fc.integer(), fc.double(), fc.maxSafeInteger(), fc.maxSafeNat().map((n) => -n),
  fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
  fc.integer({ min: 0, max: 10_000_000 }).map((n) => n / 100),
  fc.constantFrom(-0, NaN, Infinity, 2 ** 53, 2 ** 53 + 2, 1e21, 1e22, 1e23, 5e-324, 1.7976931348623157e308, 0.1, 0.30000000000000004, 123.456e-20),
);
const other = fc.oneof(fc.constant(null), fc.boolean(), fc.array(fc.integer(), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }));
/** Mostly the common shape, with everything else mixed in. */
const likely = <T, U>(valid: fc.Arbitrary<T>, any: fc.Arbitrary<U>) => fc.oneof({ arbitrary: valid, weight: 5 }, { arbitrary: any, weight: 1 });
const field = fc.oneof(idLike, anyText, anyNumber, other);
const event = fc.record({
  sellerId: likely(idLike, field),
  timestamp: likely(fc.oneof(anyNumber, fc.constant('2026-11-22T12:00:00Z')), field),
  type: likely(fc.constantFrom(...kTypeNames, 'RETURN', 'sale'), field),
  value: likely(anyNumber, field),
  eventId: likely(idLike, field),
  extra: fc.dictionary(fc.constantFrom('email', 'note', '__proto__', 'x', 'sellerID', 'events'), field, { maxKeys: 1 }),
}, { requiredKeys: [] }).map(({ extra, ...fields }) => ({ ...fields, ...extra }));
/** An event of the common shape with realistic numbers: epoch-ms timestamps, values with up to 2 decimals. */
const cleanEvent = fc.record({
  sellerId: idLike,
  timestamp: fc.oneof(fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }), fc.constant('2026-11-22T12:00:00Z')),
  type: fc.constantFrom(...kTypeNames, 'RETURN', 'sale'),
  value: fc.integer({ min: 0, max: 100_000_000 }).map((n) => n / 100),
  eventId: idLike,
}, { requiredKeys: ['sellerId', 'timestamp', 'type'] });
/** How the body is written: compact, indented, or with every kind of JSON whitespace between tokens. */
const layout = fc.constantFrom<(v: unknown) => string>(
  (v) => JSON.stringify(v),
  (v) => JSON.stringify(v, null, 2),
  (v) => JSON.stringify(v, null, '\t').replace(/\n/g, '\r\n'),
  (v) => ` \n${spacedOutsideStrings(JSON.stringify(v))}\r\n`,
);

/** Whitespace around every structural character outside the string literals. */
function spacedOutsideStrings(json: string): string {
  return json.split(/("(?:[^"\\]|\\.)*")/).map((part, i) => (i % 2 === 1 ? part : part.replace(/([,:[\]{}])/g, ' $1\t'))).join('');
}

describe('JSON event-body reader', () => {
  it('reads exactly what JSON.parse decodes, and every batch of the common shape (property)', () => {
    const reader = newReader();
    let read = 0;
    const list = fc.oneof(fc.array(cleanEvent, { minLength: 1, maxLength: kMaxEvents }), fc.array(event, { minLength: 1, maxLength: 12 }),
      fc.array(event, { maxLength: kMaxEvents + 2 }));
    fc.assert(fc.property(list, fc.boolean(), layout, (events, wrap, write) => {
      const bytes = utf8(write(wrap ? { events } : events));
      const wasRead = checkBatch(reader, bytes);
      // not one body of the shape it stands for is left to JSON.parse
      const readable = events.length > 0 && events.length <= kMaxEvents && events.every((e) => readableEvent(JSON.parse(JSON.stringify(e)), exactNumber));
      expect(wasRead).toBe(readable);
      if (wasRead) read++;
    }), { numRuns: 1500 });
    // both sides were exercised
    expect(read).toBeGreaterThan(300);
    expect(reader.declined).toBeGreaterThan(300);
  });

  it('reads a single event for POST /events the same way (property)', () => {
    const reader = newReader(1);
    fc.assert(fc.property(fc.oneof(cleanEvent, event), layout, (ev, write) => {
      const bytes = utf8(write(ev));
      const wasRead = reader.tryRead(bytes, kOneEvent);
      expect(wasRead).toBe(readableEvent(JSON.parse(JSON.stringify(ev)), exactNumber));
      if (wasRead) {
        expect(reader.count).toBe(1);
        expectSameEvent(reader.events[0], parsed(bytes));
      }
      // an array is never a single event
      expect(reader.tryRead(utf8(JSON.stringify([ev])), kOneEvent)).toBe(false);
    }), { numRuns: 800 });
  });

  it('makes of every number text the double JSON.parse makes, or declines it (property)', () => {
    const reader = newReader(1);
    const digits = fc.stringMatching(/^[0-9]{1,24}$/);
    const numberText = fc.tuple(fc.boolean(), digits, fc.option(digits), fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.stringMatching(/^[0-9]{1,3}$/))))
      .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : exp.join('')}`);
    let read = 0;
    fc.assert(fc.property(numberText, (text) => {
      const bytes = utf8(`{"sellerId":"s-1","timestamp":${text},"type":"SALE","value":${text}}`);
      const want = parsed(bytes) as { timestamp: number; value: number } | undefined;
      if (!reader.tryRead(bytes, kOneEvent)) return;
      read++;
      // a leading zero ("012") is not JSON: JSON.parse refuses it, and so must the reader
      expect(want).toBeDefined();
      expect(Object.is(reader.events[0].timestampMs, want!.timestamp)).toBe(true);
      expect(Object.is(reader.events[0].value, want!.value)).toBe(true);
    }), { numRuns: 5000 });
    expect(read).toBeGreaterThan(1000);
  });

  it('never reads damaged bytes differently from JSON.parse: truncated, a byte changed, a byte added (property)', () => {
    const reader = newReader();
    fc.assert(fc.property(fc.array(cleanEvent, { minLength: 1, maxLength: 6 }), damage, (events, [how, at, byte]) => {
      const whole = utf8(JSON.stringify(events));
      const bytes = damaged(whole, [how, at, byte]);
      checkBatch(reader, bytes);
      // a cut body is never read; neither is one with a byte after it, unless that byte is whitespace
      if (how === 'cut') expect(reader.tryRead(bytes, kEventList)).toBe(false);
      if (how === 'append' && ![0x20, 0x09, 0x0a, 0x0d].includes(byte)) expect(reader.tryRead(bytes, kEventList)).toBe(false);
    }), { numRuns: 3000 });
  });

  it('declines what only JSON.parse may answer', () => {
    const reader = newReader(2);
    const ev = '{"sellerId":"s-1","timestamp":1700000000000,"type":"SALE","value":2.5}';
    expect(reader.tryRead(utf8(`[${ev}]`), kEventList)).toBe(true);
    const declined = [
      `[${ev.replace('"type":"SALE"', '"type":"SALE","type":"VIEW"')}]`, // a repeated key: JSON.parse keeps the last
      `[${ev.replace('s-1', 's-\\u0031')}]`, // an escape
      `[${ev.replace('s-1', 'séller')}]`, // non-ASCII
      `[${ev.replace('"value":2.5', '"value":"2.5"')}]`, // a number as a string
      `[${ev.replace('"value":2.5', '"value":null')}]`,
      `[${ev.replace('"value":2.5', '"value":true')}]`,
      `[${ev.replace('"value":2.5', '"value":[2.5]')}]`,
      `[${ev.replace('"value":2.5', '"value":NaN')}]`,
      `[${ev.replace('"value":2.5', '"value":+2.5')}]`,
      `[${ev.replace('"value":2.5', '"value":02.5')}]`,
      `[${ev.replace('"value":2.5', '"value":2.')}]`,
      `[${ev.replace('"value":2.5', '"value":.5')}]`,
      `[${ev.replace('"value":2.5', '"value":2e')}]`,
      `[${ev.replace('"value":2.5', '"value":-')}]`,
      `[${ev.replace('"value":2.5', '"value":0.30000000000000004')}]`, // 17 digits: beyond the exact path
      `[${ev.replace('"value":2.5', '"value":1e400')}]`,
      `[${ev.replace('"sellerId":"s-1"', '"sellerId":7')}]`,
      `[${ev.replace('"sellerId"', '"__proto__":{},"sellerId"')}]`,
      `[${ev.replace('"sellerId"', '"email":"a@b.example","sellerId"')}]`, // a dropped field: counted by the guard
      `[${ev}, ${ev}, ${ev}]`, // more than the pool
      `[${ev},]`,
      `[${ev}] x`,
      `\ufeff[${ev}]`, // a byte-order mark (the text decoder strips it)
      '[]',
      '[{}]',
      `{"events":[${ev}],"note":1}`,
      `{"events":[]}`,
      `{"event":[${ev}]}`,
      ev, // one event is not a list
    ];
    for (const body of declined) expect(reader.tryRead(utf8(body), kEventList), body).toBe(false);
    expect(reader.tryRead(utf8(`{ "events" : [ ${ev} , ${ev} ] }`), kEventList)).toBe(true);
    expect(reader.wrapped).toBe(true);
    expect(reader.count).toBe(2);
    expect(reader.read).toBe(2);
    expect(reader.declined).toBe(declined.length);
  });

  it('reuses its event objects, and takes a repeated seller ID from the string table', () => {
    const intern = new StringIntern({ entries: 1024, maxBytes: 64 });
    const reader = newReader(kMaxEvents, intern);
    const events = Array.from({ length: 30 }, (_, i) => ({ sellerId: `seller-${i % 10}`, timestamp: 1_700_000_000_000 + i, type: kTypeNames[i % 3] }));
    const bytes = utf8(JSON.stringify(events));
    expect(reader.tryRead(bytes, kEventList)).toBe(true);
    const first = reader.events.slice(0, 30);
    expect(intern.misses).toBe(10);
    expect(intern.hits).toBe(20);
    expect(reader.tryRead(bytes, kEventList)).toBe(true);
    expect(intern.misses).toBe(10);
    expect(intern.hits).toBe(50);
    for (let i = 0; i < 30; i++) {
      expect(reader.events[i]).toBe(first[i]);
      expect(reader.events[i].sellerId).toBe(`seller-${i % 10}`);
      // a configured type name is that very string
      expect(reader.events[i].type).toBe(kTypeNames[i % 3]);
      expect(reader.events[i].valueRead).toBe(0);
    }
  });

  it('allocates nothing per event: 100 000 events read with no garbage collection and < 1 byte of heap each', () => {
    const reader = newReader(1000, new StringIntern({ entries: 1 << 12, maxBytes: 64 }));
    const events = Array.from({ length: 1000 }, (_, i) => ({
      sellerId: `seller-${i % 500}`, timestamp: 1_700_000_000_000 + i * 1000, type: kTypeNames[i % 3], value: i + 0.25,
    }));
    const bytes = utf8(JSON.stringify(events));
    for (let i = 0; i < 200; i++) expect(reader.tryRead(bytes, kEventList)).toBe(true);
    const { collections, heapGrowth } = garbageOf(() => reader.tryRead(bytes, kEventList), 100);
    expect(reader.events[999].value).toBe(999.25);
    expect(collections).toBe(0);
    // JSON.parse's objects for the same 100 000 events: hundreds of bytes each (and collections)
    expect(heapGrowth).toBeLessThan(100_000);
  });
});
