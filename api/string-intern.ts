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
/** MurmurHash3's 32-bit finaliser constants: every input bit moves every bit of the set index. */
const kMix1 = 0x85ebca6b;
const kMix2 = 0xc2b2ae35;
/** Entries per set: with two, a table four times the size of a 1 000-seller working set still missed 61 of them. */
const kWays = 4;
const kWordBytes = 4;

export interface StringInternOptions {
  /** Table entries, a power of two. */
  entries: number;
  /** Longest string (in UTF-8 bytes) kept; longer ones are decoded as usual. */
  maxBytes: number;
}

/** Little-endian word of the bytes at `at` (all four inside the string). */
function wordAt(bytes: Uint8Array, at: number): number {
  return bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24);
}

/** Little-endian word of the string's last `end - at` (< 4) bytes, zeros above them. */
function tailAt(bytes: Uint8Array, at: number, end: number): number {
  let w = 0;
  for (let shift = 0; at < end; at++, shift += 8) w |= bytes[at] << shift;
  return w;
}

/** Hash of `bytes[offset, offset + length)`: FNV-1a over words, then MurmurHash3's finaliser. */
export function internHash(bytes: Uint8Array, offset: number, length: number): number {
  const end = offset + length;
  let h = kFnvOffset ^ length;
  let at = offset;
  for (; at + kWordBytes <= end; at += kWordBytes) h = Math.imul(h ^ wordAt(bytes, at), kFnvPrime);
  if (at < end) h = Math.imul(h ^ tailAt(bytes, at, end), kFnvPrime);
  h ^= h >>> 16;
  h = Math.imul(h, kMix1);
  h ^= h >>> 13;
  h = Math.imul(h, kMix2);
  return h ^ (h >>> 16);
}

/**
 * A string's bytes are hashed and compared a 32-bit word at a time (a stored entry is zero-padded to a
 * whole word), and each entry keeps its full hash, so ways holding other strings — seller IDs often
 * share a long prefix — are passed over with one comparison each: byte by byte, lookup was 60 % of
 * decoding a columnar frame's seller table.
 */
export class StringIntern {
  readonly maxBytes: number;
  readonly #mask: number;
  /** Words per entry (maxBytes rounded up to whole words). */
  readonly #stride: number;
  readonly #words: Int32Array;
  /** Full hash per entry: a way holding another string is passed over with one comparison. */
  readonly #hashes: Int32Array;
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
    this.#stride = Math.ceil(maxBytes / kWordBytes);
    this.#words = new Int32Array(entries * this.#stride);
    this.#hashes = new Int32Array(entries);
    this.#lengths = maxBytes < 256 ? new Uint8Array(entries) : new Uint16Array(entries);
    this.#strings = new Array<string | undefined>(entries).fill(undefined);
    this.#victim = new Uint8Array(entries / kWays);
  }

  /** First entry of the set a hash belongs to. */
  #set(hash: number): number {
    return hash & this.#mask & ~(kWays - 1);
  }

  #matches(entry: number, hash: number, bytes: Uint8Array, offset: number, length: number): boolean {
    if (this.#hashes[entry] !== hash || this.#lengths[entry] !== length) return false;
    const words = this.#words;
    const end = offset + length;
    let w = entry * this.#stride;
    let at = offset;
    for (; at + kWordBytes <= end; at += kWordBytes, w++) if (words[w] !== wordAt(bytes, at)) return false;
    return at === end || words[w] === tailAt(bytes, at, end);
  }

  /** The string stored for these bytes, or undefined. */
  find(bytes: Uint8Array, offset: number, length: number): string | undefined {
    if (length === 0 || length > this.maxBytes) return undefined;
    const hash = internHash(bytes, offset, length);
    const set = this.#set(hash);
    for (let way = 0; way < kWays; way++) {
      if (this.#matches(set + way, hash, bytes, offset, length)) return this.#strings[set + way];
    }
    return undefined;
  }

  /** Keeps `str`, decoded from these bytes, if it is one a frame may repeat (a seller ID or type name); whether it was kept. */
  offer(bytes: Uint8Array, offset: number, length: number, str: string): boolean {
    if (length === 0 || length > this.maxBytes || !looksOpaque(str)) return false;
    const hash = internHash(bytes, offset, length);
    const set = this.#set(hash);
    let entry = -1;
    for (let way = 0; way < kWays && entry < 0; way++) if (this.#lengths[set + way] === 0) entry = set + way;
    if (entry < 0) {
      const index = set / kWays;
      entry = set + this.#victim[index];
      this.#victim[index] = (this.#victim[index] + 1) % kWays;
    }
    const words = this.#words;
    const end = offset + length;
    let w = entry * this.#stride;
    let at = offset;
    for (; at + kWordBytes <= end; at += kWordBytes) words[w++] = wordAt(bytes, at);
    // the padding of a whole last word is zero, whatever a longer string left there
    if (at < end) words[w] = tailAt(bytes, at, end);
    this.#lengths[entry] = length;
    this.#hashes[entry] = hash;
    this.#strings[entry] = str;
    return true;
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
