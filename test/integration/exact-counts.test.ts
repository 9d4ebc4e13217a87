/**
 * Acceptance (issue: engine core): ≥ 200 000 events for ≥ 1 000 sellers through HTTP single, HTTP
 * batch and WebSocket (rows and columnar) at once — with re-sent frames, out-of-order timestamps,
 * invalid, late and duplicate-eventId events mixed in — read back bucket by bucket, exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, postJson, getJson, type TestServer } from '../helpers/server.js';
import { StreamClient, f64Bin, u32Bin } from '../helpers/ws-client.js';
import { Tally, prng } from '../helpers/tally.js';

const kSellers = 1_200;
const kSingleEvents = 12_000;
const kBatchEvents = 80_000;
const kBatchSize = 500;
const kRowFrameEvents = 1_000;
const kRowFrames = 70;
const kColumnarFrames = 50;
const kColumnarEvents = 1_000;
const kSpreadMs = 30 * 60_000;
const kTypes = ['SALE', 'CLICK', 'VIEW'];
const kBucketMs = 60_000;

describe('exact counts across HTTP single, HTTP batch and WebSocket', () => {
  let server: TestServer;
  const rand = prng(20261122);
  const now = Date.now();
  const seller = (i: number) => `sel-${i.toString(36)}`;
  const randomEvent = () => ({
    sellerId: seller(Math.floor(rand() * kSellers)),
    // out of order: anywhere in the last 30 minutes, in random order
    timestamp: now - Math.floor(rand() * kSpreadMs),
    type: kTypes[Math.floor(rand() * 3)],
    value: Math.round(rand() * 100_000) / 100,
  });

  beforeAll(async () => {
    server = await startTestServer({
      rings: { resolutions: [{ name: '1s', bucketMs: 1000, window: 256 }, { name: '1m', bucketMs: kBucketMs, window: 120 }, { name: '1h', bucketMs: 3_600_000, window: 48 }] },
    });
  });
  afterAll(async () => server?.close());

  it('counts every accepted event exactly once, bucket by bucket', async () => {
    const tally = new Tally(kBucketMs, server.config.events.valueScale);
    let acceptedTotal = 0;

    const singles = async () => {
      let next = 0;
      const workerLoop = async () => {
        while (next < kSingleEvents) {
          next++;
          const ev = randomEvent();
          const r = await postJson(server.base, '/events', ev);
          expect(r.status).toBe(202);
          expect(r.body).toEqual({ accepted: 1 });
          tally.add(ev.sellerId, ev.type, ev.timestamp, ev.value);
          acceptedTotal++;
        }
      };
      await Promise.all(Array.from({ length: 16 }, workerLoop));
    };

    const batches = async () => {
      for (let sent = 0; sent < kBatchEvents; sent += kBatchSize) {
        const events: Record<string, unknown>[] = [];
        const invalid = new Set<number>();
        for (let i = 0; i < kBatchSize; i++) {
          const ev: Record<string, unknown> = randomEvent();
          if (i % 97 === 13) {
            ev.value = -1; // invalid: rejected, not counted
            invalid.add(i);
          } else if (i % 101 === 7) {
            ev.timestamp = now - 200 * 86_400_000; // older than every ring: late_dropped
          }
          events.push(ev);
        }
        const r = await postJson(server.base, '/events/batch', { events });
        expect(r.status).toBe(202);
        expect(new Set(r.body.rejected.map((x: { index: number }) => x.index))).toEqual(invalid);
        let late = 0;
        events.forEach((ev, i) => {
          if (invalid.has(i)) return;
          if ((ev.timestamp as number) < now - 100 * 86_400_000) late++;
          else tally.add(ev.sellerId as string, ev.type as string, ev.timestamp as number, ev.value as number);
        });
        expect(r.body.lateDropped).toBe(late);
        expect(r.body.accepted).toBe(kBatchSize - invalid.size - late);
        acceptedTotal += r.body.accepted;
      }
    };

    const rowFrames = async () => {
      const client = await StreamClient.open(`${server.wsUrl}?producer=rows-1`);
      for (let seq = 0; seq < kRowFrames; seq++) {
        const events = Array.from({ length: kRowFrameEvents }, (_, i) => ({ ...randomEvent(), eventId: `r-${seq}-${i}` }));
        // an event re-sent inside the frame under the same eventId: acknowledged, counted once
        events.push({ ...events[0] });
        const ack = await client.sendUntilTaken({ seq, events });
        expect(ack.accepted).toBe(kRowFrameEvents);
        expect(ack.duplicates).toBe(1);
        for (const ev of events.slice(0, kRowFrameEvents)) tally.add(ev.sellerId, ev.type, ev.timestamp, ev.value);
        acceptedTotal += ack.accepted;
        if (seq % 10 === 3) {
          // a retry of an acked frame: acked again with the same counts, not counted twice
          const again = await client.send({ seq, events });
          expect(again.duplicate).toBe(true);
          expect(again.accepted).toBe(kRowFrameEvents);
        }
      }
      client.close();
      // a reconnecting producer re-sends an old frame: still not counted twice
      const again = await StreamClient.open(`${server.wsUrl}?producer=rows-1`);
      const ack = await again.send({ seq: 5, events: [randomEvent()] });
      expect(ack.duplicate).toBe(true);
      again.close();
    };

    const columnarFrames = async () => {
      const client = await StreamClient.open(`${server.wsUrl}?producer=cols-1`);
      // a producer repeats its seller table for a few frames, then switches (the server's per-connection
      // memo of the resolved table: hits and misses)
      const tables = Array.from({ length: 3 }, () => Array.from({ length: 20 }, () => seller(Math.floor(rand() * kSellers))));
      for (let seq = 0; seq < kColumnarFrames; seq++) {
        const sellerIds = [...tables[Math.floor(seq / 4) % tables.length]];
        const idx: number[] = [];
        const ts: number[] = [];
        const types: number[] = [];
        const values: number[] = [];
        for (let i = 0; i < kColumnarEvents; i++) {
          const ev = randomEvent();
          idx.push(i % sellerIds.length);
          ts.push(ev.timestamp);
          types.push(kTypes.indexOf(ev.type));
          values.push(ev.value);
        }
        const frame = { seq, sellerIds, sellerIndex: u32Bin(idx), timestamps: f64Bin(ts), typeNames: kTypes, types: new Uint8Array(types), values: f64Bin(values) };
        const ack = await client.sendUntilTaken(frame);
        expect(ack.accepted).toBe(kColumnarEvents);
        for (let i = 0; i < kColumnarEvents; i++) tally.add(sellerIds[idx[i]], kTypes[types[i]], ts[i], values[i]);
        acceptedTotal += ack.accepted;
        if (seq % 7 === 0) expect((await client.send(frame)).duplicate).toBe(true);
      }
      client.close();
    };

    await Promise.all([singles(), batches(), rowFrames(), columnarFrames()]);
    expect(acceptedTotal).toBeGreaterThanOrEqual(200_000);
    expect(tally.total()).toBe(acceptedTotal);
    const keys = tally.keys();
    expect(new Set(keys.map((k) => k.split('|')[0])).size).toBeGreaterThanOrEqual(1_000);

    let compared = 0;
    for (const key of keys) {
      const [sellerId, type] = key.split('|');
      const r = await getJson(server.base, `/metrics/${sellerId}/series?type=${type}&resolution=1m`);
      expect(r.status).toBe(200);
      const got: Record<number, [number, number]> = {};
      for (const b of r.body.buckets) if (b.count > 0) got[b.start] = [b.count, b.sum];
      expect(got, key).toEqual(tally.expected(key));
      compared += r.body.totals.count;
    }
    expect(compared).toBe(acceptedTotal);
  });
});
