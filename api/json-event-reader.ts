/**
 * JSON request bodies of POST /events and POST /events/batch read straight from their bytes into the
 * guard's RowEvents, made once and reused — the HTTP sibling of ./row-frame-reader.ts. Decoding a
 * batch of 1 000 events to text and `JSON.parse` cost ~700 ns per event on this machine (an object,
 * its strings and boxed numbers per event, then garbage); reading the bytes here costs 250–330 ns.
 *
 * It reads only the common shape, exactly as `JSON.parse` would, and declines everything else: an
 * event object `{sellerId, timestamp, type, value, eventId?}` alone (POST /events), in an array or in
 * `{"events": [...]}` (POST /events/batch); JSON whitespace between tokens. Declined: another key (a
 * dropped field), a repeated key, an empty object or array, any string with an escape, a control
 * character or a non-ASCII byte, true/false/null, nested values, a number `JSON.parse` would not
 * round exactly as computed here (more than 2^53 in its digits, or a decimal exponent beyond ±22), a
 * byte-order mark, bytes after the value, more events than the pool. A declined body is decoded by
 * `JSON.parse` as before, so errors, field stripping and PII counting keep their single
 * implementation. A property test proves that a body this reader takes gives the same RowEvents as
 * `JSON.parse`'s objects read by the guard.
 *
 * Written as plain functions over (bytes, position) returning the next position or kDecline: the same
 * reader as a class with private methods ran 4–5× slower (V8 inlined little of it).
 */
import { RowEvent, TimestampRead, ValueRead } from '../engine/intake/event-guard.js';
import { asciiBytes, bytesAre, type EventText, Field } from './row-event-text.js';

/** The bytes of JSON's grammar used here. */
const kTab = 0x09;
const kLineFeed = 0x0a;
const kReturn = 0x0d;
const kSpace = 0x20;
const kQuote = 0x22;
const kPlus = 0x2b;
const kComma = 0x2c;
const kMinus = 0x2d;
const kDot = 0x2e;
const kZero = 0x30;
const kNine = 0x39;
const kColon = 0x3a;
const kBigE = 0x45;
const kOpenArray = 0x5b;
const kBackslash = 0x5c;
const kCloseArray = 0x5d;
const kSmallE = 0x65;
const kOpenObject = 0x7b;
const kCloseObject = 0x7d;
const kLastAscii = 0x7f;

/** A position for input this reader does not take: the body goes to JSON.parse. */
const kDecline = -1;

/** Each key with its closing quote, so one compare checks the name and its end. */
const kSellerIdKey = asciiBytes('sellerId"');
const kTimestampKey = asciiBytes('timestamp"');
const kTypeKey = asciiBytes('type"');
const kValueKey = asciiBytes('value"');
const kEventIdKey = asciiBytes('eventId"');
const kEventsKey = asciiBytes('events"');

/** Bytes `at` … `at + 3` of `key` as the little-endian word DataView#getUint32(…, true) reads. */
const wordOf = (key: Uint8Array, at: number): number => new DataView(key.buffer, key.byteOffset).getUint32(at, true);
/** The event keys as words and last bytes: 'sell' 'erId' '"', 'time' 'stam' 'p"', 'type' '"', 'valu' 'e"', 'even' 'tId"'. */
const kSellerId0 = wordOf(kSellerIdKey, 0);
const kSellerId1 = wordOf(kSellerIdKey, 4);
const kTimestamp0 = wordOf(kTimestampKey, 0);

const kType0 = wordOf(kTypeKey, 0);
const kValue0 = wordOf(kValueKey, 0);
const kEventId0 = wordOf(kEventIdKey, 0);
const kEventId1 = wordOf(kEventIdKey, 4);

/** Above this the digits no longer accumulate exactly in a double (2^53 - 1). */
const kMaxExactDigits = Number.MAX_SAFE_INTEGER;
/**
 * 10^0 … 10^22, each exactly a double: digits ≤ 2^53 times or divided by one of them is a single
 * correctly rounded operation, which is the double `JSON.parse` makes of the same text (Clinger's fast
 * path). Other numbers are declined.
 */
const kExactPowersOfTen = Float64Array.from({ length: 23 }, (_, e) => Number(`1e${e}`));
const kMaxExactPower = kExactPowersOfTen.length - 1;
/** An exponent this long is declined anyway; stops the accumulation from growing without bound. */
const kExponentCap = 10_000;

/** Which top-level shape to read. */
export const enum JsonBody { OneEvent, EventList }

/** The last number read (a double field updated in place: no heap number per event). */
class NumberRead {
  value = 0.5;
}

const viewOf = (bytes: Uint8Array): DataView => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Position after the JSON whitespace at `p`. */
function skipSpace(bytes: Uint8Array, p: number): number {
  while (p < bytes.length) {
    const b = bytes[p];
    if (b > kSpace || (b !== kSpace && b !== kLineFeed && b !== kReturn && b !== kTab)) break;
    p++;
  }
  return p;
}

/**
 * Position of the closing quote of the string whose first byte is at `p`; kDecline for a string this
 * reader does not take (an escape, a control character, a non-ASCII byte, no closing quote).
 */
function closingQuote(bytes: Uint8Array, p: number): number {
  for (let i = p; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === kQuote) return i;
    if (b < kSpace || b === kBackslash || b > kLastAscii) return kDecline;
  }
  return kDecline;
}

/**
 * The field whose key (with its closing quote) starts at `p`, or 0 — compared a word at a time (byte by
 * byte this compare was ~15 % of the reader's profile; words made the reader ~10 % faster).
 */
function keyAt(bytes: Uint8Array, view: DataView, p: number): number {
  if (p + kSellerIdKey.length > bytes.length) {
    // too close to the end for the longer keys: compare byte by byte
    for (const [key, field] of kShortKeys) if (bytesAre(bytes, p, key)) return field;
    return 0;
  }
  const word = view.getUint32(p, true);
  switch (word) {
    case kSellerId0:
      return view.getUint32(p + 4, true) === kSellerId1 && bytes[p + 8] === kQuote ? Field.SellerId : 0;
    case kTimestamp0:
      return bytesAre(bytes, p, kTimestampKey) ? Field.Timestamp : 0;
    case kType0:
      return bytes[p + 4] === kQuote ? Field.Type : 0;
    case kValue0:
      return bytes[p + 4] === kValueKey[4] && bytes[p + 5] === kQuote ? Field.Value : 0;
    case kEventId0:
      return view.getUint32(p + 4, true) === kEventId1 ? Field.EventId : 0;
    default:
      return 0;
  }
}

/** The keys that fit in fewer bytes than 'sellerId"' (a body's last bytes). */
const kShortKeys: readonly (readonly [Uint8Array, Field])[] = [[kTypeKey, Field.Type], [kValueKey, Field.Value], [kEventIdKey, Field.EventId]];

/** Length of the key (with its closing quote) of `field`. */
function keyLength(field: number): number {
  switch (field) {
    case Field.SellerId: return kSellerIdKey.length;
    case Field.Timestamp: return kTimestampKey.length;
    case Field.Type: return kTypeKey.length;
    case Field.Value: return kValueKey.length;
    default: return kEventIdKey.length;
  }
}

/**
 * Reads a JSON number at `p` — `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` — into `out` when it
 * is exactly the double `JSON.parse` makes of it (see kExactPowersOfTen); returns the position after
 * it, else kDecline. The byte after it is the caller's to check.
 */
function readNumber(bytes: Uint8Array, p: number, out: NumberRead): number {
  const end = bytes.length;
  const negative = p < end && bytes[p] === kMinus;
  if (negative) p++;
  if (p >= end) return kDecline;
  let b = bytes[p];
  let digits = 0;
  if (b === kZero) {
    p++;
  } else if (b > kZero && b <= kNine) {
    do {
      digits = digits * 10 + (b - kZero);
      p++;
      b = p < end ? bytes[p] : 0;
    } while (b >= kZero && b <= kNine);
  } else {
    return kDecline;
  }
  let exponent = 0;
  if (p < end && bytes[p] === kDot) {
    const first = ++p;
    b = p < end ? bytes[p] : 0;
    while (b >= kZero && b <= kNine) {
      digits = digits * 10 + (b - kZero);
      p++;
      b = p < end ? bytes[p] : 0;
    }
    if (p === first) return kDecline;
    exponent = first - p;
  }
  if (digits > kMaxExactDigits) return kDecline;
  if (p < end && (bytes[p] === kSmallE || bytes[p] === kBigE)) {
    p++;
    let sign = 1;
    if (p < end && (bytes[p] === kPlus || bytes[p] === kMinus)) {
      if (bytes[p] === kMinus) sign = -1;
      p++;
    }
    const first = p;
    let written = 0;
    b = p < end ? bytes[p] : 0;
    while (b >= kZero && b <= kNine) {
      if (written < kExponentCap) written = written * 10 + (b - kZero);
      p++;
      b = p < end ? bytes[p] : 0;
    }
    if (p === first) return kDecline;
    exponent += sign * written;
  }
  let value: number;
  if (digits === 0 || exponent === 0) value = digits;
  else if (exponent > 0 && exponent <= kMaxExactPower) value = digits * kExactPowersOfTen[exponent];
  else if (exponent < 0 && -exponent <= kMaxExactPower) value = digits / kExactPowersOfTen[-exponent];
  else return kDecline;
  out.value = negative ? -value : value;
  return p;
}

/** Reads one event object at `p` into `ev`; the position after it, or kDecline. */
function readEvent(bytes: Uint8Array, view: DataView, p: number, ev: RowEvent, text: EventText, number: NumberRead): number {
  if (p >= bytes.length || bytes[p] !== kOpenObject) return kDecline;
  ev.clear();
  let seen = 0;
  for (;;) {
    p++;
    // compact JSON has no whitespace: look before calling (the calls were not inlined)
    if (bytes[p] <= kSpace) p = skipSpace(bytes, p);
    if (p >= bytes.length || bytes[p] !== kQuote) return kDecline;
    const field = keyAt(bytes, view, p + 1);
    if (field === 0 || (seen & field) !== 0) return kDecline;
    seen |= field;
    p += 1 + keyLength(field);
    if (bytes[p] <= kSpace) p = skipSpace(bytes, p);
    if (p >= bytes.length || bytes[p] !== kColon) return kDecline;
    p++;
    if (bytes[p] <= kSpace) p = skipSpace(bytes, p);
    if (p >= bytes.length) return kDecline;
    if (bytes[p] === kQuote) {
      // a string: sellerId, type, eventId, or an ISO-8601 timestamp (checked by the guard)
      const start = p + 1;
      const close = closingQuote(bytes, start);
      if (close === kDecline) return kDecline;
      const length = close - start;
      switch (field) {
        case Field.SellerId: ev.sellerId = text.sellerId(bytes, start, length); break;
        case Field.Type: ev.type = text.typeName(bytes, start, length); break;
        case Field.EventId: ev.eventId = text.plain(bytes, start, length); break;
        case Field.Timestamp:
          ev.timestampRead = TimestampRead.Text;
          ev.timestampText = text.plain(bytes, start, length);
          break;
        default: return kDecline; // a value sent as text
      }
      p = close + 1;
    } else {
      p = readNumber(bytes, p, number);
      if (p === kDecline) return kDecline;
      if (field === Field.Timestamp) {
        ev.timestampRead = TimestampRead.Number;
        ev.timestampMs = number.value;
      } else if (field === Field.Value) {
        ev.valueRead = ValueRead.Number;
        ev.value = number.value;
      } else {
        return kDecline; // a seller ID, type or event ID sent as a number
      }
    }
    if (bytes[p] <= kSpace) p = skipSpace(bytes, p);
    if (p >= bytes.length) return kDecline;
    const b = bytes[p];
    if (b === kCloseObject) return p + 1;
    if (b !== kComma) return kDecline;
  }
}

export class JsonEventReader {
  /** The events read (made once, reused); only the first `count` belong to the last body. */
  readonly events: readonly RowEvent[];
  count = 0;
  /** Whether the list was sent as `{"events": [...]}` (error paths then start with /events). */
  wrapped = false;
  /** Bodies read here / declined to JSON.parse (for /metrics). */
  read = 0;
  declined = 0;

  readonly #text: EventText;
  readonly #number = new NumberRead();

  /** `maxEvents`: lists with more events are declined (the JSON.parse path answers them with its error). */
  constructor(maxEvents: number, text: EventText) {
    this.events = Array.from({ length: Math.max(1, maxEvents) }, () => new RowEvent());
    this.#text = text;
  }

  /** Reads a body of the given shape into `count`, `wrapped` and `events`; false when it must go to JSON.parse. */
  tryRead(bytes: Uint8Array, shape: JsonBody): boolean {
    this.wrapped = false;
    const start = skipSpace(bytes, 0);
    let end: number;
    if (shape === JsonBody.OneEvent) {
      end = readEvent(bytes, viewOf(bytes), start, this.events[0], this.#text, this.#number);
      this.count = 1;
    } else {
      end = this.#eventBody(bytes, start);
    }
    const ok = end !== kDecline && skipSpace(bytes, end) === bytes.length;
    if (ok) this.read++;
    else this.declined++;
    return ok;
  }

  /** `[...]` or `{"events": [...]}` at `p`: the position after it, or kDecline. */
  #eventBody(bytes: Uint8Array, p: number): number {
    if (p < bytes.length && bytes[p] === kOpenArray) return this.#eventList(bytes, p);
    if (p >= bytes.length || bytes[p] !== kOpenObject) return kDecline;
    p = skipSpace(bytes, p + 1);
    if (p >= bytes.length || bytes[p] !== kQuote || !bytesAre(bytes, p + 1, kEventsKey)) return kDecline;
    p = skipSpace(bytes, p + 1 + kEventsKey.length);
    if (p >= bytes.length || bytes[p] !== kColon) return kDecline;
    p = skipSpace(bytes, p + 1);
    if (p >= bytes.length || bytes[p] !== kOpenArray) return kDecline;
    p = this.#eventList(bytes, p);
    if (p === kDecline) return kDecline;
    p = skipSpace(bytes, p);
    if (p >= bytes.length || bytes[p] !== kCloseObject) return kDecline;
    this.wrapped = true;
    return p + 1;
  }

  /** `[event, …]` at `p` with at least one event and at most the pool's size: the position after it, or kDecline. */
  #eventList(bytes: Uint8Array, p: number): number {
    const events = this.events;
    const view = viewOf(bytes);
    const text = this.#text;
    const number = this.#number;
    let n = 0;
    for (;;) {
      if (n === events.length) return kDecline;
      p++;
      if (bytes[p] <= kSpace) p = skipSpace(bytes, p);
      p = readEvent(bytes, view, p, events[n], text, number);
      if (p === kDecline) return kDecline;
      n++;
      if (bytes[p] <= kSpace) p = skipSpace(bytes, p);
      if (p >= bytes.length) return kDecline;
      const b = bytes[p];
      if (b === kCloseArray) {
        this.count = n;
        return p + 1;
      }
      if (b !== kComma) return kDecline;
    }
  }
}
