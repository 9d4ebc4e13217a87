/**
 * Pre-encoded WebSocket frames with a patchable seq, built once before the timed part.
 *
 * msgpack: seq is the first key and is encoded with a placeholder that forces the fixed-width
 * uint32 form (0xce + 4 bytes big-endian), so a new seq is written in place.
 * JSON: seq is the first key, right-aligned in a fixed-width field padded with spaces (valid JSON
 * whitespace), so it is rewritten in place too.
 */
import { encode } from '@msgpack/msgpack';
import { benchConfig } from './bench-config.js';
import { countByType, makeEvents, type BenchEvent } from './event-fixtures.js';

export type WsFormat = 'row-msgpack' | 'row-json' | 'columnar';
export const kWsFormats: readonly WsFormat[] = ['row-msgpack', 'row-json', 'columnar'];

/** Largest seq the fixed-width field holds. */
export const kMaxSeq = 0xffffffff;
const kSeqPlaceholder = kMaxSeq;
const kMsgpackSeqMarker = [0xa3, 0x73, 0x65, 0x71, 0xce]; // fixstr "seq", uint32 tag
const kJsonSeqDigits = String(kMaxSeq).length;
const kJsonSeqPrefix = '{"seq":';
const kF64Bytes = 8;
const kU32Bytes = 4;

export interface FrameTemplate {
  bytes: Buffer;
  binary: boolean;
  /** Offset of the 4-byte big-endian seq (msgpack) or of the fixed-width decimal field (JSON). */
  seqOffset: number;
  events: number;
  /** Events per configured type, to check the ring totals. */
  typeCounts: number[];
}

export interface FrameSpec {
  format: WsFormat;
  eventsPerFrame: number;
  sellers: readonly string[];
  nowMs: number;
  seed: number;
  sellerOffset: number;
}

function findMarker(bytes: Uint8Array, marker: readonly number[]): number {
  outer: for (let i = 0; i + marker.length <= bytes.length; i++) {
    for (let j = 0; j < marker.length; j++) if (bytes[i + j] !== marker[j]) continue outer;
    return i + marker.length;
  }
  throw new Error('seq placeholder not found in the encoded frame');
}

function msgpackTemplate(frame: Record<string, unknown>, events: BenchEvent[]): FrameTemplate {
  const bytes = Buffer.from(encode({ seq: kSeqPlaceholder, ...frame }));
  return { bytes, binary: true, seqOffset: findMarker(bytes, kMsgpackSeqMarker), events: events.length, typeCounts: countByType(events) };
}

function jsonTemplate(events: BenchEvent[]): FrameTemplate {
  const text = `${kJsonSeqPrefix}${' '.repeat(kJsonSeqDigits)},"events":${JSON.stringify(events)}}`;
  return { bytes: Buffer.from(text, 'utf8'), binary: false, seqOffset: kJsonSeqPrefix.length, events: events.length, typeCounts: countByType(events) };
}

/** Little-endian column bytes (explicit, independent of the host's byte order). */
function f64Column(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(values.length * kF64Bytes);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat64(i * kF64Bytes, v, true));
  return out;
}

function u32Column(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(values.length * kU32Bytes);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setUint32(i * kU32Bytes, v, true));
  return out;
}

function columnarTemplate(events: BenchEvent[], sellers: readonly string[]): FrameTemplate {
  const typeNames = benchConfig.fixtures.eventTypes;
  const used = [...new Set(events.map((e) => e.sellerId))];
  const index = new Map(used.map((s, i) => [s, i]));
  const frame: Record<string, unknown> = used.length === 1
    ? { sellerId: used[0] }
    : { sellerIds: used, sellerIndex: u32Column(events.map((e) => index.get(e.sellerId) ?? 0)) };
  if (!used.every((s) => sellers.includes(s))) throw new Error('columnar frame uses an unknown seller');
  frame.timestamps = f64Column(events.map((e) => e.timestamp));
  frame.typeNames = typeNames;
  frame.types = Uint8Array.from(events, (e) => typeNames.indexOf(e.type));
  frame.values = f64Column(events.map((e) => e.value));
  return msgpackTemplate(frame, events);
}

export function buildFrame(spec: FrameSpec): FrameTemplate {
  const events = makeEvents({
    count: spec.eventsPerFrame, sellers: spec.sellers, nowMs: spec.nowMs, seed: spec.seed, sellerOffset: spec.sellerOffset,
  });
  switch (spec.format) {
    case 'row-msgpack':
      return msgpackTemplate({ events }, events);
    case 'row-json':
      return jsonTemplate(events);
    case 'columnar':
      return columnarTemplate(events, spec.sellers);
  }
}

/** A private copy of a template (each in-flight slot owns its bytes). */
export function cloneFrame(t: FrameTemplate): FrameTemplate {
  return { ...t, bytes: Buffer.from(t.bytes) };
}

/** Writes `seq` into the frame in place. */
export function patchSeq(frame: FrameTemplate, seq: number): void {
  if (!Number.isInteger(seq) || seq < 0 || seq > kMaxSeq) throw new RangeError(`seq ${seq} out of range`);
  if (frame.binary) {
    frame.bytes.writeUInt32BE(seq, frame.seqOffset);
  } else {
    frame.bytes.write(String(seq).padStart(kJsonSeqDigits, ' '), frame.seqOffset, kJsonSeqDigits, 'latin1');
  }
}
