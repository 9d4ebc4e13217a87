/**
 * Acceptance (issue: engine core): a table of hostile inputs, each answered with the right 4xx
 * problem (or WS error) naming the offending field; a known seller's counts are unchanged
 * afterwards and the server keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode } from '@msgpack/msgpack';
import { startTestServer, getJson, type TestServer, authHeaders } from '../helpers/server.js';
import { StreamClient, f64Bin } from '../helpers/ws-client.js';

const kMaxBatch = 50;
const kMaxBody = 64 * 1024;
const kMaxFrameBytes = 32 * 1024;
const kMaxFrameEvents = 20;

interface HttpCase {
  name: string;
  path?: string;
  contentType?: string | null;
  body: string | Uint8Array | (() => string | Uint8Array);
  status: number;
  code: string;
  /** The path of the offending field the problem must name. */
  field?: string;
}

const now = Date.now();
const ok = { sellerId: 'known-1', timestamp: now, type: 'SALE', value: 10 };
const j = (x: unknown) => JSON.stringify(x);
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

const httpCases: HttpCase[] = [
  { name: 'malformed JSON', body: '{"sellerId":', status: 400, code: 'invalid_json', field: 'body' },
  { name: 'JSON with trailing garbage', body: j(ok) + 'xx', status: 400, code: 'invalid_json', field: 'body' },
  { name: 'invalid UTF-8 in JSON', body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), status: 400, code: 'invalid_json' },
  { name: 'malformed msgpack (reserved byte 0xc1)', contentType: 'application/msgpack', body: new Uint8Array([0xc1, 0x00]), status: 400, code: 'invalid_msgpack' },
  { name: 'truncated msgpack map', contentType: 'application/msgpack', body: new Uint8Array([0x84, 0xa8]), status: 400, code: 'invalid_msgpack' },
  { name: 'msgpack __proto__ key', contentType: 'application/msgpack', body: new Uint8Array([0x81, 0xa9, ...Buffer.from('__proto__'), 0x01]), status: 400, code: 'invalid_msgpack' },
  { name: 'sellerId is a number', body: j({ ...ok, sellerId: 42 }), status: 400, code: 'invalid_event', field: '/sellerId' },
  { name: 'sellerId missing', body: j({ timestamp: now, type: 'SALE', value: 1 }), status: 400, code: 'invalid_event', field: '/sellerId' },
  { name: 'e-mail as sellerId', body: j({ ...ok, sellerId: 'jane.doe@example.com' }), status: 400, code: 'invalid_event', field: '/sellerId' },
  { name: 'phone number as sellerId', body: j({ ...ok, sellerId: '5551234567' }), status: 400, code: 'invalid_event', field: '/sellerId' },
  { name: 'sellerId too long', body: j({ ...ok, sellerId: 'a'.repeat(65) }), status: 400, code: 'invalid_event', field: '/sellerId' },
  { name: 'sellerId with spaces', body: j({ ...ok, sellerId: 'a b' }), status: 400, code: 'invalid_event', field: '/sellerId' },
  { name: 'timestamp as numeric string', body: j({ ...ok, timestamp: String(now) }), status: 400, code: 'invalid_event', field: '/timestamp' },
  { name: 'timestamp negative', body: j({ ...ok, timestamp: -5 }), status: 400, code: 'invalid_event', field: '/timestamp' },
  { name: 'timestamp far future', body: j({ ...ok, timestamp: now + 365 * 86_400_000 }), status: 400, code: 'invalid_event', field: '/timestamp' },
  { name: 'timestamp fractional', body: j({ ...ok, timestamp: now + 0.5 }), status: 400, code: 'invalid_event', field: '/timestamp' },
  { name: 'timestamp NaN (msgpack)', contentType: 'application/msgpack', body: encode({ ...ok, timestamp: NaN }), status: 400, code: 'invalid_event', field: '/timestamp' },
  { name: 'timestamp bad ISO date', body: j({ ...ok, timestamp: '2026-13-45T99:00:00Z' }), status: 400, code: 'invalid_event', field: '/timestamp' },
  { name: 'value as string', body: j({ ...ok, value: '5' }), status: 400, code: 'invalid_event', field: '/value' },
  { name: 'value NaN (msgpack)', contentType: 'application/msgpack', body: encode({ ...ok, value: NaN }), status: 400, code: 'invalid_event', field: '/value' },
  { name: 'value Infinity (msgpack)', contentType: 'application/msgpack', body: encode({ ...ok, value: Infinity }), status: 400, code: 'invalid_event', field: '/value' },
  { name: 'value -Infinity (msgpack)', contentType: 'application/msgpack', body: encode({ ...ok, value: -Infinity }), status: 400, code: 'invalid_event', field: '/value' },
  { name: 'value negative', body: j({ ...ok, value: -0.01 }), status: 400, code: 'invalid_event', field: '/value' },
  { name: 'value huge', body: j({ ...ok, value: 1e300 }), status: 400, code: 'invalid_event', field: '/value' },
  { name: 'value deeply nested object', body: `{"sellerId":"known-1","timestamp":${now},"type":"SALE","value":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`, status: 400, code: 'invalid_event', field: '/value' },
  { name: 'SALE without value', body: j({ sellerId: 'known-1', timestamp: now, type: 'SALE' }), status: 400, code: 'invalid_event', field: '/value' },
  { name: 'unknown type', body: j({ ...ok, type: 'REFUND' }), status: 400, code: 'invalid_event', field: '/type' },
  { name: 'type in lower case', body: j({ ...ok, type: 'sale' }), status: 400, code: 'invalid_event', field: '/type' },
  { name: '__proto__ smuggling the type', body: `{"sellerId":"known-1","timestamp":${now},"value":1,"__proto__":{"type":"SALE"}}`, status: 400, code: 'invalid_event', field: '/type' },
  { name: 'eventId not a string', body: j({ ...ok, eventId: 7 }), status: 400, code: 'invalid_event', field: '/eventId' },
  { name: 'eventId with control characters', body: j({ ...ok, eventId: 'a\u0000b' }), status: 400, code: 'invalid_event', field: '/eventId' },
  { name: 'body is null', body: 'null', status: 400, code: 'invalid_event', field: '' },
  { name: 'body is an array on /events', body: j([ok]), status: 400, code: 'invalid_event' },
  { name: 'deeply nested arrays', body: deep(20_000), status: 400, code: 'invalid_event' },
  { name: 'text/plain body', contentType: 'text/plain', body: j(ok), status: 415, code: 'unsupported_media_type', field: 'header/content-type' },
  { name: 'form-encoded body', contentType: 'application/x-www-form-urlencoded', body: 'sellerId=known-1', status: 415, code: 'unsupported_media_type' },
  { name: '10 MB body', body: () => 'x'.repeat(10 * 1024 * 1024), status: 413, code: 'body_too_large', field: 'body' },
  { name: 'empty batch', path: '/events/batch', body: '[]', status: 400, code: 'invalid_batch' },
  { name: 'batch object without events', path: '/events/batch', body: j({ items: [ok] }), status: 400, code: 'invalid_batch' },
  { name: 'batch over the limit', path: '/events/batch', body: () => j(Array.from({ length: kMaxBatch + 1 }, () => ok)), status: 413, code: 'batch_too_large' },
  { name: 'batch where every event is invalid', path: '/events/batch', body: j([{ ...ok, value: 'x' }, { ...ok, type: 'NOPE' }]), status: 400, code: 'invalid_events', field: '/1/type' },
  { name: 'batch of scalars', path: '/events/batch', body: j([1, 'two', null]), status: 400, code: 'invalid_events', field: '/0' },
];

describe('hostile input', () => {
  let server: TestServer;
  let before: { count: number; sum: number };

  beforeAll(async () => {
    server = await startTestServer({
      limits: { maxBatchEvents: kMaxBatch, maxBodyBytes: kMaxBody, maxFrameBytes: kMaxFrameBytes, maxFrameEvents: kMaxFrameEvents, maxFrameSellers: 8 },
    });
    const r = await fetch(server.base + '/events', { method: 'POST', headers: { 'content-type': 'application/json', ...authHeaders() }, body: j(ok) });
    expect(r.status).toBe(202);
    before = (await getJson(server.base, '/metrics/known-1/series?type=SALE&resolution=1m')).body.totals;
    expect(before).toEqual({ count: 1, sum: 10 });
  });
  afterAll(async () => server?.close());

  it('has at least 30 HTTP cases', () => expect(httpCases.length).toBeGreaterThanOrEqual(30));

  it.each(httpCases)('HTTP: $name → $status $code', async (c) => {
    const body = typeof c.body === 'function' ? c.body() : c.body;
    const headers: Record<string, string> = authHeaders();
    if (c.contentType !== null) headers['content-type'] = c.contentType ?? 'application/json';
    const res = await fetch(server.base + (c.path ?? '/events'), { method: 'POST', headers, body });
    expect(res.status).toBe(c.status);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const p: any = await res.json();
    expect(p).toMatchObject({ type: `/problems/${c.code}`, status: c.status });
    expect(typeof p.title).toBe('string');
    expect(typeof p.detail).toBe('string');
    expect(Array.isArray(p.errors)).toBe(true);
    if (c.field !== undefined) expect(p.errors.map((e: { path: string }) => e.path)).toContain(c.field);
    expect(({} as Record<string, unknown>).type).toBeUndefined();
  });

  it('WS: binary garbage, malformed JSON, bad seq, oversize and malformed columnar frames get errors', async () => {
    const client = await StreamClient.open(server.wsUrl);
    const garbage = await client.sendRaw(new Uint8Array([0xc1, 0xc1, 0xff, 0x00]));
    expect(garbage).toMatchObject({ seq: null, error: { type: '/problems/invalid_msgpack', status: 400 } });
    const badJson = await client.sendRaw('{"seq": 1, "events": [');
    expect(badJson).toMatchObject({ seq: null, error: { type: '/problems/invalid_json' } });
    const notObject = await client.sendRaw(encode([1, 2, 3]));
    expect(notObject.error.type).toBe('/problems/invalid_frame');
    const noSeq = await client.sendRaw(encode({ events: [ok] }));
    expect(noSeq.error.errors[0].path).toBe('/seq');
    const negSeq = await client.sendRaw(encode({ seq: -1, events: [ok] }));
    expect(negSeq.error.errors[0].path).toBe('/seq');
    const tooMany = await client.send({ seq: 1, events: Array.from({ length: kMaxFrameEvents + 1 }, () => ok) });
    expect(tooMany.error.type).toBe('/problems/frame_too_large');
    const emptyEvents = await client.send({ seq: 2, events: [] });
    expect(emptyEvents.error.errors[0].path).toBe('/events');
    const shortColumn = await client.send({ seq: 3, sellerId: 'known-1', timestamps: f64Bin([now, now]), typeNames: ['SALE'], types: new Uint8Array([0, 0]), values: f64Bin([1]) });
    expect(shortColumn.error.errors[0].path).toBe('/values');
    const stringColumn = await client.send({ seq: 4, sellerId: 'known-1', timestamps: [now, 'x'], typeNames: ['SALE'], types: [0, 0], values: [1, 1] }, true);
    expect(stringColumn.error.errors[0].path).toBe('/timestamps/1');
    const badRows = await client.send({ seq: 5, events: [{ ...ok, value: NaN }, { ...ok, sellerId: 'x@y.z' }, { ...ok, type: 'NOPE' }] });
    expect(badRows.accepted).toBe(0);
    expect(badRows.rejected.map((r: { errors: { path: string }[] }) => r.errors[0].path)).toEqual(['/events/0/value', '/events/1/sellerId', '/events/2/type']);
    const badColumnar = await client.send({ seq: 6, sellerId: 'known-1', timestamps: f64Bin([now, now + 10 * 86_400_000]), typeNames: ['SALE', 'REFUND'], types: new Uint8Array([1, 0]), values: f64Bin([1, 1]) });
    expect(badColumnar.accepted).toBe(0);
    expect(badColumnar.rejected.map((r: { index: number }) => r.index)).toEqual([0, 1]);
    client.close();

    const big = await StreamClient.open(server.wsUrl);
    big.sendRaw(new Uint8Array(kMaxFrameBytes + 1024)).catch(() => undefined);
    const closed = await big.waitClosed();
    expect(closed.code).not.toBe(1000);
  });

  it('left the known seller untouched and keeps serving', async () => {
    const after = (await getJson(server.base, '/metrics/known-1/series?type=SALE&resolution=1m')).body.totals;
    expect(after).toEqual(before);
    expect((await getJson(server.base, '/healthz')).status).toBe(200);
    const r = await fetch(server.base + '/events', { method: 'POST', headers: { 'content-type': 'application/json', ...authHeaders() }, body: j({ ...ok, value: 5 }) });
    expect(r.status).toBe(202);
    expect((await getJson(server.base, '/metrics/known-1/series?type=SALE&resolution=1m')).body.totals).toEqual({ count: 2, sum: 15 });
  });
});
