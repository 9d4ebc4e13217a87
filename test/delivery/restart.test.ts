/**
 * The delivery queue survives restarts: a server closed in the middle of retries (or while an
 * attempt hangs) and started again on the same data dir completes the delivery, the receiver sees
 * exactly one successful delivery per idempotency key, and the sealed secret still signs.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, postJson, type TestServer } from '../helpers/server.js';
import { Receiver, eventually, verifies, type Received } from './receiver.js';

const dirs: string[] = [];
const receivers: Receiver[] = [];
afterAll(async () => {
  for (const r of receivers) await r.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const overrides = (dataDir: string) => ({
  dataDir, shards: 1,
  delivery: { attemptTimeoutMs: 5_000, stopTimeoutMs: 100, backoff: { baseMs: 400, factor: 1, maxDelayMs: 400, maxAttempts: 6, jitter: 0, seed: null } },
});

const ok = (rs: Received[], key: string) => rs.filter((r) => r.headers['idempotency-key'] === key && r.status >= 200 && r.status < 300);

async function setUp(rx: Receiver): Promise<{ dataDir: string; server: TestServer; hook: { id: string; secret: string } }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sellerpulse-delivery-'));
  dirs.push(dataDir);
  const server = await startTestServer(overrides(dataDir));
  const hook = (await postJson(server.base, '/webhooks', { url: rx.url, events: ['alert.created'] })).body;
  return { dataDir, server, hook };
}

async function deliveredAfterRestart(dataDir: string, id: string) {
  const server = await startTestServer(overrides(dataDir));
  try {
    return await eventually(() => {
      const d = server.handle.store.deliveries.get(id);
      return d?.state === 'delivered' ? { d, log: server.handle.deliveries.queue.attempts(id) } : undefined;
    });
  } finally {
    await server.close();
  }
}

describe('restart', () => {
  it('completes a delivery whose retries were interrupted by a restart', async () => {
    const rx = await Receiver.start((n) => (n <= 2 ? 500 : 200));
    receivers.push(rx);
    const { dataDir, server, hook } = await setUp(rx);
    const [d] = await server.handle.deliveries.enqueue({ tenantId: 'default', event: 'alert.created', payload: { a: 1 }, idempotencyKey: 'restart-1' });
    await rx.until((r) => r.length === 1);
    await eventually(() => (server.handle.store.deliveries.get(d.id)?.attempts === 1 ? true : undefined));
    await server.close();
    expect(rx.received).toHaveLength(1);

    const { d: done, log } = await deliveredAfterRestart(dataDir, d.id);
    expect(done.attempts).toBe(3);
    expect(log.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(ok(rx.received, 'restart-1')).toHaveLength(1);
    expect(rx.received).toHaveLength(3);
    for (const r of rx.received) expect(verifies(r, hook.secret)).toBe(true);
  });

  it('attempts again what was in flight when the server stopped', async () => {
    const rx = await Receiver.start(() => 'hang');
    receivers.push(rx);
    const { dataDir, server, hook } = await setUp(rx);
    const [d] = await server.handle.deliveries.enqueue({ tenantId: 'default', event: 'alert.created', payload: { b: 2 }, idempotencyKey: 'restart-2' });
    await rx.until((r) => r.length === 1);
    await server.close();
    // the aborted attempt left no trace: still pending, nothing logged
    rx.behaviour = () => 200;

    const { d: done, log } = await deliveredAfterRestart(dataDir, d.id);
    expect(done.attempts).toBe(1);
    expect(log.map((a) => a.status)).toEqual([200]);
    expect(rx.received.map((r) => r.headers['idempotency-key'])).toEqual(['restart-2', 'restart-2']);
    expect(ok(rx.received, 'restart-2')).toHaveLength(1);
    expect(verifies(rx.received[1], hook.secret)).toBe(true);
  });
});
