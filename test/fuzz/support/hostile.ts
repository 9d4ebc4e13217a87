/**
 * Generators of hostile HTTP input for the endpoint fuzzer: path segments, query strings, auth
 * headers, content types and bodies — random, or near-valid (a valid template with one field
 * changed). Everything is "wire-safe" (node:http sends it as is) but otherwise as nasty as it gets.
 */
import fc from 'fast-check';
import { encode } from '@msgpack/msgpack';

export const kFuzzSellers = ['fz-0', 'fz-1', 'fz-2', 'fz-3', 'fz-4', 'fz-5', 'fz-6', 'fz-7'];
export const kEventTypes = ['SALE', 'CLICK', 'VIEW'];
const kEventIdPool = 64;
const kHourMs = 3_600_000;
const kLongSegment = 20_000;
const kMaxQueryPairs = 6;
const kMaxDeepJson = 12_000;

export interface Keys {
  ingest: string;
  read: string;
  admin: string;
  embed: string;
}

export interface FuzzContext {
  now: number;
  operatorKey: string;
  /** The fuzz tenant whose keys a request normally carries, and another tenant's keys. */
  own: Keys;
  other: Keys;
  revokedKey: string;
  maxBodyBytes: number;
  maxBatchEvents: number;
}

/** A body on the wire: bytes (or an oversize filler of `oversize` bytes) and its natural media type. */
export interface Body {
  bytes: Uint8Array | string;
  media: 'json' | 'msgpack';
  oversize: number;
}

const pack = (v: unknown) => encode(v, { ignoreUndefined: true });
/** encodeURIComponent, or an encoded lone surrogate where it refuses (invalid UTF-8 once decoded). */
const pct = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};

export const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'polluted', 'email', 'ip', 'name', 'phone', '', 'x'.repeat(300));
export const hostileValue = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, -0.5, 1e308, -1e308, 2 ** 53, 2 ** 53 + 2, Number.MIN_VALUE, NaN, Infinity, -Infinity,
    '', ' ', 'a'.repeat(65), 'x@y.z', '+1 555 123 4567', '../../etc/passwd', '\u0000', '\ud800', '🛒', 'sale', 'NaN', '1e999',
    '2026-13-45T99:00:00Z', '1970-01-01T00:00:00Z', {}, [], [[]], JSON.parse('{"__proto__":{"polluted":1}}')),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A template with one field set to a hostile value, deleted, or a hostile key added (sometimes left valid). */
export function mutated<T extends Record<string, unknown>>(template: fc.Arbitrary<T>): fc.Arbitrary<Record<string, unknown>> {
  const op = fc.constantFrom('keep', 'set', 'set', 'set', 'set', 'delete', 'add');
  return fc.tuple(template, op, fc.nat(), hostileValue, hostileKey).map(([t, o, i, v, k]) => {
    const out: Record<string, unknown> = { ...t };
    const keys = Object.keys(out);
    const key = keys[i % keys.length];
    if (o === 'set') out[key] = v;
    else if (o === 'delete') delete out[key];
    else if (o === 'add') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
  });
}

export function nearValidEvent(now: number): fc.Arbitrary<Record<string, unknown>> {
  return mutated(fc.record({
    sellerId: fc.constantFrom(...kFuzzSellers),
    timestamp: fc.integer({ min: now - kHourMs, max: now }),
    type: fc.constantFrom(...kEventTypes),
    value: fc.double({ min: 0, max: 1_000, noNaN: true }),
    eventId: fc.option(fc.nat(kEventIdPool).map((n) => `ev-${n}`), { nil: undefined }),
  }));
}

/** Near-valid bodies of the routes that have templates (keyed "method path"); others get random values. */
export function templates(ctx: FuzzContext): Record<string, fc.Arbitrary<unknown>> {
  const event = nearValidEvent(ctx.now);
  const batch = fc.array(event, { maxLength: ctx.maxBatchEvents + 2 });
  const seller = fc.constantFrom(...kFuzzSellers, 'known-1', 'nobody');
  const type = fc.constantFrom(...kEventTypes);
  return {
    'post /events': event,
    'post /events/batch': fc.oneof(batch, batch.map((events) => ({ events }))),
    'post /sell/anomaly': mutated(fc.record({
      sellerId: seller, type, resolution: fc.constantFrom('1s', '1m', '1h', 'auto'), metric: fc.constantFrom('count', 'sum'), includeAttribution: fc.boolean(),
      timeRange: fc.record({ from: fc.integer({ min: 0, max: ctx.now }), to: fc.integer({ min: 0, max: ctx.now }) }),
    })),
    'post /sell/prediction': mutated(fc.record({ sellerId: seller, type, predictionHorizon: fc.integer({ min: 1, max: 200 }), includeConfidenceBands: fc.boolean() })),
    'post /tenants/:id/keys': mutated(fc.record({ name: fc.string({ minLength: 1, maxLength: 20 }), scopes: fc.subarray(['read', 'ingest', 'admin', 'embed'], { minLength: 1 }) })),
    'patch /tenants/:id': mutated(fc.record({ name: fc.string({ minLength: 1, maxLength: 20 }) })),
    'post /config/rollback/:id': mutated(fc.record({ reason: fc.string({ minLength: 1, maxLength: 40 }) })),
  };
}

const kProtoTexts = ['{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', '[{"__proto__":{"sellerId":"fz-1"}}]',
  '{"events":[],"__proto__":{"events":[{"sellerId":"fz-1"}]}}', '{"sellerId":"fz-1","timestamp":1,"type":"VIEW","__proto__":{"timestamp":2}}'];
const kHugeNumbers = ['1e999', '-1e999', '1' + '0'.repeat(400), '-0', '9007199254740993', '0.' + '0'.repeat(500) + '1', '1E+308'];

export function bodyFor(ctx: FuzzContext, template: fc.Arbitrary<unknown> | undefined): fc.Arbitrary<Body> {
  const json = (v: unknown): Body => ({ bytes: JSON.stringify(v) ?? 'null', media: 'json', oversize: 0 });
  const packed = (v: unknown): Body => ({ bytes: pack(v), media: 'msgpack', oversize: 0 });
  const valued = template ?? fc.jsonValue();
  const media = fc.constantFrom<'json' | 'msgpack'>('json', 'msgpack');
  return fc.oneof(
    { weight: 30, arbitrary: valued.map(json) },
    { weight: 12, arbitrary: valued.map(packed) },
    { weight: 6, arbitrary: fc.jsonValue().map(json) },
    { weight: 3, arbitrary: fc.anything({ withTypedArray: true }).map(packed) },
    { weight: 3, arbitrary: fc.constantFrom(...kProtoTexts).map((t): Body => ({ bytes: t, media: 'json', oversize: 0 })) },
    { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 1, max: kMaxDeepJson }), fc.boolean()).map(([d, maps]): Body => ({
      bytes: maps ? '{"a":'.repeat(d) + '1' + '}'.repeat(d) : '['.repeat(d) + ']'.repeat(d), media: 'json', oversize: 0,
    })) },
    { weight: 2, arbitrary: fc.constantFrom(...kHugeNumbers).map((n): Body => ({ bytes: `{"sellerId":"fz-1","timestamp":${n},"type":"SALE","value":${n}}`, media: 'json', oversize: 0 })) },
    { weight: 3, arbitrary: fc.tuple(fc.uint8Array({ maxLength: 300 }), media).map(([bytes, m]): Body => ({ bytes, media: m, oversize: 0 })) },
    { weight: 3, arbitrary: fc.tuple(valued, fc.nat()).map(([v, cut]): Body => {
      const b = pack(v);
      return { bytes: b.subarray(0, cut % Math.max(1, b.length)), media: 'msgpack', oversize: 0 };
    }) },
    { weight: 2, arbitrary: media.map((m): Body => ({ bytes: '', media: m, oversize: 0 })) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: ctx.maxBodyBytes }).map((extra): Body => ({ bytes: '', media: 'json', oversize: ctx.maxBodyBytes + extra })) },
  );
}

const kMediaTypes = { json: 'application/json', msgpack: 'application/msgpack' } as const;
const hostileContentType = fc.constantFrom('', 'text/plain', 'application/json; charset=utf-16', 'APPLICATION/JSON', 'application/x-msgpack',
  'application/vnd.msgpack', 'multipart/form-data; boundary=x', 'application/jsonx', ';', 'application/x-www-form-urlencoded', '\xe9\xff', 'application/json,application/msgpack');

export function contentTypeFor(media: Body['media']): fc.Arbitrary<string | undefined> {
  return fc.oneof({ weight: 17, arbitrary: fc.constant(kMediaTypes[media]) }, { weight: 2, arbitrary: hostileContentType }, { weight: 1, arbitrary: fc.constant(undefined) });
}

/** One path segment, percent-encoded or deliberately not. */
export const segment = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('', '%', '%%', '%zz', '%f', '%ff', '%c0%af', '%00', '%2e%2e%2f', '..', '.', '..%2f..', 'a%2Fb', '%E2%80%AE',
    'known-1', 'fz-1', 'fz-2', 'nobody', '0', '-1', '1e3', 'NaN', 'null', '__proto__', 'constructor', 't_doesnotexist', '%ED%A0%80') },
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }).map(pct) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map(pct) },
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@%-]{1,64}$/) },
  { weight: 1, arbitrary: fc.nat(kLongSegment).map((n) => 'a'.repeat(n)) },
);

export function queryFor(names: readonly string[]): fc.Arbitrary<string> {
  const key = fc.oneof(fc.constantFrom(...names, 'type', 'resolution', 'metric', 'horizon', 'from', 'to', 'limit', 'cursor', 'producer', 'access_token', '__proto__', ''), segment);
  const value = fc.oneof(fc.constantFrom('SALE', 'VIEW', 'sale', '1s', '1h', 'auto', '60000', 'count', 'sum', '1', '0', '-1', '1.5', '1e309', '99999999999999999999', 'NaN'), segment);
  const pair = fc.oneof(fc.tuple(key, value).map(([k, v]) => `${k}=${v}`), key, fc.constantFrom('&', '=', '==', '&&=&'));
  return fc.oneof(
    { weight: 8, arbitrary: fc.array(pair, { maxLength: kMaxQueryPairs }).map((ps) => (ps.length > 0 ? '?' + ps.join('&') : '')) },
    { weight: 1, arbitrary: fc.constantFrom('?', '??', '?#', '?type=SALE&type=VIEW', '?type=SALE#frag') },
  );
}

/** Authorization header and ?access_token= of a request: mostly the right key, else a wrong one. */
export interface Auth {
  authorization: string | undefined;
  accessToken: string | undefined;
}

export function authFor(ctx: FuzzContext, right: string): fc.Arbitrary<Auth> {
  const header = (h: string | undefined): Auth => ({ authorization: h, accessToken: undefined });
  const wrongKeys = [ctx.revokedKey, ...Object.values(ctx.own), ...Object.values(ctx.other)].filter((k) => k !== right);
  return fc.oneof(
    { weight: 40, arbitrary: fc.constant(header(right === '' ? undefined : `Bearer ${right}`)) },
    { weight: 3, arbitrary: fc.constantFrom(...wrongKeys).map((k) => header(`Bearer ${k}`)) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, '', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer sp_', 'Bearer sp_not-a-key', `Bearer ${'x'.repeat(600)}`).map(header) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((s) => header(`Bearer ${s.replace(/[^\x20-\x7e]/g, '')}`)) },
    { weight: 1, arbitrary: fc.constantFrom(right, ...wrongKeys, 'sp_%zz').map((k): Auth => ({ authorization: undefined, accessToken: k })) },
    { weight: 1, arbitrary: fc.constant(header(right === '' ? 'Bearer  ' : `bearer   ${right}  `)) },
  );
}
