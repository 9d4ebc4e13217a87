/**
 * A position in msgpack bytes and the few reads the frame readers (./row-frame-reader.ts,
 * ./columnar-frame-reader.ts) need, each exactly as @msgpack/msgpack decodes it. A read that meets
 * another type, or would run past the end, reports it (kDecline or false) and the reader hands the
 * frame to the library. One cursor per reader, reused; it holds no frame past `release`.
 */
import { bytesAre } from './row-event-text.js';

const kTwoPow32 = 0x1_0000_0000;
const kNoBytes = new Uint8Array(0);
const kNoView = new DataView(kNoBytes.buffer);

/** First type byte of the str and bin forms with a length header (8, 16, 32 bits follow in order). */
const kStr8 = 0xd9;
const kBin8 = 0xc4;

/** A value of this shape cannot be read here; the frame goes to the library. */
const kDecline = -1;

export class MsgpackCursor {
  bytes: Uint8Array = kNoBytes;
  view: DataView = kNoView;
  pos = 0;
  /** The last number read by `number`. */
  num = 0;
  /** Where the last str or bin read by `asciiString`/`bin` starts, and its length in bytes. */
  start = 0;
  length = 0;

  reset(bytes: Uint8Array): void {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = 0;
  }

  /** Drops the frame's bytes (the caller reuses them). */
  release(): void {
    this.bytes = kNoBytes;
    this.view = kNoView;
  }

  atEnd(): boolean {
    return this.pos === this.bytes.length;
  }

  /** Length of a fixmap (the only map header a frame of ≤ 15 keys is written with), else kDecline. */
  mapLength(): number {
    if (this.pos >= this.bytes.length) return kDecline;
    const b = this.bytes[this.pos];
    if ((b & 0xf0) !== 0x80) return kDecline;
    this.pos++;
    return b & 0x0f;
  }

  arrayLength(): number {
    const bytes = this.bytes;
    const p = this.pos;
    if (p >= bytes.length) return kDecline;
    const b = bytes[p];
    if ((b & 0xf0) === 0x90) {
      this.pos = p + 1;
      return b & 0x0f;
    }
    if (b === 0xdc && p + 3 <= bytes.length) {
      this.pos = p + 3;
      return this.view.getUint16(p + 1);
    }
    if (b === 0xdd && p + 5 <= bytes.length) {
      this.pos = p + 5;
      return this.view.getUint32(p + 1);
    }
    return kDecline;
  }

  /** Length of a fixstr key (the position is then at its bytes), else kDecline. */
  keyLength(): number {
    const p = this.pos;
    if (p >= this.bytes.length) return kDecline;
    const b = this.bytes[p];
    if ((b & 0xe0) !== 0xa0) return kDecline;
    this.pos = p + 1;
    return b & 0x1f;
  }

  /** Whether the bytes at the position are `name` (whose length the caller matched); moves past them. */
  keyIs(name: Uint8Array): boolean {
    if (!bytesAre(this.bytes, this.pos, name)) return false;
    this.pos += name.length;
    return true;
  }

  /** Reads any msgpack integer or float into `num`, as the library decodes it; false (position kept) otherwise. */
  number(): boolean {
    const bytes = this.bytes;
    const view = this.view;
    const p = this.pos;
    if (p >= bytes.length) return false;
    const b = bytes[p];
    if (b <= 0x7f) {
      this.num = b;
      this.pos = p + 1;
      return true;
    }
    if (b >= 0xe0) {
      this.num = b - 0x100;
      this.pos = p + 1;
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
      case 0xcc: this.num = view.getUint8(at); break;
      case 0xcd: this.num = view.getUint16(at); break;
      case 0xce: this.num = view.getUint32(at); break;
      case 0xcf: this.num = view.getUint32(at) * kTwoPow32 + view.getUint32(at + 4); break;
      case 0xd0: this.num = view.getInt8(at); break;
      case 0xd1: this.num = view.getInt16(at); break;
      case 0xd2: this.num = view.getInt32(at); break;
      case 0xd3: this.num = view.getInt32(at) * kTwoPow32 + view.getUint32(at + 4); break;
      case 0xca: this.num = view.getFloat32(at); break;
      default: this.num = view.getFloat64(at);
    }
    this.pos = at + width;
    return true;
  }

  /** Finds an ASCII str at the position (`start`, `length`) and moves past it; false (position kept) otherwise. */
  asciiString(): boolean {
    const bytes = this.bytes;
    const p = this.pos;
    if (p >= bytes.length) return false;
    const b = bytes[p];
    if ((b & 0xe0) === 0xa0) {
      const length = b & 0x1f;
      if (p + 1 + length > bytes.length) return false;
      this.start = p + 1;
      this.length = length;
    } else if (!this.sized(kStr8)) {
      return false;
    }
    const end = this.start + this.length;
    for (let i = this.start; i < end; i++) if (bytes[i] > 0x7f) return false;
    this.pos = end;
    return true;
  }

  /** Finds a bin at the position (`start`, `length`) and moves past it; false (position kept) otherwise. */
  bin(): boolean {
    if (!this.sized(kBin8)) return false;
    this.pos = this.start + this.length;
    return true;
  }

  /**
   * Finds a str or bin written with an 8-, 16- or 32-bit length (type bytes `type8`, `type8` + 1,
   * `type8` + 2) at the position, inside the bytes: sets `start` and `length`, not the position.
   */
  sized(type8: number): boolean {
    const bytes = this.bytes;
    const p = this.pos;
    if (p >= bytes.length) return false;
    let start: number;
    let length: number;
    switch (bytes[p] - type8) {
      case 0:
        if (p + 2 > bytes.length) return false;
        start = p + 2;
        length = bytes[p + 1];
        break;
      case 1:
        if (p + 3 > bytes.length) return false;
        start = p + 3;
        length = this.view.getUint16(p + 1);
        break;
      case 2:
        if (p + 5 > bytes.length) return false;
        start = p + 5;
        length = this.view.getUint32(p + 1);
        break;
      default:
        return false;
    }
    if (start + length > bytes.length) return false;
    this.start = start;
    this.length = length;
    return true;
  }
}
