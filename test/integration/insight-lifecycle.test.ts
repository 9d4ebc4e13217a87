/**
 * The insight lifecycle (issue 6), every transition walked with an injected clock: Generated →
 * Confirmed by re-observation in later data and by a user; → Superseded by a newer insight of the
 * same kind that differs; → Expired past the kind's TTL and when a user rejects it; no transition
 * out of a final state. Listed through GET /insights/:seller/lifecycle (state filter, pagination).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, postJson, getJson, type TestServer } from '../helpers/server.js';
import { anomalyReport } from '../helpers/anomaly-report.js';

const kT0 = Date.UTC(2026, 10, 22, 12);
let clock = kT0;
let server: TestServer;
const tenant = 'default';
const ttlOf = (kind: string) => server.config.insights.kinds.find((k) => k.kind === kind)!.ttlMs;

beforeAll(async () => {
  server = await startTestServer({ monitor: { enabled: false, intervalMs: 60_000, maxSellersPerSweep: 10, types: ['CLICK'] } }, undefined, () => clock);
});
afterAll(async () => server?.close());

const observe = (sellerId: string, spec: Parameters<typeof anomalyReport>[0]) => server.handle.insights.observe(tenant, sellerId, anomalyReport(spec), clock);
const life = async (sellerId: string, query = '') => (await getJson(server.base, `/insights/${sellerId}/lifecycle${query}`)).body;

describe('insight lifecycle', () => {
  it('Generated → Confirmed when re-observed in later data (not in the same window)', async () => {
    const [made] = await observe('s-confirm', { score: 0.97, deviation: { p: 0.99, dir: 'up' }, windowEnd: clock });
    expect(made).toMatchObject({ kind: 'spike', state: 'generated' });
    clock += 1_000;
    expect(await observe('s-confirm', { score: 0.97, deviation: { p: 0.99, dir: 'up' }, windowEnd: kT0 })).toEqual([]);
    clock += 60_000;
    const [again] = await observe('s-confirm', { score: 0.98, deviation: { p: 0.99, dir: 'up' }, windowEnd: clock });
    expect(again).toMatchObject({ id: made.id, state: 'confirmed', observations: 2 });
    expect(again.transitions.map((t: { to: string }) => t.to)).toEqual(['generated', 'confirmed']);
    expect(again.transitions[1]).toMatchObject({ from: 'generated', at: clock, cause: expect.stringMatching(/re-observed in later data/) });
  });

  it('Confirmed → Expired once not re-observed within the kind\'s TTL', async () => {
    clock += ttlOf('spike') - 1;
    await server.handle.insights.expireDue(clock);
    expect((await life('s-confirm')).insights[0].state).toBe('confirmed');
    clock += 2;
    const expired = await server.handle.insights.expireDue(clock);
    expect(expired.map((i) => i.sellerId)).toContain('s-confirm');
    const [i] = (await life('s-confirm')).insights;
    expect(i.state).toBe('expired');
    expect(i.transitions[2]).toMatchObject({ from: 'confirmed', to: 'expired', at: clock, cause: expect.stringMatching(/TTL/) });
  });

  it('Generated → Superseded by a newer insight of the same kind that differs', async () => {
    const [first] = await observe('s-super', { score: 0.99, periodic: { p: 0.99, period: 5 }, deviation: { p: 0.95, dir: 'up' }, windowEnd: clock });
    expect(first.kind === 'automated_traffic' || first.kind === 'spike').toBe(true);
    clock += 30_000;
    const changed = await observe('s-super', { score: 0.99, periodic: { p: 0.99, period: 12 }, deviation: { p: 0.95, dir: 'up' }, windowEnd: clock });
    const bots = (await life('s-super')).insights.filter((i: { kind: string }) => i.kind === 'automated_traffic');
    expect(bots).toHaveLength(2);
    const [newer, older] = bots;
    expect(newer).toMatchObject({ state: 'generated', evidence: { periodBuckets: 12 } });
    expect(older.state).toBe('superseded');
    expect(older.transitions[1]).toMatchObject({ from: 'generated', to: 'superseded', cause: expect.stringContaining(newer.id) });
    expect(changed.map((i) => i.state)).toEqual(expect.arrayContaining(['superseded', 'generated']));
  });

  it('Generated → Confirmed by a user; Generated → Expired when a user rejects; final states refuse feedback', async () => {
    const [a] = await observe('s-user', { score: 0.96, trend: { p: 0.97, z: -5 }, windowEnd: clock });
    const [b] = await observe('s-user2', { score: 0.96, complexity: { p: 0.97, z: 6 }, windowEnd: clock });
    expect(a.kind).toBe('declining_trend');
    expect(b.kind).toBe('irregular_pattern');
    clock += 5_000;
    const confirmed = await postJson(server.base, `/insights/${a.id}/feedback`, { verdict: 'confirm', comment: 'yes, price change' });
    expect(confirmed.body).toMatchObject({ state: 'confirmed', feedback: [{ verdict: 'confirm', comment: 'yes, price change', at: clock }] });
    expect(confirmed.body.transitions[1]).toMatchObject({ cause: 'confirmed by a user', at: clock });
    const rejected = await postJson(server.base, `/insights/${b.id}/feedback`, { verdict: 'reject' });
    expect(rejected.body.state).toBe('expired');
    expect(rejected.body.transitions[1].cause).toBe('rejected by a user');
    expect((await postJson(server.base, `/insights/${b.id}/feedback`, { verdict: 'confirm' })).status).toBe(409);
    expect((await postJson(server.base, '/insights/i_nope/feedback', { verdict: 'confirm' })).status).toBe(404);
    expect((await postJson(server.base, `/insights/${a.id}/feedback`, { verdict: 'maybe' })).status).toBe(400);
  });

  it('produces nothing from insufficient data', async () => {
    expect(await observe('s-thin', { score: 0.99, deviation: { p: 0.99, dir: 'up' }, windowEnd: clock, sufficient: false })).toEqual([]);
  });

  it('filters by state and paginates newest first', async () => {
    for (let i = 0; i < 5; i++) {
      clock += 1_000;
      await observe('s-page', { score: 0.99, periodic: { p: 0.99, period: 4 + i * 6 }, deviation: { p: 0.99, dir: 'up' }, windowEnd: clock });
    }
    const all = (await life('s-page', '?limit=100')).insights;
    const first = await life('s-page', '?limit=3');
    expect(first.insights).toHaveLength(3);
    const second = await life('s-page', `?limit=3&cursor=${first.nextCursor}`);
    expect([...first.insights, ...second.insights].map((i: { id: string }) => i.id)).toEqual(all.map((i: { id: string }) => i.id));
    expect(all.map((i: { createdAt: number }) => i.createdAt)).toEqual([...all.map((i: { createdAt: number }) => i.createdAt)].sort((x, y) => y - x));
    const superseded = (await life('s-page', '?state=superseded')).insights;
    expect(superseded).toHaveLength(4);
    expect(superseded.every((i: { state: string }) => i.state === 'superseded')).toBe(true);
    expect((await getJson(server.base, '/insights/s-page/lifecycle?state=bogus')).status).toBe(400);
  });
});
