/**
 * The msgpack columnar frame — `{seq, sellerId | sellerIds + sellerIndex, timestamps, typeNames,
 * types, values}` with the columns as bin — read from its bytes into the object @msgpack/msgpack would
 * decode (bins as views of the frame's bytes, as the library gives them), which ./ws/columnar-decode.ts
 * then checks as before. What it saves is the seller table: the library decodes its 1 000 strings one
 * by one through a generic state machine, and a producer that multiplexes a fixed set of sellers sends
 * the very same table frame after frame (engine/intake/seller-table-memo.ts). Here, when a table's
 * bytes are the bytes of the connection's previous table, the strings decoded then are used again
 * after one memory comparison; otherwise each ID comes from the decoder's string table
 * (./row-event-text.ts). A table is kept only when the string table keeps every one of its IDs, so an
 * e-mail- or phone-shaped "seller ID" (refused by intake) stays in memory no longer than its frame.
 * In the analytics bench's ingest (1 000 sellers per frame) the library's string decoding was 37–47 %
 * of the main thread's busy time.
 *
 * It reads only that shape and declines everything else to the library, which keeps the one
 * implementation of errors: another or a repeated key, a column as an array of numbers (JSON-style),
 * a value of another msgpack type, non-ASCII text, a map key not written as a fixstr, an empty or
 * oversize table, truncated input or bytes after the frame.
 */
import { asciiBytes, type EventText } from './row-event-text.js';
import { MsgpackCursor } from './msgpack-cursor.js';

/** The frame's keys; a key's index is its bit in the set of keys seen. */
const enum Key { Seq, SellerId, SellerIds, SellerIndex, Timestamps, TypeNames, Types, Values }
const kKeyNames = ['seq', 'sellerId', 'sellerIds', 'sellerIndex', 'timestamps', 'typeNames', 'types', 'values'];
const kKeyBytes = kKeyNames.map(asciiBytes);
const kNotAKey = -1;

/** A connection's last seller table: its msgpack bytes and the strings decoded from them. */
export class SellerTableBytes {
  #bytes = new Uint8Array(0);
  #length = 0;
  #ids: readonly string[] = [];
  readonly #maxBytes: number;

  /** `maxBytes`: longer tables are not remembered (each is read afresh). */
  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** The remembered strings when `bytes[start, start + length)` begins with the remembered table, else null. */
  recall(bytes: Uint8Array, start: number, end: number): readonly string[] | null {
    const n = this.#length;
    if (n === 0 || start + n > end) return null;
    return Buffer.compare(this.#bytes.subarray(0, n), bytes.subarray(start, start + n)) === 0 ? this.#ids : null;
  }

  /** Length in bytes of the remembered table (0: none). */
  get length(): number {
    return this.#length;
  }

  forget(): void {
    this.#length = 0;
    this.#ids = [];
  }

  remember(bytes: Uint8Array, start: number, end: number, ids: readonly string[]): void {
    const n = end - start;
    if (n > this.#maxBytes) return this.forget();
    if (this.#bytes.length < n) this.#bytes = new Uint8Array(Math.min(this.#maxBytes, Math.max(n, 2 * this.#bytes.length)));
    this.#bytes.set(bytes.subarray(start, end));
    this.#length = n;
    this.#ids = ids;
  }
}

export class ColumnarFrameReader extends MsgpackCursor {
  /** Frames read here / declined to the library, and tables taken from the connection's previous frame (for /metrics). */
  read = 0;
  declined = 0;
  tablesRepeated = 0;

  readonly #text: EventText;
  readonly #maxSellers: number;
  #frame: Record<string, unknown> = {};
  #table: SellerTableBytes | null = null;

  /** `maxSellers`: larger tables are declined (the library path answers them with its error). */
  constructor(text: EventText, maxSellers: number) {
    super();
    this.#text = text;
    this.#maxSellers = maxSellers;
  }

  /** The frame as the library decodes it (seller IDs and type names from the tables), or null when it must go to the library. */
  tryRead(bytes: Uint8Array, table: SellerTableBytes): Record<string, unknown> | null {
    this.reset(bytes);
    this.#table = table;
    this.#frame = {};
    const ok = this.#readFrame() && this.atEnd();
    if (ok) this.read++;
    else this.declined++;
    // the frame's bytes are reused by the caller: hold no reference past the call (its bins are views of them, used before it returns)
    this.release();
    this.#table = null;
    return ok ? this.#frame : null;
  }

  #readFrame(): boolean {
    const keys = this.mapLength();
    if (keys <= 0 || keys > kKeyNames.length) return false;
    let seen = 0;
    for (let k = 0; k < keys; k++) {
      const key = this.#key();
      if (key === kNotAKey || (seen & (1 << key)) !== 0) return false;
      seen |= 1 << key;
      if (!this.#value(key)) return false;
    }
    return true;
  }

  /** The key at the position (moved past it), or kNotAKey. */
  #key(): Key | typeof kNotAKey {
    const length = this.keyLength();
    if (length < 0) return kNotAKey;
    for (let key = 0; key < kKeyBytes.length; key++) if (kKeyBytes[key].length === length && this.keyIs(kKeyBytes[key])) return key;
    return kNotAKey;
  }

  #value(key: Key): boolean {
    const f = this.#frame;
    switch (key) {
      case Key.Seq:
        if (!this.number()) return false;
        f.seq = this.num;
        return true;
      case Key.SellerId:
        if (!this.asciiString()) return false;
        f.sellerId = this.#text.sellerId(this.bytes, this.start, this.length);
        return true;
      case Key.SellerIds:
        return this.#sellerIds();
      case Key.TypeNames:
        return this.#typeNames();
      default:
        // sellerIndex, timestamps, types, values
        if (!this.bin()) return false;
        f[kKeyNames[key]] = this.bytes.subarray(this.start, this.start + this.length);
        return true;
    }
  }

  /** The seller table: the connection's previous one when its bytes repeat, else each ID from the string table. */
  #sellerIds(): boolean {
    const table = this.#table!;
    const start = this.pos;
    const remembered = table.recall(this.bytes, start, this.bytes.length);
    if (remembered !== null) {
      this.pos = start + table.length;
      this.#frame.sellerIds = remembered;
      this.tablesRepeated++;
      return true;
    }
    const n = this.arrayLength();
    if (n <= 0 || n > this.#maxSellers) return false;
    const ids = new Array<string>(n);
    const text = this.#text;
    let allKept = true;
    for (let i = 0; i < n; i++) {
      if (!this.asciiString()) return false;
      ids[i] = text.sellerId(this.bytes, this.start, this.length);
      allKept &&= text.sellerIdKept;
    }
    // a table is kept only when the string table keeps every one of its IDs (nothing e-mail- or phone-shaped)
    if (allKept) table.remember(this.bytes, start, this.pos, ids);
    else table.forget();
    this.#frame.sellerIds = ids;
    return true;
  }

  #typeNames(): boolean {
    const n = this.arrayLength();
    // every name takes at least a byte: a longer count is a damaged frame, the library's to answer
    if (n <= 0 || n > this.bytes.length - this.pos) return false;
    const names = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      if (!this.asciiString()) return false;
      names[i] = this.#text.typeName(this.bytes, this.start, this.length);
    }
    this.#frame.typeNames = names;
    return true;
  }
}
