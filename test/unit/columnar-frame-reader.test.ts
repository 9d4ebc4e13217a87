/**
 * The columnar-frame reader (api/columnar-frame-reader.ts) against the library it stands in for: every
 * frame it reads is exactly the object the library decodes (key order, bins as views, seller IDs and
 * type names equal), every frame of the common shape is read, a seller table that repeats its bytes
 * gives the strings decoded for the previous one, and a table that differs in one byte does not.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { damage, damaged } from '../helpers/damage.js';
import { encode } from '@msgpack/msgpack';
import { decoded } from '../helpers/msgpack-library.js';
import { ColumnarFrameReader, SellerTableBytes } from '../../dist/api/columnar-frame-reader.js';
import { StringIntern } from '../../dist/api/string-intern.js';
import { EventText } from '../../dist/api/row-event-text.js';

const kMaxSellers = 32;
const kTableBytes = 4096;
const kTypeNames = ['SALE', 'CLICK', 'VIEW'];

const newReader = (intern = new StringIntern({ entries: 16, maxBytes: 16 })) => new ColumnarFrameReader(new EventText(intern, kTypeNames), kMaxSellers);

const isAscii = (v: unknown) => typeof v === 'string' && [...v].every((c) => c.charCodeAt(0) <= 0x7f);
const kColumns = ['sellerIndex', 'timestamps', 'types', 'values'];
const kKeys = ['seq', 'sellerId', 'sellerIds', 'typeNames', ...kColumns];

/** Whether the library's object is one the reader must read: only the frame's keys, each of its type. */
function readable(frame: unknown): boolean {
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame) || ArrayBuffer.isView(frame)) return false;
  const f = frame as Record<string, unknown>;
  const keys = Object.keys(f);
  if (keys.length === 0 || keys.some((k) => !kKeys.includes(k))) return false;
  if ('seq' in f && typeof f.seq !== 'number') return false;
  if ('sellerId' in f && !isAscii(f.sellerId)) return false;
  for (const list of ['sellerIds', 'typeNames']) {
    if (!(list in f)) continue;
    const v = f[list];
    if (!Array.isArray(v) || v.length === 0 || v.length > kMaxSellers || !v.every(isAscii)) return false;
  }
  return kColumns.every((c) => !(c in f) || f[c] instanceof Uint8Array);
}

const idLike = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}$/);
const column = fc.uint8Array({ maxLength: 24 });
const anything = fc.oneof(fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 4 }), fc.double(), fc.integer(), fc.constant(null), fc.boolean(),
  fc.array(fc.integer(), { maxLength: 3 }), fc.array(fc.oneof(idLike, fc.integer()), { maxLength: 3 }), column);
const likely = <T, U>(valid: fc.Arbitrary<T>, any: fc.Arbitrary<U>) => fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: any, weight: 1 });
const idList = fc.array(idLike, { minLength: 1, maxLength: kMaxSellers });
const frameFields = fc.record({
  seq: likely(fc.oneof(fc.nat(), fc.integer({ min: 2 ** 32, max: 2 ** 40 }), fc.double()), anything),
  sellerId: likely(idLike, anything),
  sellerIds: likely(idList, fc.oneof(anything, fc.array(idLike, { maxLength: kMaxSellers + 3 }))),
  typeNames: likely(fc.constant(kTypeNames), fc.oneof(anything, fc.constant(['SALE', 'séle']))),
  sellerIndex: likely(column, anything),
  timestamps: likely(column, anything),
  types: likely(column, anything),
  values: likely(column, anything),
  extra: fc.dictionary(fc.constantFrom('note', 'events', '__proto__', 'x'), anything, { maxKeys: 1 }),
}, { requiredKeys: ['timestamps'] });
/** Any subset of the keys, in a shuffled order, plus now and then one that does not belong. */
const frame = fc.tuple(frameFields, fc.nat()).map(([{ extra, ...fields }, shuffle]) => {
  const entries = Object.entries({ ...fields, ...extra });
  for (let i = entries.length - 1; i > 0; i--) {
    const j = (shuffle + i * 7919) % (i + 1);
    [entries[i], entries[j]] = [entries[j], entries[i]];
  }
  return Object.fromEntries(entries);
});

/** Checks one frame's bytes both ways; returns whether the reader read it. */
function checkAgainstLibrary(reader: ColumnarFrameReader, table: SellerTableBytes, bytes: Uint8Array): boolean {
  const got = reader.tryRead(bytes, table);
  const want = decoded(bytes);
  if (got !== null) {
    // nothing the library refuses is ever read, and what is read is what the library gives
    expect(want).toBeDefined();
    expect(got).toStrictEqual(want);
    expect(Object.keys(got)).toEqual(Object.keys(want as object));
  }
  return got !== null;
}

describe('columnar-frame reader', () => {
  it('reads exactly what the library decodes, and every frame of its shape (property)', () => {
    const reader = newReader();
    const table = new SellerTableBytes(kTableBytes);
    let read = 0;
    fc.assert(fc.property(frame, (f) => {
      const bytes = encode(f);
      const wasRead = checkAgainstLibrary(reader, table, bytes);
      expect(wasRead).toBe(readable(decoded(bytes)));
      // the same bytes again: the table repeats (when there is one) and the answer is the same
      if (wasRead) expect(checkAgainstLibrary(reader, table, bytes)).toBe(true);
      if (wasRead) read++;
    }), { numRuns: 1500 });
    expect(read).toBeGreaterThan(250);
    expect(reader.tablesRepeated).toBeGreaterThan(100);
  });

  it('never reads damaged bytes differently from the library: truncated, a byte changed, a byte added (property)', () => {
    const reader = newReader();
    const table = new SellerTableBytes(kTableBytes);
    fc.assert(fc.property(idList, damage, (ids, [how, at, byte]) => {
      const n = ids.length;
      const whole = encode({
        seq: 3, sellerIds: ids, sellerIndex: new Uint8Array(new Uint32Array(n).buffer), timestamps: new Uint8Array(new Float64Array(n).buffer),
        typeNames: kTypeNames, types: new Uint8Array(n), values: new Uint8Array(new Float64Array(n).buffer),
      });
      // half the time the connection's previous table is this frame's own, so a damaged table is compared with it
      if (at % 2 === 0) expect(reader.tryRead(whole, table)).not.toBeNull();
      const bytes = damaged(whole, [how, at, byte]);
      checkAgainstLibrary(reader, table, bytes);
      if (how !== 'flip') expect(reader.tryRead(bytes, table)).toBeNull();
    }), { numRuns: 3000 });
  });

  it('takes a repeated seller table from the previous frame, and decodes a table that differs in one byte', () => {
    const intern = new StringIntern({ entries: 1024, maxBytes: 64 });
    const reader = newReader(intern);
    const table = new SellerTableBytes(kTableBytes);
    const ids = Array.from({ length: kMaxSellers }, (_, i) => `seller-${i}`);
    const frameOf = (sellerIds: string[], seq: number) => encode({ seq, sellerIds, sellerIndex: new Uint8Array(4 * 2), timestamps: new Uint8Array(8 * 2), typeNames: ['SALE'], types: new Uint8Array(2), values: new Uint8Array(8 * 2) });
    const first = reader.tryRead(frameOf(ids, 1), table)!;
    expect(first.sellerIds).toEqual(ids);
    expect(intern.misses).toBe(kMaxSellers);
    const again = reader.tryRead(frameOf(ids, 2), table)!;
    // the very array of strings, with no lookup at all
    expect(again.sellerIds).toBe(first.sellerIds);
    expect(again.seq).toBe(2);
    expect(reader.tablesRepeated).toBe(1);
    expect(intern.hits + intern.misses).toBe(kMaxSellers);
    // the last ID changes in its last byte: a fresh array, the changed ID decoded, the rest from the string table
    const changed = [...ids.slice(0, -1), `seller-${kMaxSellers - 1}`.replace(/.$/, 'x')];
    const third = reader.tryRead(frameOf(changed, 3), table)!;
    expect(third.sellerIds).toEqual(changed);
    expect(third.sellerIds).not.toBe(first.sellerIds);
    expect(reader.tablesRepeated).toBe(1);
    expect(intern.misses).toBe(kMaxSellers + 1);
    // one seller fewer: the previous table's bytes are not a prefix of this one (its header says how many)
    const shorter = reader.tryRead(frameOf(changed.slice(0, -1), 4), table)!;
    expect(shorter.sellerIds).toEqual(changed.slice(0, -1));
    // a table with an ID the string table does not keep (e-mail-shaped, refused by intake) is not kept either
    const withEmail = [...ids.slice(0, 3), 'jane.doe@example.com'];
    for (let seq = 7; seq < 9; seq++) expect(reader.tryRead(frameOf(withEmail, seq), table)!.sellerIds).toEqual(withEmail);
    expect(reader.tablesRepeated).toBe(1);
    expect(table.length).toBe(0);
    // a table longer than a connection keeps is read afresh every time
    const small = new SellerTableBytes(8);
    expect(reader.tryRead(frameOf(ids, 5), small)!.sellerIds).toEqual(ids);
    expect(reader.tryRead(frameOf(ids, 6), small)!.sellerIds).toEqual(ids);
    expect(reader.tablesRepeated).toBe(1);
  });

  it('declines what only the library may answer: columns as arrays, non-ASCII IDs, repeated keys, extra keys, oversize tables', () => {
    const reader = newReader();
    const table = new SellerTableBytes(kTableBytes);
    const base = { seq: 1, sellerIds: ['a', 'b'], sellerIndex: new Uint8Array(8), timestamps: new Uint8Array(16), typeNames: ['SALE'], types: new Uint8Array(2), values: new Uint8Array(16) };
    expect(reader.tryRead(encode(base), table)).not.toBeNull();
    const declines = [
      { ...base, timestamps: [1, 2] },
      { ...base, sellerIds: ['a', 'bé'] },
      { ...base, sellerIds: [] },
      { ...base, sellerIds: Array.from({ length: kMaxSellers + 1 }, (_, i) => `s${i}`) },
      { ...base, typeNames: [] },
      { ...base, note: 'x' },
      { ...base, events: [] },
      { ...base, seq: '1' },
      { ...base, values: null },
    ];
    for (const f of declines) expect(reader.tryRead(encode(f), table)).toBeNull();
    // "seq" written twice (the encoder cannot: bytes by hand)
    const once = encode(base);
    const twice = Uint8Array.from([0x88, 0xa3, ...new TextEncoder().encode('seq'), 2, ...once.subarray(1)]);
    expect(decoded(twice)).toBeDefined();
    expect(reader.tryRead(twice, table)).toBeNull();
    expect(reader.read).toBe(1);
    expect(reader.declined).toBe(declines.length + 1);
  });
});
