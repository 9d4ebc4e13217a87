/**
 * Event fields read from bytes (./row-frame-reader.ts): which event field a key's bytes name, and the
 * strings made of ASCII bytes — a configured type name is that very string, a seller ID comes from the
 * decoder's string table.
 */
import type { StringIntern } from './string-intern.js';

/** Bit per event field (so a repeated key is seen); kNotAField for any other key. */
export const enum Field { SellerId = 1, Timestamp = 2, Type = 4, Value = 8, EventId = 16 }
export const kNotAField = 0;

export const asciiBytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const kSellerId = asciiBytes('sellerId');
const kTimestamp = asciiBytes('timestamp');
const kType = asciiBytes('type');
const kValue = asciiBytes('value');
const kEventId = asciiBytes('eventId');

/** Whether bytes[start, start + name.length) are `name`. */
export function bytesAre(bytes: Uint8Array, start: number, name: Uint8Array): boolean {
  if (start + name.length > bytes.length) return false;
  for (let i = 0; i < name.length; i++) if (bytes[start + i] !== name[i]) return false;
  return true;
}

/** The event field a key of `length` bytes at `start` names, or kNotAField. */
export function fieldOfKey(bytes: Uint8Array, start: number, length: number): number {
  // the five names differ in length
  switch (length) {
    case 8: return bytesAre(bytes, start, kSellerId) ? Field.SellerId : kNotAField;
    case 9: return bytesAre(bytes, start, kTimestamp) ? Field.Timestamp : kNotAField;
    case 4: return bytesAre(bytes, start, kType) ? Field.Type : kNotAField;
    case 5: return bytesAre(bytes, start, kValue) ? Field.Value : kNotAField;
    case 7: return bytesAre(bytes, start, kEventId) ? Field.EventId : kNotAField;
    default: return kNotAField;
  }
}

/** Strings of ASCII bytes, made once where they repeat. */
export class EventText {
  readonly #intern: StringIntern;
  readonly #typeNames: readonly string[];
  readonly #typeBytes: readonly Uint8Array[];
  /** Only ever given ASCII bytes, which every decoder maps alike. */
  readonly #text = new TextDecoder('utf-8');

  constructor(intern: StringIntern, typeNames: readonly string[]) {
    this.#intern = intern;
    this.#typeNames = typeNames;
    this.#typeBytes = typeNames.map(asciiBytes);
  }

  /** Any string (an event ID, an ISO timestamp, an unknown type name): decoded. */
  plain(bytes: Uint8Array, start: number, length: number): string {
    return this.#text.decode(bytes.subarray(start, start + length));
  }

  /**
   * Whether the last seller ID is one the string table holds (shaped like a seller ID, not too long):
   * what may stay in memory beyond its frame (DESIGN §2 — an e-mail-shaped "seller ID" is rejected by
   * intake and not retained).
   */
  sellerIdKept = false;

  /** A seller ID: from the string table when it was seen before, else decoded and offered to it. */
  sellerId(bytes: Uint8Array, start: number, length: number): string {
    const intern = this.#intern;
    const found = intern.find(bytes, start, length);
    if (found !== undefined) {
      intern.hits++;
      this.sellerIdKept = true;
      return found;
    }
    intern.misses++;
    const str = this.plain(bytes, start, length);
    this.sellerIdKept = intern.offer(bytes, start, length, str);
    return str;
  }

  /** A type name: one of the configured names is that very string, anything else is decoded. */
  typeName(bytes: Uint8Array, start: number, length: number): string {
    const names = this.#typeBytes;
    for (let t = 0; t < names.length; t++) {
      if (names[t].length === length && bytesAre(bytes, start, names[t])) return this.#typeNames[t];
    }
    return this.plain(bytes, start, length);
  }
}
