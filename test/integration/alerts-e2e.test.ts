/**
 * Insights and alerts end to end (issue 6): a seller with steady random clicks and then a bot
 * burst (a click volley every few seconds) — ingested over HTTP into the real server — produces an
 * insight and an alert of the configured level and type with its data sufficiency, announced on
 * the tenant's live feed; ack and resolve change the alert's state. A quiet seller produces neither.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, postJson, getJson, authHeaders, type TestServer } from '../helpers/server.js';
import { mulberry32 } from '../../dist/bench/prng.js';

const kHistorySeconds = 900;
const kBurstSeconds = 60;
const kVolleyEverySeconds = 5;
const kVolleyClicks = 40;
const kBatch = 2000;

let server: TestServer;
const feed: { event: string; data: Record<string, any> }[] = [];
let feedSocket: WebSocket;

/** Clicks per second: 3–7 at random for the history (a hot seller: analysed at 1 s), then (bot) volleys every few seconds. */
function clicks(sellerId: string, now: number, burst: boolean, seed: number): Record<string, unknown>[] {
  const rand = mulberry32(seed);
  const out: Record<string, unknown>[] = [];
  const start = now - (kHistorySeconds + kBurstSeconds) * 1000;
  for (let s = 0; s < kHistorySeconds + kBurstSeconds; s++) {
    const t = start + s * 1000;
    let n = 3 + Math.floor(rand() * 5);
    if (burst && s >= kHistorySeconds && (s - kHistorySeconds) % kVolleyEverySeconds === 0) n += kVolleyClicks;
    for (let i = 0; i < n; i++) out.push({ sellerId, timestamp: t + Math.floor(rand() * 1000), type: 'CLICK' });
  }
  return out;
}

async function ingest(events: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < events.length; i += kBatch) {
    const r = await postJson(server.base, '/events/batch', events.slice(i, i + kBatch));
    expect(r.status).toBe(202);
  }
}

beforeAll(async () => {
  server = await startTestServer({ monitor: { enabled: false, intervalMs: 60_000, maxSellersPerSweep: 100, types: ['CLICK'] } });
  feedSocket = new WebSocket(server.base.replace('http', 'ws') + '/feed', { headers: authHeaders() });
  feedSocket.on('message', (m) => feed.push(JSON.parse(m.toString())));
  await new Promise((r) => feedSocket.once('open', r));
  // whole seconds, so the newest (dropped, still filling) bucket is the one after the data
  const now = Math.floor(Date.now() / 1000) * 1000;
  await ingest(clicks('bot-shop', now, true, 7));
  await ingest(clicks('calm-shop', now, false, 8));
  await server.handle.engine.drain();
});
afterAll(async () => {
  feedSocket?.close();
  await server?.close();
});

describe('insights and alerts end to end', () => {
  it('turns a bot burst into an insight and an alert with level, type and sufficiency', async () => {
    const sweep = await server.handle.monitor.runOnce();
    expect(sweep.evaluated).toBe(2);
    const alerts = (await getJson(server.base, '/alerts')).body.alerts;
    expect(alerts).toHaveLength(1);
    const a = alerts[0];
    const cfg = server.config.alerts;
    expect(a).toMatchObject({ sellerId: 'bot-shop', eventType: 'CLICK', state: 'open', tier: 'enterprise', threshold: cfg.thresholds.enterprise });
    expect(a.score).toBeGreaterThanOrEqual(cfg.thresholds.enterprise);
    expect(a.level).toBe(cfg.levels.find((l: { minScore: number }) => a.score >= l.minScore)!.level);
    expect(a.type).toBe('potential_spike');
    expect(a.dataSufficiency).toMatchObject({ status: 'sufficient' });
    expect(a.dataSufficiency.available).toBeGreaterThanOrEqual(a.dataSufficiency.required);
    expect(a.timeWindow.bucketMs).toBe(1000);
    expect(Object.values(a.attribution as Record<string, number>).reduce((x, y) => x + y, 0)).toBe(100);

    const life = (await getJson(server.base, '/insights/bot-shop/lifecycle')).body;
    expect(life.insights.length).toBeGreaterThanOrEqual(1);
    const kinds = life.insights.map((i: { kind: string }) => i.kind);
    expect(kinds).toEqual(expect.arrayContaining(['spike', 'automated_traffic']));
    const bot = life.insights.find((i: { kind: string }) => i.kind === 'automated_traffic');
    expect(bot.summary).toMatch(/volleys repeating every 5(\.\d)? s/);
    expect(bot.evidence.periodBuckets).toBeCloseTo(kVolleyEverySeconds, 0);
    for (const i of life.insights) {
      expect(i.state).toBe('generated');
      expect(i.summary).toMatch(/Window .* data sufficient .* confidence \d+ %/);
      expect(i.transitions).toEqual([expect.objectContaining({ from: null, to: 'generated' })]);
    }
    expect((await getJson(server.base, '/insights/calm-shop/lifecycle')).body.insights).toEqual([]);

    await new Promise((r) => setTimeout(r, 100));
    expect(feed.some((f) => f.event === 'alert.created' && f.data.id === a.id)).toBe(true);
    expect(feed.some((f) => f.event === 'insight.transition' && f.data.insight.sellerId === 'bot-shop')).toBe(true);
  });

  it('folds a repeat into the open alert instead of raising another', async () => {
    const before = (await getJson(server.base, '/alerts')).body.alerts[0];
    // the cache answers the same report: the trigger is seen again, and deduplicated
    await server.handle.monitor.runOnce();
    const alerts = (await getJson(server.base, '/alerts')).body.alerts;
    expect(alerts).toHaveLength(1);
    expect(alerts[0].occurrences).toBe(before.occurrences + 1);
  });

  it('acknowledges and resolves, with history, filters and a 404 for unknown ids', async () => {
    const a = (await getJson(server.base, '/alerts?state=open')).body.alerts[0];
    const acked = await postJson(server.base, `/alerts/${a.id}/ack`, {});
    expect(acked.body.state).toBe('acknowledged');
    expect((await getJson(server.base, '/alerts?state=open')).body.alerts).toEqual([]);
    const bulk = await postJson(server.base, '/alerts/resolve', { ids: [a.id, 'a_missing'] });
    expect(bulk.body.results).toEqual([{ id: a.id, state: 'resolved' }, { id: 'a_missing', state: 'not_found' }]);
    const resolved = (await getJson(server.base, `/alerts?state=resolved&sellerId=bot-shop`)).body.alerts[0];
    expect(resolved.history.map((h: { state: string }) => h.state)).toEqual(['open', 'acknowledged', 'resolved']);
    expect((await postJson(server.base, '/alerts/a_missing/ack', {})).status).toBe(404);
    await new Promise((r) => setTimeout(r, 100));
    expect(feed.filter((f) => f.data.id === a.id).map((f) => f.event)).toEqual(['alert.created', 'alert.acknowledged', 'alert.resolved']);
    // resolved, but within the cooldown: the same trigger raises nothing new
    await server.handle.monitor.runOnce();
    expect((await getJson(server.base, '/alerts')).body.alerts).toHaveLength(1);
  });
});
