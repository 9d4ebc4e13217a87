/**
 * Behaviour fingerprints over HTTP (issue 7): a tenant's sellers fingerprinted together from their
 * CLICK rings — a planted bot cluster (same click period) is grouped and classed bot_cluster,
 * organic sellers are normal; the class shows in anomaly answers and alert context; and the pricing
 * tier recommendation explains itself from the seller's signals.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, postJson, getJson, type TestServer } from '../helpers/server.js';
import { mulberry32 } from '../../dist/bench/prng.js';

const kSeconds = 2 * 3600;
const kBots = 4;
const kNormals = 12;
const kBotPeriod = 9;
const kBatch = 5_000;

let server: TestServer;

function events(now: number): Record<string, unknown>[] {
  const rand = mulberry32(99);
  const out: Record<string, unknown>[] = [];
  const start = Math.floor(now / 1000) * 1000 - kSeconds * 1000;
  for (let b = 0; b < kBots; b++) {
    const phase = Math.floor(rand() * kBotPeriod);
    for (let s = phase; s < kSeconds; s += kBotPeriod) out.push({ sellerId: `bot-${b}`, timestamp: start + s * 1000 + Math.floor(rand() * 300), type: 'CLICK' });
  }
  for (let n = 0; n < kNormals; n++) {
    const rate = 0.05 + rand() * 0.4;
    for (let s = 0; s < kSeconds; s++) {
      if (rand() < rate) out.push({ sellerId: `shop-${n}`, timestamp: start + s * 1000 + Math.floor(rand() * 1000), type: 'CLICK' });
    }
  }
  return out;
}

beforeAll(async () => {
  server = await startTestServer({ monitor: { enabled: false, intervalMs: 60_000, maxSellersPerSweep: 100, types: ['CLICK'] } });
  const all = events(Date.now());
  for (let i = 0; i < all.length; i += kBatch) expect((await postJson(server.base, '/events/batch', all.slice(i, i + kBatch))).status).toBe(202);
  await server.handle.engine.drain();
});
afterAll(async () => server?.close());

describe('fingerprints', () => {
  it('groups the bot sellers into one cluster and keeps organic sellers normal', async () => {
    const bots = await Promise.all(Array.from({ length: kBots }, (_, b) => getJson(server.base, `/metrics/bot-${b}/fingerprint`)));
    for (const r of bots) {
      expect(r.status).toBe(200);
      expect(r.body.classification).toBe('bot_cluster');
      expect(r.body.cluster.members.sort()).toEqual(Array.from({ length: kBots }, (_, b) => `bot-${b}`));
      expect(r.body.reasons.length).toBeGreaterThan(0);
      expect(r.body.signature).toHaveLength(8);
    }
    expect(new Set(bots.map((r) => r.body.cluster.id)).size).toBe(1);
    const normals = await Promise.all(Array.from({ length: kNormals }, (_, n) => getJson(server.base, `/metrics/shop-${n}/fingerprint`)));
    const normalShare = normals.filter((r) => r.body.classification === 'normal').length / kNormals;
    expect(normalShare).toBeGreaterThanOrEqual(0.9);
    expect(bots[0].body.population.sellers).toBe(kBots + kNormals);
    // one computation served every query (the population is cached per tenant)
    expect(server.handle.fingerprints.computations).toBe(1);
    expect((await getJson(server.base, '/metrics/nobody/fingerprint')).status).toBe(404);
  });

  it('shows the fingerprint in anomaly answers once computed', async () => {
    const a = await getJson(server.base, '/metrics/bot-0/anomalies?type=CLICK');
    expect(a.body.fingerprint).toMatchObject({ classification: 'bot_cluster', clusterId: expect.any(Number) });
  });

  it('recommends a pricing tier with a reason per signal and that tier\'s defaults', async () => {
    const r = await getJson(server.base, '/metrics/shop-0/rollups?granularity=hourly');
    expect(r.status).toBe(200);
    const p = await getJson(server.base, '/pricing/bot-0/tier');
    expect(p.status).toBe(200);
    expect(p.body.currentTier).toBe('enterprise');
    expect(['basic', 'premium', 'enterprise']).toContain(p.body.recommendedTier);
    expect(p.body.signals.map((s: { signal: string }) => s.signal)).toEqual(['alertsPerMonth', 'highSeverityShare', 'predictionError', 'eventsPerHour']);
    for (const s of p.body.signals) expect(s.reason).toMatch(s.value === null ? /not measurable/ : /→/);
    const cfg = server.config;
    const t = p.body.recommendedTier as 'basic' | 'premium' | 'enterprise';
    expect(p.body.defaults).toMatchObject({ alertThreshold: cfg.alerts.thresholds[t], retentionDays: cfg.retention.periodsDays[t], embedWatermark: cfg.pricing.tierDefaults[t].embedWatermark });
    // the eventsPerHour signal alone asks for at least the tier its row names
    const rate = p.body.signals.find((s: { signal: string }) => s.signal === 'eventsPerHour');
    expect(rate.value).toBeGreaterThan(0);
    expect((await getJson(server.base, '/pricing/nobody/tier')).status).toBe(404);
  });
});
