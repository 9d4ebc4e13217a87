/**
 * The per-event check (STYLE §8): hand-written, allocation-free for valid events, typed from the
 * zod event schema in ./event-schema.ts, which a property test proves it agrees with.
 *
 * Data minimisation happens here: only sellerId, timestamp, type, value and eventId are read into
 * the GuardedEvent; every other field is left behind with the parsed body, and fields whose names
 * look like personal data are counted by name (never their content).
 */
import type { Config } from '../../config/index.js';
import { EventStatus } from './event-status.js';
import { SellerIdRules, SellerIdCheck } from './seller-id.js';
import { FieldStripCounter } from './field-strip-counter.js';

/** ISO-8601 date-time with an explicit zone; the same pattern the zod schema uses. */
export const kIsoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** Printable ASCII without space. */
export const kEventIdPattern = /^[\x21-\x7e]+$/;

/**
 * Reused output of the guard (fixed shape, STYLE §9). Its number fields are updated in place, so
 * doubles move between the guard, the stage and the queue without being boxed per event (a double
 * passed as an argument to a call V8 does not inline becomes a fresh heap number).
 */
export class GuardedEvent {
  sellerId = '';
  timestamp = 0.5;
  type = 0;
  /** The event's value as sent (or its type's default). */
  value = 0.5;
  /** value × valueScale, rounded: an integer, so sums are exact and order-independent. */
  units = 0.5;
  eventId: string | undefined = undefined;
  /** The seller's location when it is already known (its ID was validated then), else -1. */
  location = -1;
}

/** How an event's timestamp was sent. */
export const enum TimestampRead { Absent, Number, Text, Other }
/** How an event's value was sent. */
export const enum ValueRead { Absent, Number, Other }

/**
 * The fields of one event as sent, before any check (fixed shape, reused): what the guard reads.
 * Numbers sit in fields of their own, so a timestamp or value is never boxed into a heap number per
 * event; the other fields hold what was decoded (a string, or anything else the guard rejects).
 */
export class RowEvent {
  sellerId: unknown = undefined;
  timestampRead = TimestampRead.Absent;
  timestampMs = 0.5;
  timestampText = '';
  type: unknown = undefined;
  valueRead = ValueRead.Absent;
  value = 0.5;
  eventId: unknown = undefined;

  /** Empties it (every field absent). */
  clear(): void {
    this.sellerId = undefined;
    this.timestampRead = TimestampRead.Absent;
    this.type = undefined;
    this.valueRead = ValueRead.Absent;
    this.eventId = undefined;
  }

  /** Takes the fields of a decoded event object. */
  readFrom(ev: Record<string, unknown>): this {
    this.sellerId = ev.sellerId;
    const ts = ev.timestamp;
    if (typeof ts === 'number') {
      this.timestampRead = TimestampRead.Number;
      this.timestampMs = ts;
    } else if (typeof ts === 'string') {
      this.timestampRead = TimestampRead.Text;
      this.timestampText = ts;
    } else {
      this.timestampRead = ts === undefined ? TimestampRead.Absent : TimestampRead.Other;
    }
    this.type = ev.type;
    const value = ev.value;
    if (typeof value === 'number') {
      this.valueRead = ValueRead.Number;
      this.value = value;
    } else {
      this.valueRead = value === undefined ? ValueRead.Absent : ValueRead.Other;
    }
    this.eventId = ev.eventId;
    return this;
  }
}

/** Where known sellers are looked up (the SellerDirectory); a hit skips the seller-ID checks. */
export interface KnownSellers {
  find(sellerId: string): number;
}

const kNoSellers: KnownSellers = { find: () => -1 };

export class EventGuard {
  /** Type names by index: a few string compares beat a Map lookup of a freshly decoded string. */
  readonly #typeNames: readonly string[];
  readonly #defaultValue: Float64Array;
  readonly #futureSkewMs: number;
  readonly #longestWindowMs: number;
  readonly #valueScale: number;
  readonly #maxValue: number;
  readonly #maxEventIdLength: number;
  readonly #sellerRules: SellerIdRules;
  readonly strip: FieldStripCounter;
  /** The fields of the object being checked. */
  readonly #row = new RowEvent();
  /** The server clock for the call being checked; set once per request or frame. */
  nowMs = 0.5;

  /** The calling tenant's sellers; intake sets it at the start of every call. */
  known: KnownSellers;

  constructor(config: Readonly<Config>, longestWindowMs: number, strip?: FieldStripCounter, known: KnownSellers = kNoSellers) {
    this.known = known;
    this.#typeNames = config.events.types.map((t) => t.name);
    this.#defaultValue = Float64Array.from(config.events.types, (t) => (t.defaultValue === null ? NaN : t.defaultValue));
    this.#futureSkewMs = config.events.futureSkewMs;
    this.#longestWindowMs = longestWindowMs;
    this.#valueScale = config.events.valueScale;
    this.#maxValue = config.events.maxValue;
    this.#maxEventIdLength = config.events.maxEventIdLength;
    this.#sellerRules = new SellerIdRules(config.events.phoneLikeDigits);
    this.strip = strip ?? new FieldStripCounter(config.events.piiFieldNames);
    this.strip.setNames(config.events.piiFieldNames);
  }

  typeIndexOf(name: string): number {
    const names = this.#typeNames;
    for (let i = 0; i < names.length; i++) if (names[i] === name) return i;
    return -1;
  }

  checkSellerId(id: unknown): EventStatus {
    if (id === undefined) return EventStatus.SellerMissing;
    if (typeof id !== 'string') return EventStatus.SellerNotString;
    switch (this.#sellerRules.check(id)) {
      case SellerIdCheck.Ok: return EventStatus.Ok;
      case SellerIdCheck.Email: return EventStatus.SellerEmail;
      case SellerIdCheck.Phone: return EventStatus.SellerPhone;
      default: return EventStatus.SellerFormat;
    }
  }

  /** Checks `out.timestamp` (epoch ms) against the clock; Ok, Late or an error. */
  checkTimestamp(out: GuardedEvent): EventStatus {
    const ts = out.timestamp;
    if (!Number.isFinite(ts) || !Number.isInteger(ts)) return EventStatus.TimestampNotInteger;
    if (ts < 0) return EventStatus.TimestampNegative;
    if (ts > this.nowMs + this.#futureSkewMs) return EventStatus.TimestampFuture;
    return ts < this.nowMs - this.#longestWindowMs ? EventStatus.Late : EventStatus.Ok;
  }

  /** Checks `out.value` and sets `out.units`. */
  checkValue(out: GuardedEvent): EventStatus {
    const v = out.value;
    if (!Number.isFinite(v)) return EventStatus.ValueNotFinite;
    if (v < 0) return EventStatus.ValueNegative;
    if (v > this.#maxValue) return EventStatus.ValueTooLarge;
    out.units = Math.round(v * this.#valueScale);
    return EventStatus.Ok;
  }

  /** Takes the value as read (absent: the type's default) into `out.value`. */
  #takeValue(row: RowEvent, type: number, out: GuardedEvent): EventStatus {
    if (row.valueRead === ValueRead.Absent) {
      const d = this.#defaultValue[type];
      if (Number.isNaN(d)) return EventStatus.ValueRequired;
      out.value = d;
    } else if (row.valueRead === ValueRead.Other) {
      return EventStatus.ValueType;
    } else {
      out.value = row.value;
    }
    return this.checkValue(out);
  }

  /** Full check of one decoded event object. Returns Ok or Late with `out` filled, else an error. */
  check(input: unknown, out: GuardedEvent): EventStatus {
    if (typeof input !== 'object' || input === null || Array.isArray(input) || ArrayBuffer.isView(input)) {
      return EventStatus.NotObject;
    }
    const ev = input as Record<string, unknown>;
    for (const key in ev) {
      switch (key) {
        case 'sellerId': case 'timestamp': case 'type': case 'value': case 'eventId': break;
        default: this.strip.count(key);
      }
    }
    return this.checkRow(this.#row.readFrom(ev), out);
  }

  /** Check of the fields of one event as read (from an object, or from frame bytes by api/row-frame-reader). */
  checkRow(row: RowEvent, out: GuardedEvent): EventStatus {
    const sellerId = row.sellerId;
    // a seller already in the directory passed these checks when it arrived (regexes cost more
    // than everything else here together)
    out.location = typeof sellerId === 'string' ? this.known.find(sellerId) : -1;
    if (out.location < 0) {
      const sellerStatus = this.checkSellerId(sellerId);
      if (sellerStatus !== EventStatus.Ok) return sellerStatus;
    }

    switch (row.timestampRead) {
      case TimestampRead.Number:
        out.timestamp = row.timestampMs;
        break;
      case TimestampRead.Text:
        if (!kIsoTimestamp.test(row.timestampText)) return EventStatus.TimestampIso;
        out.timestamp = Date.parse(row.timestampText);
        if (Number.isNaN(out.timestamp)) return EventStatus.TimestampIso;
        break;
      case TimestampRead.Absent:
        return EventStatus.TimestampMissing;
      default:
        return EventStatus.TimestampType;
    }
    const tsStatus = this.checkTimestamp(out);
    if (tsStatus !== EventStatus.Ok && tsStatus !== EventStatus.Late) return tsStatus;

    const rawType = row.type;
    if (rawType === undefined) return EventStatus.TypeMissing;
    if (typeof rawType !== 'string') return EventStatus.TypeNotString;
    const type = this.typeIndexOf(rawType);
    if (type < 0) return EventStatus.TypeUnknown;

    const valueStatus = this.#takeValue(row, type, out);
    if (valueStatus !== EventStatus.Ok) return valueStatus;

    const eventId = row.eventId;
    if (eventId !== undefined) {
      if (typeof eventId !== 'string') return EventStatus.EventIdType;
      if (eventId.length === 0 || eventId.length > this.#maxEventIdLength || !kEventIdPattern.test(eventId)) {
        return EventStatus.EventIdFormat;
      }
    }
    out.sellerId = sellerId as string;
    out.type = type;
    out.eventId = eventId;
    return tsStatus;
  }
}
