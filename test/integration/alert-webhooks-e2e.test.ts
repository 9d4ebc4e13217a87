/**
 * Issue 6 end to end, through the webhook: a seller's bot burst (ingested over HTTP) raises an alert;
 * the tenant's webhook receiver fails the first 3 attempts (the gaps between attempts grow), then
 * takes it with a valid signature; replay re-sends it with the same idempotency key; ack and resolve
 * change its state (and are delivered too). A second alert's delivery survives a server restart in
 * the middle of its retries and reaches the receiver exactly once (by idempotency key).
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, postJson, getJson, type TestServer } from '../helpers/server.js';
import { Receiver, verifies } from '../delivery/receiver.js';
import { mulberry32 } from '../../dist/bench/prng.js';

const kFailures = 3;
const delivery = { attemptTimeoutMs: 2_000, stopTimeoutMs: 100, backoff: { baseMs: 150, factor: 2, maxDelayMs: 2_000, maxAttempts: 8, jitter: 0, seed: null } };
const monitor = { enabled: false, intervalMs: 60_000, maxSellersPerSweep: 100, types: ['CLICK'] };

/** ~15 min of 3–7 clicks a second, then a minute of volleys every 5 s (see alerts-e2e.test.ts). */
async function botBurst(server: TestServer, sellerId: string, seed: number): Promise<void> {
  const rand = mulberry32(seed);
  const now = Math.floor(Date.now() / 1000) * 1000;
  const events: Record<string, unknown>[] = [];
  for (let s = 0; s < 960; s++) {
    let n = 3 + Math.floor(rand() * 5);
    if (s >= 900 && s % 5 === 0) n += 40;
    for (let i = 0; i < n; i++) events.push({ sellerId, timestamp: now - (960 - s) * 1000 + Math.floor(rand() * 1000), type: 'CLICK' });
  }
  for (let i = 0; i < events.length; i += 4000) expect((await postJson(server.base, '/events/batch', events.slice(i, i + 4000))).status).toBe(202);
  await server.handle.engine.drain();
}

describe('alert → webhook, end to end', () => {
  it('retries with growing delays, replays with the same key, delivers ack and resolve, and survives a restart exactly once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sellerpulse-alert-hook-'));
    const receiver = await Receiver.start((n) => (n <= kFailures ? 500 : 200));
    let server = await startTestServer({ dataDir, monitor, delivery });
    try {
      const hook = await postJson(server.base, '/webhooks', { url: receiver.url, events: ['alert.created', 'alert.acknowledged', 'alert.resolved'] });
      expect(hook.status).toBe(201);
      await botBurst(server, 'bot-shop', 7);
      expect((await server.handle.monitor.runOnce()).alertsRaised).toBe(1);
      const alert = (await getJson(server.base, '/alerts')).body.alerts[0];
      expect(alert).toMatchObject({ sellerId: 'bot-shop', type: 'potential_spike', dataSufficiency: { status: 'sufficient' } });

      await receiver.until((r) => r.some((x) => x.status === 200));
      const attempts = receiver.received.filter((r) => r.json.data.id === alert.id);
      expect(attempts.map((r) => r.status)).toEqual([500, 500, 500, 200]);
      const gaps = attempts.slice(1).map((r, i) => r.at - attempts[i].at);
      for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThan(gaps[i - 1]);
      const ok = attempts[3];
      expect(ok.headers['idempotency-key']).toBe(alert.idempotencyKey);
      expect(ok.json.event).toBe('alert.created');
      expect(verifies(ok, hook.body.secret)).toBe(true);
      expect(ok.json.data).toMatchObject({ id: alert.id, level: alert.level, dataSufficiency: alert.dataSufficiency });

      expect((await postJson(server.base, `/alerts/${alert.id}/replay`, {})).status).toBe(202);
      await receiver.until((r) => r.filter((x) => x.status === 200 && x.json.event === 'alert.created').length === 2);
      const created = receiver.received.filter((r) => r.status === 200 && r.json.event === 'alert.created');
      expect(created[1].headers['idempotency-key']).toBe(alert.idempotencyKey);

      expect((await postJson(server.base, `/alerts/${alert.id}/ack`, {})).body.state).toBe('acknowledged');
      expect((await postJson(server.base, `/alerts/${alert.id}/resolve`, {})).body.state).toBe('resolved');
      await receiver.until((r) => r.some((x) => x.json.event === 'alert.resolved' && x.status === 200));
      expect(receiver.received.filter((r) => r.status === 200).map((r) => r.json.event)).toEqual(['alert.created', 'alert.created', 'alert.acknowledged', 'alert.resolved']);

      // a second alert (another seller): the receiver fails until the server has restarted
      let restarted = false;
      receiver.behaviour = () => (restarted ? 200 : 503);
      await botBurst(server, 'bot-shop-2', 8);
      expect((await server.handle.monitor.runOnce()).alertsRaised).toBe(1);
      const second = (await getJson(server.base, '/alerts?sellerId=bot-shop-2')).body.alerts[0];
      await receiver.until((r) => r.filter((x) => x.json.data.id === second.id).length >= 2);
      await server.close();
      server = await startTestServer({ dataDir, monitor, delivery });
      restarted = true;
      await receiver.until((r) => r.some((x) => x.json.data.id === second.id && x.status === 200));
      await new Promise((r) => setTimeout(r, 3 * delivery.backoff.maxDelayMs));
      const took = receiver.received.filter((r) => r.json.data.id === second.id && r.status === 200);
      expect(took).toHaveLength(1);
      expect(took[0].headers['idempotency-key']).toBe(second.idempotencyKey);
    } finally {
      await server.close();
      await receiver.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
