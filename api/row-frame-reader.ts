/**
 * The common WebSocket frame — msgpack `{seq, events: [{sellerId, timestamp, type, value, eventId?}]}`
 * — read straight from its bytes into the guard's RowEvents, made once and reused, so a rows frame
 * allocates nothing per event (STYLE: hot paths allocate nothing per event; a repeated seller ID
 * comes from the decoder's string table, a type name is the configured string itself).
 * @msgpack/msgpack builds a fresh map object per event and walks a generic state machine: on a frame
 * of 1 000 events it was ~80 % of the main thread's work per frame.
 *
 * It reads only that shape, exactly as the library would decode it, and declines everything else:
 * another key (a dropped field, a columnar frame), a repeated key, a value of another msgpack type
 * (nil, bool, bin, ext, array, map), non-ASCII text, a map key not written as a fixstr, truncated
 * input or bytes after the frame. A declined frame is decoded by the library as before, so errors,
 * field stripping and PII counting keep their one implementation. A property test proves that a frame
 * this reader accepts gives the same RowEvents as the library's objects read by the guard.
 */
import { RowEvent, TimestampRead, ValueRead } from '../engine/intake/event-guard.js';
import { asciiBytes, type EventText, Field, fieldOfKey, kNotAField } from './row-event-text.js';
import { MsgpackCursor } from './msgpack-cursor.js';

const kSeq = asciiBytes('seq');
const kEvents = asciiBytes('events');

export class RowFrameReader extends MsgpackCursor {
  /** The events read (made once, reused); only the first `count` belong to the last frame. */
  readonly events: readonly RowEvent[];
  seq = 0;
  count = 0;
  /** Frames read here / declined to the library (for /metrics). */
  read = 0;
  declined = 0;

  readonly #text: EventText;
  /** The last string read by #string. */
  #str = '';

  /** `maxEvents`: frames with more events are declined (the library path answers them with its error). */
  constructor(maxEvents: number, text: EventText) {
    super();
    this.events = Array.from({ length: maxEvents }, () => new RowEvent());
    this.#text = text;
  }

  /** Reads a rows frame into `seq`, `count` and `events`; false when the frame must go to the library. */
  tryRead(bytes: Uint8Array): boolean {
    this.reset(bytes);
    const ok = this.#frame() && this.atEnd();
    if (ok) this.read++;
    else this.declined++;
    // the frame's bytes are reused by the caller: hold no reference past the call
    this.release();
    return ok;
  }

  #frame(): boolean {
    if (this.mapLength() !== 2) return false;
    let seen = 0;
    for (let k = 0; k < 2; k++) {
      const key = this.keyLength();
      if (key === 3 && (seen & 1) === 0 && this.keyIs(kSeq)) {
        seen |= 1;
        if (!this.number()) return false;
        this.seq = this.num;
      } else if (key === 6 && (seen & 2) === 0 && this.keyIs(kEvents)) {
        seen |= 2;
        if (!this.#eventList()) return false;
      } else {
        return false;
      }
    }
    return true;
  }

  #eventList(): boolean {
    const n = this.arrayLength();
    if (n <= 0 || n > this.events.length) return false;
    for (let i = 0; i < n; i++) if (!this.#event(this.events[i])) return false;
    this.count = n;
    return true;
  }

  #event(ev: RowEvent): boolean {
    const keys = this.mapLength();
    if (keys <= 0 || keys > 5) return false;
    ev.clear();
    let seen = 0;
    for (let k = 0; k < keys; k++) {
      const key = this.keyLength();
      // not a fixstr key (kDecline) names no field either
      const field = fieldOfKey(this.bytes, this.pos, key);
      if (field === kNotAField || (seen & field) !== 0) return false;
      this.pos += key;
      seen |= field;
      switch (field) {
        case Field.SellerId:
          if (!this.#string(Field.SellerId)) return false;
          ev.sellerId = this.#str;
          break;
        case Field.Timestamp:
          // epoch ms, or an ISO-8601 string (checked by the guard)
          if (this.number()) {
            ev.timestampRead = TimestampRead.Number;
            ev.timestampMs = this.num;
          } else if (this.#string(Field.Timestamp)) {
            ev.timestampRead = TimestampRead.Text;
            ev.timestampText = this.#str;
          } else {
            return false;
          }
          break;
        case Field.Type:
          if (!this.#string(Field.Type)) return false;
          ev.type = this.#str;
          break;
        case Field.Value:
          if (!this.number()) return false;
          ev.valueRead = ValueRead.Number;
          ev.value = this.num;
          break;
        default:
          if (!this.#string(Field.EventId)) return false;
          ev.eventId = this.#str;
      }
    }
    return true;
  }

  /** Reads an ASCII str at the position into #str, made as `field`'s strings are (./row-event-text.ts); false (position kept) otherwise. */
  #string(field: Field): boolean {
    if (!this.asciiString()) return false;
    const text = this.#text;
    this.#str = field === Field.SellerId ? text.sellerId(this.bytes, this.start, this.length)
      : field === Field.Type ? text.typeName(this.bytes, this.start, this.length)
        : text.plain(this.bytes, this.start, this.length);
    return true;
  }
}
