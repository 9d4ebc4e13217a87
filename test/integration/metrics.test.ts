/** GET /metrics: Prometheus text with intake outcomes, reject reasons and stripped PII field names. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, postJson, getJson, type TestServer, authHeaders } from '../helpers/server.js';
import { StreamClient } from '../helpers/ws-client.js';

describe('GET /metrics', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  /** Scrapes /metrics once; the returned function reads one counter's value (0 when absent). */
  async function counterReader(): Promise<(name: string, label: string) => number> {
    const text = await (await fetch(server.base + '/metrics', { headers: authHeaders() })).text();
    return (name, label) => Number(new RegExp(`^${name}${label === '' ? '' : `\\{${label}\\}`} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  }

  it('counts outcomes, reasons and PII field names — never field contents', async () => {
    const now = Date.now();
    const r = await postJson(server.base, '/events/batch', [
      { sellerId: 'm-1', timestamp: now, type: 'SALE', value: 3, email: 'secret-person@example.com', First_Name: 'Zebedee' },
      { sellerId: 'm-1', timestamp: now, type: 'SALE', value: -3 },
      { sellerId: 'm-1', timestamp: now - 400 * 86_400_000, type: 'VIEW' },
    ]);
    expect(r.body).toMatchObject({ accepted: 1, lateDropped: 1 });
    const res = await fetch(server.base + '/metrics', { headers: authHeaders() });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('sellerpulse_events_total{outcome="accepted"} 1');
    expect(text).toContain('sellerpulse_events_total{outcome="late_dropped"} 1');
    expect(text).toContain('sellerpulse_events_rejected_total{reason="value_negative"} 1');
    expect(text).toContain('sellerpulse_pii_fields_stripped_total{field="email"} 1');
    expect(text).toContain('sellerpulse_pii_fields_stripped_total{field="firstname"} 1');
    expect(text).toMatch(/sellerpulse_queue_depth\{shard="0"\} \d+/);
    expect(text).toMatch(/sellerpulse_event_loop_utilization [\d.e-]+/);
    // events by the sending tenant's tier (the operator tenant is enterprise) and outcome
    expect(text).toContain('sellerpulse_tenant_events_total{tier="enterprise",outcome="accepted"} 1');
    expect(text).toContain('sellerpulse_tenant_events_total{tier="enterprise",outcome="rejected"} 1');
    // latency histogram per route and status class, recomputations and cache hits, event loop and GC
    expect(text).toMatch(/sellerpulse_http_request_duration_seconds_count\{route="\/events\/batch",status="2xx"\} 1/);
    expect(text).toContain('sellerpulse_result_cache_hit_ratio');
    expect(text).toContain('# TYPE sellerpulse_recomputations_total counter');
    expect(text).toMatch(/sellerpulse_nodejs_eventloop_lag_p99_seconds [\d.e-]+/);
    expect(text).toContain('# TYPE sellerpulse_nodejs_gc_duration_seconds histogram');
    // the start-up snapshot (restore, then every seller stored) is counted
    expect(Number(/sellerpulse_snapshots_total (\d+)/.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/sellerpulse_snapshot_sellers_total \d+/);
    expect(text).not.toContain('secret-person');
    expect(text).not.toContain('Zebedee');
    // a second scrape keeps totals (counters do not double)
    const again = await (await fetch(server.base + '/metrics', { headers: authHeaders() })).text();
    expect(again).toContain('sellerpulse_events_total{outcome="accepted"} 1');
  });

  it('counts rows frames read from their bytes, frames left to the decoder, and seller IDs taken from the table', async () => {
    const scrape = async () => {
      const read = await counterReader();
      return {
        table: read('sellerpulse_decoded_strings_total', 'source="table"'),
        decoded: read('sellerpulse_decoded_strings_total', 'source="decoded"'),
        rows: read('sellerpulse_ws_msgpack_frames_total', 'reader="rows"'),
        decoder: read('sellerpulse_ws_msgpack_frames_total', 'reader="decoder"'),
        note: read('sellerpulse_unknown_fields_dropped_total', ''),
      };
    };
    const before = await scrape();
    const client = await StreamClient.open(`${server.wsUrl}?producer=intern`);
    const now = Date.now();
    const events = ['i-1', 'i-2', 'i-3'].map((sellerId, i) => ({ sellerId, timestamp: now, type: 'CLICK', value: i }));
    let rowsDone;
    try {
      for (let seq = 0; seq < 3; seq++) expect((await client.sendUntilTaken({ seq, events })).accepted).toBe(3);
      rowsDone = await scrape();
      // a field intake drops: the frame goes to the decoder (which strips and counts it), and is taken
      expect((await client.sendUntilTaken({ seq: 3, events: [{ ...events[0], note: 'x' }] })).accepted).toBe(1);
    } finally {
      client.close();
    }
    const after = await scrape();
    expect(rowsDone.rows - before.rows).toBe(3);
    expect(rowsDone.decoder - before.decoder).toBe(0);
    // rows frames look up the three seller IDs (type names are matched against the configured ones);
    // the two repeats take them from the table (the first frame's split depends on earlier tests' strings)
    expect(rowsDone.table - before.table).toBeGreaterThanOrEqual(2 * 3);
    expect(rowsDone.table + rowsDone.decoded - before.table - before.decoded).toBe(3 * 3);
    expect(after.rows - rowsDone.rows).toBe(0);
    expect(after.decoder - rowsDone.decoder).toBe(1);
    expect(after.note - rowsDone.note).toBe(1);
  });

  it('reads msgpack columnar frames from their bytes, takes a repeated seller table from the previous frame, and counts exactly', async () => {
    const scrape = async () => {
      const read = await counterReader();
      return {
        columnar: read('sellerpulse_ws_msgpack_frames_total', 'reader="columnar"'),
        decoder: read('sellerpulse_ws_msgpack_frames_total', 'reader="decoder"'),
        repeated: read('sellerpulse_ws_seller_tables_repeated_total', ''),
        accepted: read('sellerpulse_events_total', 'outcome="accepted"'),
      };
    };
    const now = Date.now();
    const sellers = ['c-1', 'c-2', 'c-3'];
    // six events per frame, two per seller, values 1..6: each seller gets 2 CLICKs per frame
    const n = 6;
    const index = Uint32Array.from({ length: n }, (_, i) => i % sellers.length);
    const columns = {
      sellerIndex: new Uint8Array(index.buffer), timestamps: new Uint8Array(new Float64Array(n).fill(now).buffer), typeNames: ['CLICK'],
      types: new Uint8Array(n), values: new Uint8Array(Float64Array.from({ length: n }, (_, i) => i + 1).buffer),
    };
    const before = await scrape();
    const client = await StreamClient.open(`${server.wsUrl}?producer=columnar-reader`);
    try {
      for (let seq = 0; seq < 3; seq++) expect((await client.sendUntilTaken({ seq, sellerIds: sellers, ...columns })).accepted).toBe(n);
      // another table (its bytes differ), then the same frame with its columns as arrays: the decoder's path
      expect((await client.sendUntilTaken({ seq: 3, sellerIds: [...sellers].reverse(), ...columns })).accepted).toBe(n);
      const asArrays = { ...columns, timestamps: Array.from({ length: n }, () => now), values: Array.from({ length: n }, (_, i) => i + 1) };
      expect((await client.sendUntilTaken({ seq: 4, sellerIds: sellers, ...asArrays })).accepted).toBe(n);
      // a re-sent frame is acked as a duplicate and not counted again
      expect((await client.send({ seq: 1, sellerIds: sellers, ...columns })).duplicate).toBe(true);
    } finally {
      client.close();
    }
    const after = await scrape();
    // read from their bytes: frames 0-3 and the re-sent one; its table repeats the one before it (frame 4's,
    // read before its array columns sent it to the decoder), as frames 1 and 2 repeat frame 0's
    expect(after.columnar - before.columnar).toBe(5);
    expect(after.decoder - before.decoder).toBe(1);
    expect(after.repeated - before.repeated).toBe(3);
    expect(after.accepted - before.accepted).toBe(5 * n);
    // per seller: 2 events per frame × 5 frames; the reversed table swaps c-1 and c-3 in frame 3
    const sums = { 'c-1': 4 * 5 + 9, 'c-2': 5 * 7, 'c-3': 4 * 9 + 5 };
    for (const sellerId of sellers) {
      const series = await getJson(server.base, `/metrics/${sellerId}/series?type=CLICK&resolution=1m`);
      expect(series.status).toBe(200);
      const buckets = series.body.buckets as { count: number; sum: number }[];
      expect(buckets.reduce((a, b) => a + b.count, 0)).toBe(2 * 5);
      expect(buckets.reduce((a, b) => a + b.sum, 0)).toBe(sums[sellerId as keyof typeof sums]);
    }
  });

  it('counts JSON event bodies read from their bytes and bodies left to JSON.parse, whose answers are the same', async () => {
    const scrape = async () => {
      const read = await counterReader();
      return {
        events: read('sellerpulse_http_json_event_bodies_total', 'reader="events"'),
        parser: read('sellerpulse_http_json_event_bodies_total', 'reader="parser"'),
        note: read('sellerpulse_unknown_fields_dropped_total', ''),
        accepted: read('sellerpulse_events_total', 'outcome="accepted"'),
      };
    };
    const now = Date.now();
    const batch = `[{"sellerId":"j-1","timestamp":${now},"type":"SALE","value":2.5},{"sellerId":"j-1","timestamp":${now},"type":"SALE","value":-3},`
      + `{"sellerId":"j-2","timestamp":${now},"type":"RETURN"}]`;
    const before = await scrape();
    const one = await postJson(server.base, '/events', `{"sellerId":"j-1","timestamp":${now},"type":"VIEW"}`);
    expect(one.status).toBe(202);
    const read = await postJson(server.base, '/events/batch', batch);
    const wrapped = await postJson(server.base, '/events/batch', `{ "events": ${batch} }`);
    const afterRead = await scrape();
    expect(afterRead.events - before.events).toBe(3);
    expect(afterRead.parser - before.parser).toBe(0);
    // the same events with an escape in a seller ID ("j-\u0031" is "j-1"): JSON.parse's path, the same answer
    const parsed = await postJson(server.base, '/events/batch', batch.replace('"j-1"', '"j-\\u0031"'));
    const parsedWrapped = await postJson(server.base, '/events/batch', `{ "events": ${batch.replace('"j-1"', '"j-\\u0031"')} }`);
    expect(read.status).toBe(202);
    expect(read.body).toEqual({ accepted: 1, lateDropped: 0, duplicates: 0, rejected: [
      { index: 1, errors: [{ path: '/1/value', message: expect.any(String) }] },
      { index: 2, errors: [{ path: '/2/type', message: expect.any(String) }] },
    ] });
    expect(parsed.status).toBe(202);
    expect(parsed.body).toEqual(read.body);
    expect(wrapped.body.rejected[0].errors[0].path).toBe('/events/1/value');
    expect(parsedWrapped.body).toEqual(wrapped.body);
    // a field intake drops: JSON.parse's path, which strips and counts it
    const noted = await postJson(server.base, '/events/batch', [{ sellerId: 'j-1', timestamp: now, type: 'SALE', value: 1, note: 'x' }]);
    expect(noted.body.accepted).toBe(1);
    const after = await scrape();
    expect(after.parser - afterRead.parser).toBe(3);
    expect(after.events - afterRead.events).toBe(0);
    expect(after.note - afterRead.note).toBe(1);
    expect(after.accepted - before.accepted).toBe(1 + 1 + 1 + 1 + 1 + 1);
  });
});
