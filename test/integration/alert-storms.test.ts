/**
 * Alert storms (issue 6): an anomaly score oscillating around the threshold for an hour — one
 * evaluation every 10 s, injected clock — yields alerts bounded by the cooldown (at most one per
 * cooldown per seller and type, however the alerts are handled); repeats while one is open are
 * folded into it. The level comes from the table, the type from the context.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { anomalyReport } from '../helpers/anomaly-report.js';

const kHourMs = 3_600_000;
const kStepMs = 10_000;
let clock = Date.UTC(2026, 10, 22, 8);
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ monitor: { enabled: false, intervalMs: 60_000, maxSellersPerSweep: 10, types: ['CLICK'] } }, undefined, () => clock);
});
afterAll(async () => server?.close());

async function oscillate(sellerId: string, resolveEach: boolean): Promise<{ raised: string[]; repeats: number }> {
  const svc = server.handle.alerts;
  const threshold = server.config.alerts.thresholds.enterprise;
  const raised: string[] = [];
  let repeats = 0;
  const start = clock;
  for (let step = 0; clock < start + kHourMs; step++, clock += kStepMs) {
    // flapping: just above, just below, just above …
    const score = step % 2 === 0 ? threshold + 0.01 : threshold - 0.01;
    const a = await svc.consider('default', 'enterprise', sellerId, anomalyReport({ score, deviation: { p: 0.99, dir: 'up' }, windowEnd: clock }), clock);
    if (a === null) continue;
    if (a.createdAt === clock) raised.push(a.id);
    else repeats++;
    if (resolveEach && a.state === 'open') await svc.setState('default', a.id, 'resolved', 'test', clock);
  }
  return { raised, repeats };
}

describe('alert storms', () => {
  it('raises one alert and folds every repeat into it while it stays open', async () => {
    const { raised, repeats } = await oscillate('flapper-open', false);
    expect(raised).toHaveLength(1);
    expect(repeats).toBe(kHourMs / kStepMs / 2 - 1);
    const a = server.handle.alerts.get('default', raised[0])!;
    expect(a.occurrences).toBe(repeats + 1);
    expect(a).toMatchObject({ type: 'potential_spike', level: server.config.alerts.levels.find((l) => a.score >= l.minScore)!.level });
  });

  it('raises at most one alert per cooldown when each is resolved at once', async () => {
    const { raised } = await oscillate('flapper-resolved', true);
    const cooldown = server.config.alerts.cooldownMs;
    expect(raised.length).toBeGreaterThan(1);
    expect(raised.length).toBeLessThanOrEqual(Math.ceil(kHourMs / cooldown));
    const times = raised.map((id) => server.handle.alerts.get('default', id)!.createdAt);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(cooldown);
  });

  it('never raises from insufficient data or below the threshold', async () => {
    const svc = server.handle.alerts;
    expect(await svc.consider('default', 'enterprise', 'thin', anomalyReport({ score: 1, deviation: { p: 1, dir: 'up' }, windowEnd: clock, sufficient: false }), clock)).toBeNull();
    expect(await svc.consider('default', 'basic', 'low', anomalyReport({ score: server.config.alerts.thresholds.basic - 0.001, deviation: { p: 1, dir: 'up' }, windowEnd: clock }), clock)).toBeNull();
  });

  it('takes the type from context: a dominant downward trend is a declining trend, a dominant cycle a pattern shift', async () => {
    const svc = server.handle.alerts;
    const down = await svc.consider('default', 'enterprise', 'ctx-1', anomalyReport({ score: 0.97, trend: { p: 0.99, z: -6 }, windowEnd: clock }), clock);
    const cycle = await svc.consider('default', 'enterprise', 'ctx-2', anomalyReport({ score: 0.97, periodic: { p: 0.99, period: 5 }, windowEnd: clock }), clock);
    expect(down?.type).toBe('declining_trend');
    expect(cycle?.type).toBe('pattern_shift');
    expect(down?.dataSufficiency.status).toBe('sufficient');
  });
});
