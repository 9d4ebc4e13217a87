/**
 * Acceptance (issue: analytics): every analytic response carries the DESIGN §4 fields; results are
 * cached with lastComputedAt and recomputed only when queried (counted, logged); concurrent queries
 * of a stale entry compute once; activity tiers choose the resolution; bad input gets a problem.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, postJson, getJson, type TestServer, authHeaders } from '../helpers/server.js';

const kMinute = 60_000;

describe('analytics endpoints', () => {
  let server: TestServer;
  const now = Date.now();

  beforeAll(async () => {
    server = await startTestServer();
    const events = [];
    // warm seller: ~4 sales a minute for 20 hours with a daily-ish wave
    for (let m = 1; m <= 1200; m++) {
      const n = 3 + Math.round(2 * Math.sin((2 * Math.PI * m) / 240));
      for (let k = 0; k < n; k++) events.push({ sellerId: 'an-warm', timestamp: now - m * kMinute + k * 7000, type: 'SALE', value: 20 + ((m * 7 + k) % 11) });
    }
    // hot seller: 2 clicks a second for the last 30 minutes
    for (let s = 1; s <= 1800; s++) for (let k = 0; k < 2; k++) events.push({ sellerId: 'an-hot', timestamp: now - s * 1000 + k * 300, type: 'CLICK' });
    // quiet seller: a handful of views
    for (let i = 1; i <= 5; i++) events.push({ sellerId: 'an-quiet', timestamp: now - i * 3_600_000, type: 'VIEW' });
    for (let i = 0; i < events.length; i += 2000) expect((await postJson(server.base, '/events/batch', events.slice(i, i + 2000))).status).toBe(202);
  });
  afterAll(async () => server?.close());

  const common = (b: any) => {
    expect(b.timeWindow).toEqual({ startTimestamp: expect.any(Number), endTimestamp: expect.any(Number), windowSize: expect.any(Number), bucketMs: expect.any(Number) });
    expect(b.timeWindow.endTimestamp - b.timeWindow.startTimestamp).toBe(b.timeWindow.windowSize * b.timeWindow.bucketMs);
    expect(['sufficient', 'insufficient']).toContain(b.dataSufficiency.status);
    expect(b.dataSufficiency).toEqual({ status: b.dataSufficiency.status, required: expect.any(Number), available: expect.any(Number) });
    expect(typeof b.confidenceMessage).toBe('string');
    expect(b.confidenceMessage.length).toBeGreaterThan(20);
    expect(b.reproducibilityHash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.configVersion).toBe(1);
    expect(typeof b.lastComputedAt).toBe('number');
  };

  it('anomalies: score in [0,1], attribution sums to 100, all DESIGN fields', async () => {
    const r = await getJson(server.base, '/metrics/an-warm/anomalies?type=SALE');
    expect(r.status).toBe(200);
    common(r.body);
    expect(r.body.dataSufficiency.status).toBe('sufficient');
    expect(r.body.anomalyScore).toBeGreaterThanOrEqual(0);
    expect(r.body.anomalyScore).toBeLessThanOrEqual(1);
    const a = r.body.attribution;
    expect(Object.keys(a).sort()).toEqual(['complexity', 'deviation', 'periodic', 'trend']);
    expect(a.complexity + a.deviation + a.periodic + a.trend).toBe(100);
    expect(r.body.metric).toBe('sum');
  });

  it('predictions: values with timestamps after historicalCutoff and ± bands', async () => {
    const r = await getJson(server.base, '/metrics/an-warm/predictions?type=SALE&horizon=30');
    expect(r.status).toBe(200);
    common(r.body);
    expect(r.body.historicalCutoff).toBe(r.body.timeWindow.endTimestamp);
    expect(r.body.predictions).toHaveLength(30);
    r.body.predictions.forEach((p: any, j: number) => {
      expect(p.timestamp).toBe(r.body.historicalCutoff + j * r.body.timeWindow.bucketMs);
      expect(p.lower).toBeLessThanOrEqual(p.value);
      expect(p.upper).toBeGreaterThanOrEqual(p.value);
    });
    const lean = await postJson(server.base, '/sell/prediction', { sellerId: 'an-warm', predictionHorizon: 5, includeConfidenceBands: false });
    expect(lean.status).toBe(200);
    common(lean.body);
    expect(lean.body.predictions).toHaveLength(5);
    expect(lean.body.predictions[0].lower).toBeUndefined();
  });

  it('health: 0–100 with its breakdown', async () => {
    const r = await getJson(server.base, '/metrics/an-warm/health?type=SALE');
    common(r.body);
    expect(r.body.healthScore).toBeGreaterThanOrEqual(0);
    expect(r.body.healthScore).toBeLessThanOrEqual(100);
    expect(Object.keys(r.body.breakdown).sort()).toEqual(['anomalyFrequency', 'dataConsistency', 'predictiveRisk', 'volatility']);
  });

  it('POST /sell/anomaly honours timeRange and includeAttribution', async () => {
    const from = now - 10 * 3_600_000;
    const to = now - 2 * 3_600_000;
    const r = await postJson(server.base, '/sell/anomaly', { sellerId: 'an-warm', timeRange: { from, to }, includeAttribution: false, resolution: '1m' });
    expect(r.status).toBe(200);
    common(r.body);
    expect(r.body.timeWindow.startTimestamp).toBeGreaterThanOrEqual(from);
    expect(r.body.timeWindow.endTimestamp).toBeLessThanOrEqual(to);
    expect(r.body.timeWindow.windowSize).toBeGreaterThan(400);
    expect(r.body.attribution).toBeUndefined();
    const bad = await postJson(server.base, '/sell/anomaly', { sellerId: 'an-warm', timeRange: { from: to, to: from } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('/timeRange');
  });

  it('says plainly when data is insufficient', async () => {
    const r = await getJson(server.base, '/metrics/an-quiet/anomalies?type=VIEW&resolution=1m');
    common(r.body);
    expect(r.body.dataSufficiency.status).toBe('insufficient');
    expect(r.body.dataSufficiency.available).toBeLessThan(r.body.dataSufficiency.required);
    expect(r.body.anomalyScore).toBe(0);
    expect(r.body.confidenceMessage).toMatch(/[Oo]nly|not enough|insufficient/);
  });

  it('smart sampling: activity tiers choose the resolution', async () => {
    expect((await getJson(server.base, '/metrics/an-hot/anomalies?type=CLICK')).body).toMatchObject({ tier: { name: 'hot' }, resolution: '1s' });
    expect((await getJson(server.base, '/metrics/an-warm/anomalies?type=SALE')).body).toMatchObject({ tier: { name: 'warm' }, resolution: '1m' });
    expect((await getJson(server.base, '/metrics/an-quiet/anomalies?type=VIEW')).body).toMatchObject({ tier: { name: 'cold' }, resolution: '1h' });
  });

  it('answers cache hits shaped per request: the same body again and again, attribution only where asked for', async () => {
    const get = () => getJson(server.base, '/metrics/an-warm/anomalies?type=SALE');
    await get();
    const a = await get();
    const b = await get();
    expect(a.body.cache.hit).toBe(true);
    expect(b.body).toEqual(a.body);
    expect(Object.keys(a.body.attribution ?? {}).length).toBeGreaterThan(0);
    const post = await postJson(server.base, '/sell/anomaly', { sellerId: 'an-warm', type: 'SALE', includeAttribution: false });
    expect(post.body.cache.hit).toBe(true);
    expect(post.body.lastComputedAt).toBe(a.body.lastComputedAt);
    expect(post.body.attribution).toBeUndefined();
    expect(post.body.anomalyScore).toBe(a.body.anomalyScore);
    expect((await get()).body).toEqual(a.body);
  });

  it('caches with lastComputedAt, computes once for concurrent queries, counts every recomputation', async () => {
    const cache = server.handle.engine.results;
    const path = '/metrics/an-warm/health?type=SALE&resolution=1h';
    const missesBefore = cache.misses;
    const all = await Promise.all(Array.from({ length: 8 }, () => getJson(server.base, path)));
    expect(cache.misses - missesBefore).toBe(1);
    expect(new Set(all.map((r) => r.body.lastComputedAt)).size).toBe(1);
    const again = await getJson(server.base, path);
    expect(again.body.cache.hit).toBe(true);
    expect(again.body.lastComputedAt).toBe(all[0].body.lastComputedAt);
    const metrics = await (await fetch(server.base + '/metrics', { headers: authHeaders() })).text();
    expect(metrics).toMatch(/sellerpulse_recomputations_total\{kind="health",reason="miss"\} \d+/);
    expect(metrics).toMatch(/sellerpulse_result_cache_hit_ratio 0\.\d+/);
  });

  it('answers bad queries with problems and unknown sellers with 404', async () => {
    expect((await getJson(server.base, '/metrics/nobody/anomalies')).status).toBe(404);
    const badType = await getJson(server.base, '/metrics/an-warm/anomalies?type=NOPE');
    expect(badType.status).toBe(400);
    expect(badType.body.errors[0].path).toBe('type');
    expect((await getJson(server.base, '/metrics/an-warm/predictions?horizon=0')).status).toBe(400);
    expect((await getJson(server.base, '/metrics/an-warm/predictions?horizon=999999')).status).toBe(400);
    expect((await getJson(server.base, '/metrics/an-warm/anomalies?resolution=5s')).status).toBe(400);
    expect((await getJson(server.base, '/metrics/an-warm/anomalies?bogus=1')).status).toBe(400);
    expect((await postJson(server.base, '/sell/prediction', { sellerId: 'an-warm' })).body.errors[0].path).toBe('/predictionHorizon');
  });
});
