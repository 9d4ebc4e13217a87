/**
 * Short strings that frames repeat — seller IDs, event type names — decoded once, not once per
 * event. @msgpack/msgpack builds every string value from a fresh array of char codes (its
 * CachedKeyDecoder does this for map keys only): a frame of 1 000 events or a columnar seller table
 * of 1 000 IDs was ~200 KB of garbage, a young-generation collection on the main thread every
 * ~60 ms at 1 M events/s, each a pause for the queries and sockets waiting behind it.
 *
 * The table maps UTF-8 bytes to the string the decoder made of them: four-way set associative by an
 * FNV-1a hash of the bytes, round-robin replacement within a set (deterministic, unlike the key
 * cache's random one), bounded (entries × maxBytes bytes). A hit returns the very string decoded from
 * the same bytes earlier, so decoding is unchanged by construction. Only strings that could be a seller ID or a type name are kept
 * (DESIGN §2: the seller-ID pattern, nothing phone-shaped): a value of a field that intake drops
 * — a name, an e-mail — is decoded as before and never retained here.
 */
import type { Decoder } from '@msgpack/msgpack';
import { looksOpaque } from '../engine/intake/seller-id.js';

const kFnvOffset = 0x811c9dc5;
const kFnvPrime = 0x01000193;
/** Entries per set: with two, a table four times the size of a 1 000-seller working set still missed 61 of them. */
const kWays = 4;

export interface StringInternOptions {
  /** Table entries, a power of two. */
  entries: number;
  /** Longest string (in UTF-8 bytes) kept; longer ones are decoded as usual. */
  maxBytes: number;
}

export class StringIntern {
  readonly maxBytes: number;
  readonly #mask: number;
  readonly #bytes: Uint8Array;
  /** Byte length per entry; 0 = empty (the empty string is never interned). */
  readonly #lengths: Uint8Array | Uint16Array;
  readonly #strings: (string | undefined)[];
  /** Per set: which way the next store into a full set replaces. */
  readonly #victim: Uint8Array;
  hits = 0;
  misses = 0;

  constructor(options: StringInternOptions) {
    const { entries, maxBytes } = options;
    if (entries < kWays || (entries & (entries - 1)) !== 0) throw new RangeError(`entries must be a power of two ≥ ${kWays}`);
    this.maxBytes = maxBytes;
    this.#mask = entries - 1;
    this.#bytes = new Uint8Array(entries * maxBytes);
    this.#lengths = maxBytes < 256 ? new Uint8Array(entries) : new Uint16Array(entries);
    this.#strings = new Array<string | undefined>(entries).fill(undefined);
    this.#victim = new Uint8Array(entries / kWays);
  }

  /** First entry of the set `bytes[offset, offset + length)` belongs to. */
  #set(bytes: Uint8Array, offset: number, length: number): number {
    let h = kFnvOffset;
    for (let i = 0; i < length; i++) h = Math.imul(h ^ bytes[offset + i], kFnvPrime);
    return (h >>> 0) & this.#mask & ~(kWays - 1);
  }

  #matches(entry: number, bytes: Uint8Array, offset: number, length: number): boolean {
    if (this.#lengths[entry] !== length) return false;
    const base = entry * this.maxBytes;
    for (let i = 0; i < length; i++) if (this.#bytes[base + i] !== bytes[offset + i]) return false;
    return true;
  }

  /** The string stored for these bytes, or undefined. */
  find(bytes: Uint8Array, offset: number, length: number): string | undefined {
    if (length === 0 || length > this.maxBytes) return undefined;
    const set = this.#set(bytes, offset, length);
    for (let way = 0; way < kWays; way++) {
      if (this.#matches(set + way, bytes, offset, length)) return this.#strings[set + way];
    }
    return undefined;
  }

  /** Keeps `str`, decoded from these bytes, if it is one a frame may repeat (a seller ID or type name). */
  offer(bytes: Uint8Array, offset: number, length: number, str: string): void {
    if (length === 0 || length > this.maxBytes || !looksOpaque(str)) return;
    const set = this.#set(bytes, offset, length);
    let entry = -1;
    for (let way = 0; way < kWays && entry < 0; way++) if (this.#lengths[set + way] === 0) entry = set + way;
    if (entry < 0) {
      const index = set / kWays;
      entry = set + this.#victim[index];
      this.#victim[index] = (this.#victim[index] + 1) % kWays;
    }
    this.#bytes.set(bytes.subarray(offset, offset + length), entry * this.maxBytes);
    this.#lengths[entry] = length;
    this.#strings[entry] = str;
  }
}

/** The decoder's string hook and the state it reads (@msgpack/msgpack 3.x, private in its types). */
interface DecoderStrings {
  bytes: Uint8Array;
  pos: number;
  decodeUtf8String(byteLength: number, headerOffset: number): string;
  stateIsMapKey(): boolean;
}

/**
 * Makes `decoder` take string values from `intern` (map keys stay with the library's key cache).
 * The hook is the library's own string decoding step; a version without it fails here, at start.
 */
export function internStringValues(decoder: Decoder, intern: StringIntern): void {
  const d = decoder as unknown as DecoderStrings;
  const decodeUtf8String = d.decodeUtf8String;
  if (typeof decodeUtf8String !== 'function' || typeof d.stateIsMapKey !== 'function') {
    throw new Error('@msgpack/msgpack Decoder has no decodeUtf8String/stateIsMapKey: string interning needs updating');
  }
  d.decodeUtf8String = function interned(this: DecoderStrings, byteLength: number, headerOffset: number): string {
    const offset = this.pos + headerOffset;
    // the library's own checks (too long, truncated input) run on every path that is not a hit
    if (byteLength > intern.maxBytes || this.bytes.byteLength < offset + byteLength || this.stateIsMapKey()) {
      return decodeUtf8String.call(this, byteLength, headerOffset);
    }
    const found = intern.find(this.bytes, offset, byteLength);
    if (found !== undefined) {
      intern.hits++;
      this.pos = offset + byteLength;
      return found;
    }
    intern.misses++;
    const str = decodeUtf8String.call(this, byteLength, headerOffset);
    intern.offer(this.bytes, offset, byteLength, str);
    return str;
  };
}
