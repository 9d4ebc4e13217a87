/**
 * Weekly reports (issue 7): health summary, anomaly frequency and severity, trend and predictions,
 * behaviour, insight summaries and lifecycle counts, recommendations and the config snapshot —
 * assembled on the worker pool, stored, and made by the schedule for every seller lacking one.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, postJson, getJson, authHeaders, type TestServer } from '../helpers/server.js';
import { mulberry32 } from '../../dist/bench/prng.js';

let server: TestServer;
const kSeconds = 960;

beforeAll(async () => {
  server = await startTestServer({ monitor: { enabled: false, intervalMs: 60_000, maxSellersPerSweep: 100, types: ['CLICK'] }, reports: { weeklyType: 'CLICK' } });
  const rand = mulberry32(5);
  const now = Math.floor(Date.now() / 1000) * 1000;
  const events: Record<string, unknown>[] = [];
  for (let s = 0; s < kSeconds; s++) {
    let n = 3 + Math.floor(rand() * 5);
    if (s >= kSeconds - 60 && s % 5 === 0) n += 40;
    for (let i = 0; i < n; i++) events.push({ sellerId: 'weekly-shop', timestamp: now - (kSeconds - s) * 1000 + Math.floor(rand() * 1000), type: 'CLICK' });
    if (s % 60 === 0) events.push({ sellerId: 'quiet-shop', timestamp: now - (kSeconds - s) * 1000, type: 'CLICK' });
  }
  for (let i = 0; i < events.length; i += 4000) expect((await postJson(server.base, '/events/batch', events.slice(i, i + 4000))).status).toBe(202);
  await server.handle.engine.drain();
  await server.handle.monitor.runOnce();
});
afterAll(async () => server?.close());

describe('weekly reports', () => {
  it('reports the week: health, anomalies by severity, predictions, insights, recommendations, config', async () => {
    const r = await getJson(server.base, `/reports/weekly-shop/weekly?week=${Date.now()}`);
    expect(r.status).toBe(200);
    const w = r.body;
    expect(w.week.end - w.week.start).toBe(server.config.rollup.granularities.weekly);
    expect(w.week.start).toBeLessThanOrEqual(Date.now());
    expect(w.health).toMatchObject({ status: 'sufficient', score: expect.any(Number), dataSufficiency: { status: 'sufficient' } });
    const alerts = (await getJson(server.base, '/alerts?sellerId=weekly-shop')).body.alerts;
    expect(alerts.length).toBeGreaterThan(0);
    expect(w.anomalies.alerts).toBe(alerts.length);
    expect(Object.values(w.anomalies.bySeverity as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(alerts.length);
    expect(w.anomalies.currentScore).toBeGreaterThan(0.9);
    expect(w.predictions.values).toHaveLength(server.config.reports.forecastHorizon);
    expect(w.predictions.lower.every((v: number, i: number) => v <= w.predictions.values[i])).toBe(true);
    const insights = (await getJson(server.base, '/insights/weekly-shop/lifecycle')).body.insights;
    expect(w.insights.lifecycle.generated).toBe(insights.filter((i: { state: string }) => i.state === 'generated').length);
    expect(w.insights.summaries.length).toBe(insights.length);
    expect(w.recommendations.length).toBeGreaterThan(0);
    expect(w.configSnapshot.version).toBe(server.handle.engine.configVersion);
    expect(w.configSnapshot.config.reports.weeklyType).toBe('CLICK');
    expect(w.trend.comparison.granularity).toBe('weekly');
    // stored: asking again answers the same report
    expect((await getJson(server.base, `/reports/weekly-shop/weekly?week=${Date.now()}`)).body.generatedAt).toBe(w.generatedAt);
  });

  it('exports the weekly report as a PDF whose text holds its figures', async () => {
    const res = await fetch(server.base + '/export/pdf', { method: 'POST', headers: { 'content-type': 'application/json', ...authHeaders() }, body: JSON.stringify({ kind: 'weekly', sellerId: 'weekly-shop' }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'weekly-pdf-'));
    writeFileSync(join(dir, 'w.pdf'), pdf);
    const text = execFileSync('pdftotext', [join(dir, 'w.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('Weekly report');
    expect(text).toContain('weekly-shop');
    expect(text).toContain('Recommendations');
    expect(text).toContain('Configuration snapshot');
  });

  it('makes the missing reports of the last complete week on schedule', async () => {
    // weekly-shop's last-week report was made (and stored) by the PDF export above: only quiet-shop's is missing
    const made = await server.handle.weekly.runSchedule();
    expect(made).toBe(1);
    expect(await server.handle.weekly.runSchedule()).toBe(0);
    const last = server.handle.weekly.lastCompleteWeek(Date.now());
    const stored = [...server.handle.store.weeklyReports.getKeys()].filter((k) => (k as unknown[])[2] === last.start);
    expect(stored.map((k) => (k as unknown[])[1]).sort()).toEqual(['quiet-shop', 'weekly-shop']);
    expect((await getJson(server.base, '/reports/nobody/weekly')).status).toBe(404);
  });

  it('yields to a busy main thread: the pause after a report lengthens while the event loop is above reports.busyUtilization', async () => {
    const last = server.handle.weekly.lastCompleteWeek(Date.now());
    const forget = async () => {
      for (const seller of ['quiet-shop', 'weekly-shop']) await server.handle.store.weeklyReports.remove(['default', seller, last.start]);
    };
    const patch = async (reports: Record<string, number>) => {
      const r = await postJson(server.base, '/config', { patch: { reports }, reason: 'weekly report pacing under test' });
      expect(r.status).toBe(201);
    };
    // never busy: no lengthened pause
    await forget();
    await patch({ busyUtilization: 1, busyPauseMs: 400, pauseMs: 0 });
    const calm = server.handle.weekly.yielded;
    expect(await server.handle.weekly.runSchedule()).toBe(2);
    expect(server.handle.weekly.yielded).toBe(calm);
    // always busy (threshold 0): every pause is busyPauseMs
    await forget();
    await patch({ busyUtilization: 0 });
    const started = performance.now();
    expect(await server.handle.weekly.runSchedule()).toBe(2);
    expect(server.handle.weekly.yielded).toBe(calm + 2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * 400);
  });
});

