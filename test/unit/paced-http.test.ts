import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pacedHttp } from '../../dist/bench/paced-http.js';

/** A server that answers every request after `delayMs`, counting the requests it saw per path. */
function slowServer(delayMs: number, seen: Map<string, number>): Promise<Server> {
  const server = createServer((req, res) => {
    seen.set(req.url ?? '', (seen.get(req.url ?? '') ?? 0) + 1);
    const body = '{"ok":true}';
    setTimeout(() => res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json', 'content-length': body.length }).end(body), delayMs);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('pacedHttp (the analytics bench query client)', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('offers the requested rate open loop, round-robin over the paths, and counts non-2xx answers', async () => {
    const seen = new Map<string, number>();
    server = await slowServer(0, seen);
    const port = (server.address() as AddressInfo).port;
    const r = await pacedHttp({ host: '127.0.0.1', port, paths: ['/a', '/missing'], headers: { authorization: 'Bearer x' }, perSec: 200, seconds: 1, connections: 2 });
    expect(r.sent).toBe(200);
    expect(r.completed).toBe(200);
    expect(seen.get('/a')).toBe(100);
    expect(seen.get('/missing')).toBe(100);
    expect(r.non2xx).toBe(100);
    expect(r.latency.samples).toBe(200);
    expect(r.fromSchedule.p99).toBeGreaterThanOrEqual(r.latency.p99);
  });

  it('fails the run on an answer it cannot frame (no Content-Length) instead of hanging', async () => {
    server = createServer((_req, res) => res.writeHead(200).end('chunked'));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as AddressInfo).port;
    await expect(pacedHttp({ host: '127.0.0.1', port, paths: ['/a'], headers: {}, perSec: 50, seconds: 0.2, connections: 1 })).rejects.toThrow(/Content-Length/);
  });

  it('keeps counting while a slow server holds every connection (no coordinated omission)', async () => {
    const seen = new Map<string, number>();
    // one connection, a request every 10 ms, each answered after 30 ms: request k completes at about
    // 30 (k + 1) ms and was due at 10 k ms, so it counts 20 k + 30 ms — far more than the server's 30 ms
    server = await slowServer(30, seen);
    const port = (server.address() as AddressInfo).port;
    const r = await pacedHttp({ host: '127.0.0.1', port, paths: ['/a'], headers: {}, perSec: 100, seconds: 0.5, connections: 1 });
    expect(r.sent).toBe(50);
    expect(r.completed).toBe(50);
    expect(r.latency.max).toBeGreaterThan(900);
    expect(r.latency.p50).toBeGreaterThan(300);
  });
});
