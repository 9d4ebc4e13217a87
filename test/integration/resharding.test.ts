/**
 * Acceptance (issue: store, live resharding): 1 → 2 → 4 → 3 shards through POST /config while
 * producers keep sending (WebSocket frames and HTTP batches, re-sent when told to retry); exact
 * counts afterwards, every seller on the shard its hash picks, and the audit log records it.
 */
import { describe, expect, it } from 'vitest';
import { startTestServer, postJson, getJson } from '../helpers/server.js';
import { StreamClient } from '../helpers/ws-client.js';
import { Tally, prng } from '../helpers/tally.js';

const kSellers = 300;
const kTypes = ['SALE', 'CLICK', 'VIEW'];

describe('live resharding', () => {
  it('moves sellers 1 → 2 → 4 → 3 under load with exact counts', async () => {
    const server = await startTestServer({
      shards: 1,
      rings: { resolutions: [{ name: '1s', bucketMs: 1000, window: 128 }, { name: '1m', bucketMs: 60_000, window: 120 }, { name: '1h', bucketMs: 3_600_000, window: 48 }] },
    });
    try {
      const rand = prng(99);
      const now = Date.now();
      const tally = new Tally(60_000, server.config.events.valueScale);
      const event = () => ({ sellerId: `rsh-${Math.floor(rand() * kSellers)}`, timestamp: now - Math.floor(rand() * 3_000_000), type: kTypes[Math.floor(rand() * 3)], value: Math.floor(rand() * 1000) / 4 });
      let running = true;
      let retries = 0;

      const wsLoad = (async () => {
        const client = await StreamClient.open(`${server.wsUrl}?producer=reshard`);
        for (let seq = 0; running; seq++) {
          const events = Array.from({ length: 200 }, event);
          let ack = await client.send({ seq, events });
          while (ack.retryAfterMs !== undefined) {
            retries++;
            await new Promise((r) => setTimeout(r, 5));
            ack = await client.send({ seq, events });
          }
          expect(ack.accepted).toBe(200);
          for (const e of events) tally.add(e.sellerId, e.type, e.timestamp, e.value);
        }
        client.close();
      })();
      const httpLoad = (async () => {
        while (running) {
          const events = Array.from({ length: 100 }, event);
          let r = await postJson(server.base, '/events/batch', events);
          while (r.status === 503) {
            retries++;
            expect(r.headers.get('retry-after')).not.toBeNull();
            await new Promise((res) => setTimeout(res, 5));
            r = await postJson(server.base, '/events/batch', events);
          }
          expect(r.status).toBe(202);
          expect(r.body.accepted).toBe(100);
          for (const e of events) tally.add(e.sellerId, e.type, e.timestamp, e.value);
        }
      })();

      for (const shards of [2, 4, 3]) {
        await new Promise((r) => setTimeout(r, 300));
        const change = await postJson(server.base, '/config', { patch: { shards }, reason: `reshard to ${shards}`, author: 'ops' });
        expect(change.status).toBe(201);
        expect(server.handle.engine.shards.length).toBe(shards);
      }
      await new Promise((r) => setTimeout(r, 300));
      running = false;
      await Promise.all([wsLoad, httpLoad]);
      expect(retries).toBeGreaterThan(0); // producers really were told to come back during the moves

      const engine = server.handle.engine;
      for (const key of tally.keys()) {
        const [sellerId, type] = key.split('|');
        expect(Math.floor(engine.directory.find(`default/${sellerId}`) / 2 ** 24)).toBe(shardOf(`default/${sellerId}`, 3));
        const body = (await getJson(server.base, `/metrics/${sellerId}/series?type=${type}&resolution=1m`)).body;
        const got: Record<number, [number, number]> = {};
        for (const b of body.buckets) if (b.count > 0) got[b.start] = [b.count, b.sum];
        expect(got, key).toEqual(tally.expected(key));
      }
      const audit = (await getJson(server.base, '/config/audit?limit=10')).body.items;
      expect(audit.filter((a: { reason: string }) => a.reason.startsWith('reshard to')).map((a: { diff: { path: string; to: number }[] }) => a.diff[0]))
        .toEqual([{ path: '/shards', from: 4, to: 3 }, { path: '/shards', from: 2, to: 4 }, { path: '/shards', from: 1, to: 2 }]);
    } finally {
      await server.close();
    }
  });
});

/** The engine's stable seller hash (FNV-1a 32 over UTF-16 code units), restated independently. */
function shardOf(id: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % shards;
}
