import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decoder, encode } from '@msgpack/msgpack';
import { BodyDecoder, DecodeFailure } from '../../dist/api/decode.js';
import { StringIntern, internHash } from '../../dist/api/string-intern.js';

const kMaxBytes = 1 << 20;
const plain = new Decoder({ maxArrayLength: kMaxBytes, maxMapLength: 64, maxStrLength: kMaxBytes, maxBinLength: kMaxBytes, maxExtLength: 0 });

function interning(entries: number, maxBytes = 64): BodyDecoder {
  return new BodyDecoder(kMaxBytes, { entries, maxBytes });
}

const columnarFrame = (sellerIds: string[]) => encode({
  seq: 1, sellerIds, sellerIndex: new Uint8Array(new Uint32Array(sellerIds.map((_, i) => i)).buffer),
  timestamps: new Uint8Array(new Float64Array(sellerIds.length).fill(1_700_000_000_000).buffer),
  typeNames: ['SALE', 'CLICK'], types: new Uint8Array(sellerIds.length), values: new Uint8Array(new Float64Array(sellerIds.length).buffer),
});

describe('string interning in the msgpack decoder', () => {
  it('decodes exactly what the plain decoder does, the first time and from the table (property)', () => {
    // a small table, so entries are replaced all the time; strings from the seller-ID alphabet repeat
    const decoder = interning(8, 16);
    const idLike = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}$/);
    const anyText = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary', maxLength: 40 }));
    const value = fc.oneof(idLike, anyText, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.uint8Array({ maxLength: 8 }));
    const frame = fc.record({ events: fc.array(fc.dictionary(fc.oneof(idLike, fc.string()), value, { maxKeys: 6 }), { maxLength: 20 }), ids: fc.array(idLike, { maxLength: 20 }) });
    fc.assert(fc.property(frame, (f) => {
      const bytes = encode(f);
      let expected: unknown;
      try {
        expected = plain.decode(bytes);
      } catch {
        // what the plain decoder refuses (e.g. a "__proto__" key) the interning one refuses too
        expect(() => decoder.msgpack(bytes)).toThrow(DecodeFailure);
        return;
      }
      expect(decoder.msgpack(bytes)).toStrictEqual(expected);
      expect(decoder.msgpack(bytes)).toStrictEqual(expected);
    }), { numRuns: 400 });
    expect(decoder.intern.hits).toBeGreaterThan(0);
    expect(decoder.intern.misses).toBeGreaterThan(0);
  });

  it('serves a repeated seller table from the table: the same strings, no new decoding', () => {
    const decoder = interning(1 << 14);
    const ids = Array.from({ length: 1000 }, (_, i) => `seller-${i}`);
    const first = decoder.msgpack(columnarFrame(ids)) as { sellerIds: string[]; typeNames: string[] };
    const before = { hits: decoder.intern.hits, misses: decoder.intern.misses };
    const again = decoder.msgpack(columnarFrame(ids)) as { sellerIds: string[]; typeNames: string[] };
    expect(again.sellerIds).toEqual(ids);
    // 1 000 seller IDs and 2 type names, every one a hit returning the very string decoded the first time
    expect(decoder.intern.misses - before.misses).toBe(0);
    expect(decoder.intern.hits - before.hits).toBe(ids.length + 2);
    for (let i = 0; i < ids.length; i++) expect(Object.is(again.sellerIds[i], first.sellerIds[i])).toBe(true);
  });

  it('keeps nothing that is not shaped like a seller ID or type name (e-mails, phone numbers, names)', () => {
    const decoder = interning(1 << 10);
    const pii = { email: 'jane.doe@example.com', phone: '+44 20 7946 0958', digits: '442079460958', name: 'Jane Doe', obfuscated: 'jane(at)example.com' };
    const bytes = encode(pii);
    expect(decoder.msgpack(bytes)).toEqual(pii);
    expect(decoder.msgpack(bytes)).toEqual(pii);
    expect(decoder.intern.hits).toBe(0);
    expect(decoder.intern.misses).toBe(2 * Object.keys(pii).length);
  });

  it('leaves strings longer than the limit, and map keys, to the library', () => {
    const decoder = interning(1 << 10, 8);
    const bytes = encode({ sellerIdThatIsLong: 'a-seller-id-longer-than-8', s: 'short-1' });
    decoder.msgpack(bytes);
    decoder.msgpack(bytes);
    // only 'short-1' (7 bytes) is a value within the limit; keys never count
    expect(decoder.intern.misses).toBe(1);
    expect(decoder.intern.hits).toBe(1);
  });

  it('fails truncated input as before, also when the string would be in the table', () => {
    const decoder = interning(1 << 10);
    const whole = encode({ sellerId: 'seller-7' });
    decoder.msgpack(whole);
    const cut = whole.subarray(0, whole.length - 3);
    expect(() => plain.decode(cut)).toThrow();
    expect(() => decoder.msgpack(cut)).toThrow(DecodeFailure);
  });

  it('tells strings with the same full hash apart by their bytes, at every tail length', () => {
    const ascii = (str: string) => Uint8Array.from(str, (c) => c.charCodeAt(0));
    // two 14-byte IDs with the same 32-bit hash (found by a search over random IDs: 143 597 of them)
    const pair = ['6JEg-fBdy6ITxv', 'yNs9z-8WgnAkdX'];
    expect(internHash(ascii(pair[0]), 0, 14)).toBe(internHash(ascii(pair[1]), 0, 14));
    const [a, b] = pair;
    const table = new StringIntern({ entries: 1 << 10, maxBytes: 64 });
    table.offer(ascii(a), 0, a.length, a);
    // same set, same hash, same length: only the byte comparison can refuse it
    expect(table.find(ascii(b), 0, b.length)).toBeUndefined();
    table.offer(ascii(b), 0, b.length, b);
    expect(table.find(ascii(a), 0, a.length)).toBe(a);
    expect(table.find(ascii(b), 0, b.length)).toBe(b);
    // strings that differ in their last byte only, at offsets inside a larger buffer, lengths 1..13
    for (let length = 1; length <= 13; length++) {
      const small = new StringIntern({ entries: 1 << 10, maxBytes: 16 });
      const base = 'abcdefghijklm'.slice(0, length);
      const buffer = ascii(`xx${base}yy`);
      small.offer(buffer, 2, length, base);
      expect(small.find(buffer, 2, length)).toBe(base);
      const changed = ascii(`xx${base.slice(0, -1)}Zyy`);
      expect(small.find(changed, 2, length)).toBeUndefined();
      // one set of four ways, filled with longer strings: the fifth replaces the first, and the longer
      // string's bytes left in that entry do not stop the shorter one from being found
      const shorter = new StringIntern({ entries: 4, maxBytes: 16 });
      for (const s of ['abcdefghijklmnop', 'bcdefghijklmnopq', 'cdefghijklmnopqr', 'defghijklmnopqrs', base]) shorter.offer(ascii(s), 0, s.length, s);
      expect(shorter.find(ascii(base), 0, length)).toBe(base);
      expect(shorter.find(ascii('abcdefghijklmnop'), 0, 16)).toBeUndefined();
    }
  });

  it('refuses a table that cannot be indexed by a hash or strings longer than the decoder allows', () => {
    expect(() => new StringIntern({ entries: 1000, maxBytes: 64 })).toThrow(RangeError);
    expect(() => new StringIntern({ entries: 2, maxBytes: 64 })).toThrow(RangeError);
    expect(() => new BodyDecoder(1024, { entries: 16, maxBytes: 2048 })).toThrow(RangeError);
  });
});
