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
import { asciiBytes, bytesAre, type EventText, Field, fieldOfKey, kNotAField } from './row-event-text.js';

const kTwoPow32 = 0x1_0000_0000;
const kSeq = asciiBytes('seq');
const kEvents = asciiBytes('events');

const kNoBytes = new Uint8Array(0);
const kNoView = new DataView(kNoBytes.buffer);

/** A value of this shape cannot be read here; the frame goes to the library. */
const kDecline = -1;

export class RowFrameReader {
  /** The events read (made once, reused); only the first `count` belong to the last frame. */
  readonly events: readonly RowEvent[];
  seq = 0;
  count = 0;
  /** Frames read here / declined to the library (for /metrics). */
  read = 0;
  declined = 0;

  readonly #text: EventText;
  #bytes: Uint8Array = kNoBytes;
  #view: DataView = kNoView;
  #pos = 0;
  /** The last string or number read by #string/#number. */
  #str = '';
  #num = 0;

  /** `maxEvents`: frames with more events are declined (the library path answers them with its error). */
  constructor(maxEvents: number, text: EventText) {
    this.events = Array.from({ length: maxEvents }, () => new RowEvent());
    this.#text = text;
  }

  /** Reads a rows frame into `seq`, `count` and `events`; false when the frame must go to the library. */
  tryRead(bytes: Uint8Array): boolean {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#pos = 0;
    const ok = this.#frame() && this.#pos === bytes.length;
    if (ok) this.read++;
    else this.declined++;
    // the frame's bytes are reused by the caller: hold no reference past the call
    this.#bytes = kNoBytes;
    this.#view = kNoView;
    return ok;
  }

  #frame(): boolean {
    if (this.#mapLength() !== 2) return false;
    let seen = 0;
    for (let k = 0; k < 2; k++) {
      const key = this.#keyLength();
      if (key === 3 && (seen & 1) === 0 && this.#keyIs(kSeq)) {
        seen |= 1;
        if (!this.#number()) return false;
        this.seq = this.#num;
      } else if (key === 6 && (seen & 2) === 0 && this.#keyIs(kEvents)) {
        seen |= 2;
        if (!this.#eventList()) return false;
      } else {
        return false;
      }
    }
    return true;
  }

  #eventList(): boolean {
    const n = this.#arrayLength();
    if (n <= 0 || n > this.events.length) return false;
    for (let i = 0; i < n; i++) if (!this.#event(this.events[i])) return false;
    this.count = n;
    return true;
  }

  #event(ev: RowEvent): boolean {
    const keys = this.#mapLength();
    if (keys <= 0 || keys > 5) return false;
    ev.clear();
    let seen = 0;
    for (let k = 0; k < keys; k++) {
      const key = this.#keyLength();
      // not a fixstr key (kDecline) names no field either
      const field = fieldOfKey(this.#bytes, this.#pos, key);
      if (field === kNotAField || (seen & field) !== 0) return false;
      this.#pos += key;
      seen |= field;
      switch (field) {
        case Field.SellerId:
          if (!this.#string(Field.SellerId)) return false;
          ev.sellerId = this.#str;
          break;
        case Field.Timestamp:
          // epoch ms, or an ISO-8601 string (checked by the guard)
          if (this.#number()) {
            ev.timestampRead = TimestampRead.Number;
            ev.timestampMs = this.#num;
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
          if (!this.#number()) return false;
          ev.valueRead = ValueRead.Number;
          ev.value = this.#num;
          break;
        default:
          if (!this.#string(Field.EventId)) return false;
          ev.eventId = this.#str;
      }
    }
    return true;
  }

  /** Length of a fixmap (the only map header a frame of ≤ 15 keys is written with), else kDecline. */
  #mapLength(): number {
    if (this.#pos >= this.#bytes.length) return kDecline;
    const b = this.#bytes[this.#pos];
    if ((b & 0xf0) !== 0x80) return kDecline;
    this.#pos++;
    return b & 0x0f;
  }

  #arrayLength(): number {
    const bytes = this.#bytes;
    const p = this.#pos;
    if (p >= bytes.length) return kDecline;
    const b = bytes[p];
    if ((b & 0xf0) === 0x90) {
      this.#pos = p + 1;
      return b & 0x0f;
    }
    if (b === 0xdc && p + 3 <= bytes.length) {
      this.#pos = p + 3;
      return this.#view.getUint16(p + 1);
    }
    if (b === 0xdd && p + 5 <= bytes.length) {
      this.#pos = p + 5;
      return this.#view.getUint32(p + 1);
    }
    return kDecline;
  }

  /** Length of a fixstr key (the position is then at its bytes), else kDecline. */
  #keyLength(): number {
    const p = this.#pos;
    if (p >= this.#bytes.length) return kDecline;
    const b = this.#bytes[p];
    if ((b & 0xe0) !== 0xa0) return kDecline;
    this.#pos = p + 1;
    return b & 0x1f;
  }

  /** Whether the key bytes at the position are `name` (whose length the caller matched); moves past them. */
  #keyIs(name: Uint8Array): boolean {
    if (!bytesAre(this.#bytes, this.#pos, name)) return false;
    this.#pos += name.length;
    return true;
  }

  /** Reads any msgpack integer or float into #num, as the library decodes it; false (position kept) otherwise. */
  #number(): boolean {
    const bytes = this.#bytes;
    const view = this.#view;
    const p = this.#pos;
    if (p >= bytes.length) return false;
    const b = bytes[p];
    if (b <= 0x7f) {
      this.#num = b;
      this.#pos = p + 1;
      return true;
    }
    if (b >= 0xe0) {
      this.#num = b - 0x100;
      this.#pos = p + 1;
      return true;
    }
    let width: number;
    switch (b) {
      case 0xcc: case 0xd0: width = 1; break;
      case 0xcd: case 0xd1: width = 2; break;
      case 0xca: case 0xce: case 0xd2: width = 4; break;
      case 0xcb: case 0xcf: case 0xd3: width = 8; break;
      default: return false;
    }
    const at = p + 1;
    if (at + width > bytes.length) return false;
    switch (b) {
      case 0xcc: this.#num = view.getUint8(at); break;
      case 0xcd: this.#num = view.getUint16(at); break;
      case 0xce: this.#num = view.getUint32(at); break;
      case 0xcf: this.#num = view.getUint32(at) * kTwoPow32 + view.getUint32(at + 4); break;
      case 0xd0: this.#num = view.getInt8(at); break;
      case 0xd1: this.#num = view.getInt16(at); break;
      case 0xd2: this.#num = view.getInt32(at); break;
      case 0xd3: this.#num = view.getInt32(at) * kTwoPow32 + view.getUint32(at + 4); break;
      case 0xca: this.#num = view.getFloat32(at); break;
      default: this.#num = view.getFloat64(at);
    }
    this.#pos = at + width;
    return true;
  }

  /** Reads an ASCII str at the position into #str, made as `field`'s strings are (./row-event-text.ts); false (position kept) otherwise. */
  #string(field: Field): boolean {
    const bytes = this.#bytes;
    const p = this.#pos;
    if (p >= bytes.length) return false;
    const b = bytes[p];
    let start: number;
    let length: number;
    if ((b & 0xe0) === 0xa0) {
      start = p + 1;
      length = b & 0x1f;
    } else if (b === 0xd9 && p + 2 <= bytes.length) {
      start = p + 2;
      length = bytes[p + 1];
    } else if (b === 0xda && p + 3 <= bytes.length) {
      start = p + 3;
      length = this.#view.getUint16(p + 1);
    } else if (b === 0xdb && p + 5 <= bytes.length) {
      start = p + 5;
      length = this.#view.getUint32(p + 1);
    } else {
      return false;
    }
    if (start + length > bytes.length) return false;
    for (let i = start; i < start + length; i++) if (bytes[i] > 0x7f) return false;
    this.#pos = start + length;
    const text = this.#text;
    this.#str = field === Field.SellerId ? text.sellerId(bytes, start, length)
      : field === Field.Type ? text.typeName(bytes, start, length)
        : text.plain(bytes, start, length);
    return true;
  }
}
