/**
 * Acceptance (issue: property/fuzz tests): over 100 000 generated hostile inputs against ONE real
 * server — every route the Router declares (so new routes are fuzzed automatically), the /stream
 * WebSocket, and slow clients. Every answer is < 500, every 4xx a problem document; known sellers'
 * counts are unchanged and the fuzz tenants hold exactly the events the server said it accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import fc from 'fast-check';
import { startTestServer, getJson, postJson, deleteJson, kTestAdminKey, type TestServer } from '../helpers/server.js';
import { kEventTypes, type FuzzContext, type Keys } from './support/hostile.js';
import { acceptedIn, hostileRequests, pool, send, violation } from './support/http-fuzz.js';
import { FuzzSocket, frameArbitrary, judgeReply, upgrade } from './support/ws-fuzz.js';

const kSeed = 424_242;
const kHttpInputs = 100_000;
const kWsFrames = 20_000;
const kInFlight = 48;
const kSockets = 8;
const kSampleChunk = 250;
const kFuzzTimeoutMs = 180_000;
const kMaxBody = 64 * 1024;
const kMaxFrameBytes = 32 * 1024;
const kMaxBatch = 64;
const kBodyTimeoutMs = 300;
const kDribbleMs = 150;
const kSlowBodyBytes = 64;
/** uWS closes an HTTP connection idle this long (its fixed HTTP idle timeout is 10 s), plus slack. */
const kHttpIdleCloseMs = 15_000;
const kHighLimit = { perSecond: 10_000_000, burst: 10_000_000 };
const kKnownEvents: Record<string, Record<string, number>> = { 'known-1': { SALE: 3, VIEW: 5 }, 'known-2': { CLICK: 7 }, 'known-3': { SALE: 1, CLICK: 2, VIEW: 4 } };
const kLongestResolution = '1h';
const kMaxReported = 25;
const kOperatorTenant = 'default';

let server: TestServer;
let ctx: FuzzContext;
const tenantIds: string[] = [];
const tenantRead: Record<string, string> = {};
let knownBefore: Record<string, unknown>;
const tally = { http: 0, ws: 0, upgrades: 0, accepted: 0 };
const violations = new Map<string, { count: number; example: string }>();

function report(where: string, why: string | null, input: string): void {
  if (why === null) return;
  const key = `${where}: ${why.replace(/\d+/g, 'N').slice(0, 80)}`;
  const v = violations.get(key) ?? { count: 0, example: `${why} ← ${input.slice(0, 300)}` };
  v.count++;
  violations.set(key, v);
}

async function makeTenant(name: string): Promise<Keys> {
  const t = await postJson(server.base, '/tenants', { name, tier: 'enterprise' });
  expect(t.status).toBe(201);
  tenantIds.push(t.body.id);
  const keys = {} as Keys;
  for (const scope of ['ingest', 'read', 'admin', 'embed'] as const) {
    keys[scope] = (await postJson(server.base, `/tenants/${t.body.id}/keys`, { name: `${name}-${scope}`, scopes: [scope] })).body.key;
  }
  tenantRead[t.body.id] = keys.read;
  return keys;
}

/** Series totals of every known seller and type (status and totals). */
async function knownTotals(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const seller of Object.keys(kKnownEvents)) {
    for (const type of kEventTypes) {
      const r = await getJson(server.base, `/metrics/${seller}/series?type=${type}&resolution=${kLongestResolution}`);
      out[`${seller}/${type}`] = { status: r.status, totals: r.body?.totals };
    }
  }
  return out;
}

/** Sellers the directory holds for a tenant. */
function sellersOf(tenantId: string): string[] {
  return [...server.handle.engine.directory.entries()].map(([key]) => key).filter((k) => k.startsWith(`${tenantId}/`)).map((k) => k.slice(tenantId.length + 1));
}

beforeAll(async () => {
  server = await startTestServer({
    limits: { maxBodyBytes: kMaxBody, maxFrameBytes: kMaxFrameBytes, maxBatchEvents: kMaxBatch, maxFrameEvents: kMaxBatch, maxFrameSellers: kMaxBatch, bodyTimeoutMs: kBodyTimeoutMs },
    access: { rateLimits: { enterprise: { ingest: kHighLimit, query: kHighLimit, embed: kHighLimit } } },
  });
  const now = Date.now();
  const known = Object.entries(kKnownEvents).flatMap(([sellerId, byType]) =>
    Object.entries(byType).flatMap(([type, n]) => Array.from({ length: n }, (_, i) => ({ sellerId, type, timestamp: now - i, value: i + 1 }))));
  expect((await postJson(server.base, '/events/batch', known)).body.accepted).toBe(known.length);
  const own = await makeTenant('fuzz-own');
  const other = await makeTenant('fuzz-other');
  const revoked = await postJson(server.base, `/tenants/${tenantIds[0]}/keys`, { name: 'revoked', scopes: ['ingest', 'read'] });
  expect((await deleteJson(server.base, `/keys/${revoked.body.id}`)).status).toBe(200);
  ctx = { now, operatorKey: kTestAdminKey, own, other, revokedKey: revoked.body.key, maxBodyBytes: kMaxBody, maxBatchEvents: kMaxBatch };
  await server.handle.engine.drain();
  knownBefore = await knownTotals();
});
afterAll(async () => server?.close());

describe('fuzzing every endpoint of one server', () => {
  it(`answers ${kHttpInputs} hostile HTTP requests across every declared route with < 500 and problem documents`, async () => {
    const routes = server.handle.router.routes;
    expect(routes.length).toBeGreaterThan(20);
    // a connection that sends half a request line and stalls: uWS must close it meanwhile
    const stalled = net.connect(server.handle.port, '127.0.0.1');
    const stalledClosed = new Promise<number>((resolve) => stalled.on('close', () => resolve(performance.now())));
    stalled.on('error', () => undefined);
    stalled.write('POST /events HTTP/1.1\r\nHost: x\r\n');
    const started = performance.now();
    const agent = new http.Agent({ keepAlive: true, maxSockets: kInFlight });
    const perRoute = Math.ceil(kHttpInputs / routes.length);
    await pool(hostileRequests(ctx, routes, perRoute, kSampleChunk, kSeed), kInFlight, async (r) => {
      const o = await send(agent, server.handle.port, r);
      tally.http++;
      report(r.label, violation(r, o), `${r.method} ${r.path} ${JSON.stringify(r.headers)} ${typeof r.body === 'string' ? r.body : `${r.body?.byteLength ?? 0} bytes`}`);
      if (o.error === undefined && o.status < 500) tally.accepted += acceptedIn(o);
    });
    agent.destroy();
    const seconds = (performance.now() - started) / 1000;
    console.log(`HTTP fuzz: ${tally.http} requests over ${routes.length} routes in ${seconds.toFixed(1)} s (${Math.round(tally.http / seconds)}/s), ${tally.accepted} events accepted`);
    expect(tally.http).toBeGreaterThanOrEqual(kHttpInputs);
    const closedAt = await Promise.race([stalledClosed, new Promise<number>((r) => setTimeout(() => r(NaN), Math.max(0, kHttpIdleCloseMs - (performance.now() - started))))]);
    expect(Number.isNaN(closedAt), 'a stalled half-request connection was not closed by the server').toBe(false);
    stalled.destroy();
  }, kFuzzTimeoutMs);

  it(`answers ${kWsFrames} hostile /stream frames, and hostile upgrades, without a server error`, async () => {
    const started = performance.now();
    const frames = fc.sample(frameArbitrary(ctx.now, kMaxBatch, kMaxFrameBytes), { seed: kSeed, numRuns: kWsFrames });
    let next = 0;
    await Promise.all(Array.from({ length: kSockets }, async () => {
      let socket = await FuzzSocket.open(server.wsUrl, ctx.own.ingest);
      while (next < frames.length) {
        const f = frames[next++];
        const reply = await socket.send(f);
        tally.ws++;
        const { violation: why, accepted } = judgeReply(f, reply);
        report('WS /stream', why, `${f.raw !== undefined ? `raw ${f.raw.length}` : JSON.stringify(f.fields)} seq=${f.seq}/${String(f.hostileSeq)}`);
        tally.accepted += accepted;
        if (socket.closed !== undefined) socket = await FuzzSocket.open(server.wsUrl, ctx.own.ingest);
      }
      socket.close();
    }));
    // upgrades with hostile producers and keys: refused with a 4xx, or upgraded
    const upgrades = fc.sample(fc.tuple(fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('', 'p1', 'x'.repeat(65), '../p')),
      fc.constantFrom(ctx.own.ingest, ctx.own.read, ctx.other.embed, ctx.revokedKey, 'sp_nope', '')), { seed: kSeed, numRuns: kSockets * kSockets });
    for (const [producer, key] of upgrades) {
      const u = await upgrade(`${server.wsUrl}?producer=${encodeURIComponent(producer)}`, key);
      tally.upgrades++;
      const why = u.status === 0 || u.status >= 500 ? `upgrade answered ${u.status}`
        : u.status >= 400 && u.contentType !== 'application/problem+json' ? `upgrade ${u.status} with ${u.contentType}` : null;
      report('WS upgrade', why, `producer=${producer} key=${key.slice(0, 12)}`);
    }
    console.log(`WS fuzz: ${tally.ws} frames on ${kSockets} sockets, ${tally.upgrades} upgrades in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }, kFuzzTimeoutMs);

  it('answers a body dribbled slower than limits.bodyTimeoutMs with 408 and closes the connection', async () => {
    const socket = net.connect(server.handle.port, '127.0.0.1');
    let received = '';
    socket.on('data', (d) => (received += d.toString()));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.write(`POST /events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ctx.own.ingest}\r\nContent-Type: application/json\r\nContent-Length: ${kSlowBodyBytes}\r\n\r\n{`);
    const dribble = setInterval(() => socket.writable && socket.write(' '), kDribbleMs);
    const started = performance.now();
    await closed;
    clearInterval(dribble);
    tally.http++;
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(received.toLowerCase()).toContain('content-type: application/problem+json');
    expect(received).toContain('"/problems/body_timeout"');
    // answered long before the whole body could have arrived
    expect(performance.now() - started).toBeLessThan(kSlowBodyBytes * kDribbleMs);
  });

  it('left no 5xx, no crash and no malformed answer', () => {
    const total = tally.http + tally.ws + tally.upgrades;
    console.log(`fuzz total: ${total} hostile inputs (${tally.http} HTTP, ${tally.ws} WS frames, ${tally.upgrades} upgrades)`);
    expect(total).toBeGreaterThanOrEqual(kHttpInputs);
    const found = [...violations].sort((a, b) => b[1].count - a[1].count).slice(0, kMaxReported)
      .map(([k, v]) => `${v.count}× ${k}\n    e.g. ${v.example}`);
    expect(found, found.join('\n')).toEqual([]);
  });

  it('kept the known sellers\' counts, and holds exactly the fuzz events the server said it accepted', async () => {
    await server.handle.engine.drain();
    expect(await knownTotals()).toEqual(knownBefore);
    expect(sellersOf(kOperatorTenant).sort()).toEqual(Object.keys(kKnownEvents).sort());
    let stored = 0;
    for (const tenantId of tenantIds) {
      for (const seller of sellersOf(tenantId)) {
        for (const type of kEventTypes) {
          const r = await getJson(server.base, `/metrics/${encodeURIComponent(seller)}/series?type=${type}&resolution=${kLongestResolution}`, tenantRead[tenantId]);
          expect(r.status, seller).toBe(200);
          stored += r.body.totals.count;
        }
      }
    }
    console.log(`fuzz tenants: ${stored} events stored, ${tally.accepted} reported accepted`);
    expect(tally.accepted).toBeGreaterThan(0);
    expect(stored).toBe(tally.accepted);
  });

  it('still serves: /healthz 200, a valid event over HTTP and over the stream', async () => {
    expect((await getJson(server.base, '/healthz', '')).status).toBe(200);
    const ev = { sellerId: 'fz-after', timestamp: Date.now(), type: 'SALE', value: 2 };
    expect((await postJson(server.base, '/events', ev, undefined, ctx.own.ingest)).body).toEqual({ accepted: 1 });
    const socket = await FuzzSocket.open(server.wsUrl, ctx.own.ingest);
    const reply = await socket.send({ raw: undefined, fields: { events: [ev] }, seq: 'next', hostileSeq: undefined, binary: true, oversize: false });
    socket.close();
    expect(reply.message).toMatchObject({ accepted: 1, rejected: [] });
    await server.handle.engine.drain();
    const r = await getJson(server.base, `/metrics/fz-after/series?type=SALE&resolution=${kLongestResolution}`, ctx.own.read);
    expect(r.body.totals).toEqual({ count: 2, sum: 4 });
  });
});
