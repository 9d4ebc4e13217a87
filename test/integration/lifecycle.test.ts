/**
 * Acceptance (issue: engine core, lifecycle): SIGTERM drains the queues and exits cleanly; a
 * crashed shard worker is logged with what it lost and restarted; the server refuses to run on
 * the uWS JavaScript fallback.
 */
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startChildServer, logLines } from '../helpers/child-server.js';
import { startTestServer, getJson, postJson } from '../helpers/server.js';
import { StreamClient, f64Bin } from '../helpers/ws-client.js';

describe('lifecycle', () => {
  it('SIGTERM folds every queued event, then exits 0', async () => {
    const child = await startChildServer();
    const client = await StreamClient.open(`ws://127.0.0.1:${child.port}/stream`);
    const now = Date.now();
    let accepted = 0;
    for (let seq = 0; seq < 200; seq++) {
      const n = 2000;
      const ack = await client.sendUntilTaken({
        seq, sellerId: `drain-${seq % 10}`, timestamps: f64Bin(Array.from({ length: n }, (_, i) => now - i)),
        typeNames: ['CLICK'], types: new Uint8Array(n), values: f64Bin(new Array(n).fill(1)),
      });
      accepted += ack.accepted;
    }
    child.proc.kill('SIGTERM');
    const { code } = await child.exited;
    expect(code).toBe(0);
    const stopped = logLines(child.stdout()).find((l) => l.msg?.startsWith('SellerPulse stopped'));
    expect(stopped).toBeDefined();
    expect(stopped!.folded.reduce((a: number, b: number) => a + b, 0)).toBe(accepted);
    expect(accepted).toBe(400_000);
  });

  it('refuses to start on the uWS JavaScript fallback', async () => {
    const child = await startChildServer({ UWS_USE_FALLBACK: '1' });
    const { code } = await child.exited;
    expect(code).toBe(1);
    expect(child.stderr()).toContain('native binary is required');
  });

  it('logs a crashed shard worker, restarts it and recovers its rings from the store (wal mode)', async () => {
    const lines: Record<string, any>[] = [];
    const sink = new Writable({ write(chunk, _enc, cb) { lines.push(JSON.parse(chunk.toString())); cb(); } });
    const server = await startTestServer({ shards: 2, shard: { restartDelayMs: 10 } }, pino({ level: 'info' }, sink));
    try {
      const now = Date.now();
      const sellers = Array.from({ length: 20 }, (_, i) => `crash-${i}`);
      const r = await postJson(server.base, '/events/batch', sellers.map((sellerId) => ({ sellerId, timestamp: now, type: 'VIEW' })));
      expect(r.body.accepted).toBe(20);
      const shard0 = server.handle.engine.shards[0];
      const onShard0 = sellers.filter((s) => server.handle.engine.directory.find(`default/${s}`) < 1 << 24);
      expect(onShard0.length).toBeGreaterThan(0);
      await shard0.worker!.terminate();
      while (!lines.some((l) => l.msg?.includes('exited unexpectedly'))) await new Promise((res) => setTimeout(res, 10));
      const crash = lines.find((l) => l.msg?.includes('exited unexpectedly'))!;
      expect(crash.level).toBe(50);
      expect(crash.shard).toBe(0);
      expect(crash.lostEvents).toBe(onShard0.length);
      expect(crash.msg).toContain('in-memory rings are lost');
      // the restarted worker gets its rings back from the snapshot and its log, then serves again
      for (const id of onShard0) {
        const after = await getJson(server.base, `/metrics/${id}/series?type=VIEW&resolution=1m`);
        expect(after.status).toBe(200);
        expect(after.body.totals.count).toBe(1);
      }
      expect(lines.some((l) => l.msg?.includes('rings recovered from the store'))).toBe(true);
      await postJson(server.base, '/events', { sellerId: onShard0[0], timestamp: now, type: 'VIEW' });
      expect((await getJson(server.base, `/metrics/${onShard0[0]}/series?type=VIEW&resolution=1m`)).body.totals.count).toBe(2);
      expect(shard0.restarts).toBe(1);
      // and the store holds the recovered state: a snapshot now, then a restart would find it
      await server.handle.persistence.snapshot();
    } finally {
      await server.close();
    }
  });
});
