/**
 * Answers held to the end of their poll phase and written together (http.responseBatch): every
 * request still gets its own answer, the batch never holds more than its limit, a client that went
 * away is skipped, and HTTP pipelining — which uWS allows only for answers written before its handler
 * returns — works with batching off and, with it on, costs the pipelining client its connection only.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { startTestServer, getJson, authHeaders, kTestAdminKey, type TestServer } from '../helpers/server.js';

const kConcurrent = 200;

async function scrape(server: TestServer): Promise<{ held: number; batches: number }> {
  const text = await (await fetch(server.base + '/metrics', { headers: authHeaders() })).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { held: read('sellerpulse_http_held_answers_total'), batches: read('sellerpulse_http_answer_batches_total') };
}

/** One raw request (its own connection, so none waits for another's answer). */
function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (d) => {
      text += String(d);
      const headEnd = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text);
      if (headEnd >= 0 && length && text.length >= headEnd + 4 + Number(length[1])) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('error', reject);
    socket.write(head);
  });
}

function eventRequest(sellerId: string, value: number, requestId: string): string {
  const body = JSON.stringify({ sellerId, timestamp: Date.now(), type: 'SALE', value });
  return `POST /events HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nAuthorization: Bearer ${kTestAdminKey}\r\n`
    + `X-Request-ID: ${requestId}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Writes `requests` in one go on one connection; resolves with what came back before the server closed or `waitMs` passed. */
function pipelined(port: number, requests: string[], waitMs: number): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let closed = false;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed });
    }, waitMs);
    socket.on('data', (d) => {
      text += String(d);
      if ((text.match(/HTTP\/1\.1 \d{3} /g) ?? []).length === requests.length && text.endsWith('}')) {
        clearTimeout(timer);
        socket.destroy();
        resolve({ text, closed });
      }
    });
    socket.on('close', () => {
      closed = true;
      clearTimeout(timer);
      resolve({ text, closed });
    });
    socket.write(requests.join(''));
  });
}

async function sellerTotals(server: TestServer, sellerId: string): Promise<{ count: number; sum: number }> {
  const r = await getJson(server.base, `/metrics/${sellerId}/series?type=SALE&resolution=1m`);
  expect(r.status).toBe(200);
  return r.body.totals;
}

describe('answers written in batches (http.responseBatch)', () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
  });
  const start = async (responseBatch: number) => {
    const s = await startTestServer({ durability: { mode: 'snapshot' }, http: { responseBatch } });
    servers.push(s);
    return s;
  };

  it('gives each of many concurrent requests its own answer, counted once, and writes them together', async () => {
    const server = await start(64);
    const before = await scrape(server);
    const answers = await Promise.all(Array.from({ length: kConcurrent }, (_, i) => rawRequest(server.handle.port, eventRequest('rb-1', i + 1, `rb-${i}`))));
    answers.forEach((text, i) => {
      expect(text.startsWith('HTTP/1.1 202 '), text).toBe(true);
      // the answer to request i carries request i's id: no answer went to another request
      expect(text).toContain(`x-request-id: rb-${i}\r\n`);
      expect(text.endsWith('{"accepted":1}')).toBe(true);
    });
    expect(await sellerTotals(server, 'rb-1')).toMatchObject({ count: kConcurrent, sum: (kConcurrent * (kConcurrent + 1)) / 2 });
    const after = await scrape(server);
    expect(after.held - before.held).toBeGreaterThanOrEqual(kConcurrent);
    // some poll phase carried more than one answer
    expect(after.batches - before.batches).toBeLessThan(after.held - before.held);
  });

  it('never holds more answers than its limit', async () => {
    const server = await start(2);
    const before = await scrape(server);
    await Promise.all(Array.from({ length: kConcurrent }, (_, i) => rawRequest(server.handle.port, eventRequest('rb-2', 1, `rl-${i}`))));
    const after = await scrape(server);
    const held = after.held - before.held;
    expect(held).toBeGreaterThanOrEqual(kConcurrent);
    expect((after.batches - before.batches) * 2).toBeGreaterThanOrEqual(held);
    expect((await sellerTotals(server, 'rb-2')).count).toBe(kConcurrent);
  });

  it('answers pipelined requests in order when batching is off', async () => {
    const server = await start(0);
    const requests = Array.from({ length: 10 }, (_, i) => eventRequest('rb-3', 1, `pipe-${i}`));
    const { text } = await pipelined(server.handle.port, requests, 5_000);
    expect(text.match(/x-request-id: \S+/g)).toEqual(requests.map((_, i) => `x-request-id: pipe-${i}`));
    expect((await sellerTotals(server, 'rb-3')).count).toBe(10);
    expect((await scrape(server)).held).toBe(0);
  });

  it('with batching on, a pipelining client loses its connection (uWS refuses a request behind an unwritten answer); the first event is counted once and the server keeps serving', async () => {
    const server = await start(64);
    const requests = Array.from({ length: 10 }, (_, i) => eventRequest('rb-4', 1, `pipe-${i}`));
    const { text, closed } = await pipelined(server.handle.port, requests, 5_000);
    expect(closed).toBe(true);
    expect(text).toBe('');
    expect((await sellerTotals(server, 'rb-4')).count).toBe(1);
    const ok = await rawRequest(server.handle.port, eventRequest('rb-4', 1, 'after'));
    expect(ok).toContain('x-request-id: after\r\n');
    expect((await sellerTotals(server, 'rb-4')).count).toBe(2);
  });
});
