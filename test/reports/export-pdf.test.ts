/**
 * Acceptance (issue 7, PDF): POST /export/pdf answers a real PDF of each report kind for a seller
 * whose events came in over HTTP: pdftoppm renders every page, pdfinfo's page count matches the
 * footers, and pdftotext finds the seller, the figures the analytics endpoints answer (formatted
 * as the report formats them) and the configuration snapshot. Then the errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startTestServer, getJson, postJson, kTestAdminKey, type TestServer } from '../helpers/server.js';
import { anomalyReport } from '../helpers/anomaly-report.js';
import { formatHealth, formatScore, formatTime, formatValue } from '../../dist/engine/reports/report-format.js';
import { inspectPdf, requirePoppler, type PdfFacts } from './support/pdf-tools.js';
import { postExport, seedSeller } from './support/seed.js';

const kSeller = 'rpt-shop-7';

describe('POST /export/pdf', () => {
  let server: TestServer;
  const now = Date.now();

  beforeAll(async () => {
    await requirePoppler();
    server = await startTestServer({ monitor: { enabled: false } });
    await seedSeller(server.base, kSeller, now);
    // two insights through the real service (the monitor is off so nothing else makes them)
    await server.handle.insights.observe('default', kSeller, anomalyReport({ score: 0.97, deviation: { p: 0.99, dir: 'up' }, windowEnd: now - 10 * 60_000, type: 'SALE' }), now);
    await server.handle.insights.observe('default', kSeller, anomalyReport({ score: 0.96, trend: { p: 0.97, z: -5 }, windowEnd: now, type: 'SALE' }), now);
  });
  afterAll(async () => server?.close());

  async function exportKind(body: Record<string, unknown>): Promise<PdfFacts> {
    const r = await postExport(server.base, '/export/pdf', { sellerId: kSeller, ...body }, kTestAdminKey);
    expect(r.status, JSON.stringify(r.problem)).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="sellerpulse-${body.kind}-${kSeller}-\\d{8}-\\d{4}\\.pdf"$`));
    expect(Buffer.from(r.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    if (process.env.REPORT_DUMP_DIR) writeFileSync(join(process.env.REPORT_DUMP_DIR, `${body.kind}.pdf`), r.bytes);
    const facts = await inspectPdf(r.bytes);
    expect(facts.pages).toBeGreaterThanOrEqual(2);
    expect(facts.rendered).toBe(facts.pages);
    expect(facts.text).toContain(`Page ${facts.pages} of ${facts.pages}`);
    expect(facts.text).toContain(kSeller);
    expect(facts.text).toContain('Configuration snapshot');
    expect(facts.text).toMatch(/"export": \{/);
    return facts;
  }

  it('anomaly: the score and attribution the endpoint answers', async () => {
    const a = (await getJson(server.base, `/metrics/${kSeller}/anomalies?type=SALE`)).body;
    expect(a.dataSufficiency.status).toBe('sufficient');
    const facts = await exportKind({ kind: 'anomaly', type: 'SALE' });
    expect(facts.text).toContain(`Anomaly report: ${kSeller}`);
    expect(facts.text).toContain(`Anomaly score ${formatScore(a.anomalyScore)}`);
    expect(facts.text).toContain(`Threshold ${formatScore(a.threshold)}`);
    for (const [component, share] of Object.entries(a.attribution)) expect(facts.text).toMatch(new RegExp(`${component} ${share}%`));
    expect(facts.text).toContain(a.reproducibilityHash.slice(0, 32));
  });

  it('prediction: the forecast values, cutoff and band the endpoint answers', async () => {
    const p = (await getJson(server.base, `/metrics/${kSeller}/predictions?type=SALE&horizon=30`)).body;
    const facts = await exportKind({ kind: 'prediction', type: 'SALE', horizon: 30 });
    const [first] = p.predictions;
    expect(facts.text).toContain(`First predicted value ${formatValue(first.value)}`);
    expect(facts.text).toContain(`Last predicted value ${formatValue(p.predictions[29].value)}`);
    expect(facts.text).toContain(`Historical cutoff ${formatTime(p.historicalCutoff)}`);
    expect(facts.text).toContain(`${formatTime(first.timestamp)} ${formatValue(first.value)} ${formatValue(first.lower)} ${formatValue(first.upper)}`);
    expect(facts.text).toContain('Confidence band');
  });

  it('health: the score and its breakdown', async () => {
    const h = (await getJson(server.base, `/metrics/${kSeller}/health?type=SALE`)).body;
    const facts = await exportKind({ kind: 'health', type: 'SALE' });
    expect(facts.text).toContain(`Health score ${formatHealth(h.healthScore)} / 100`);
    for (const [name, c] of Object.entries<any>(h.breakdown)) expect(facts.text).toContain(`${name} ${c.available ? formatHealth(c.score) : 'n/a'}`);
  });

  it('insights: every insight with its probability, summary and recommendation', async () => {
    const list = (await getJson(server.base, `/insights/${kSeller}/lifecycle`)).body.insights;
    expect(list.length).toBe(2);
    const facts = await exportKind({ kind: 'insights', resolution: '1m' });
    for (const i of list) {
      expect(facts.text).toContain(`${i.kind} (${i.state})`);
      expect(facts.text).toContain(`Probability ${formatScore(i.probability)}`);
      expect(facts.text).toContain(i.id);
    }
    expect(facts.text).toContain('Recommendation:');
    expect(facts.text).toContain('sigma'); // "σ" in a summary, spelled in the PDF's fonts
  });

  it('weekly: 404 report_not_found when the builder has no report, else its document', async () => {
    const real = server.handle.exports.buildWeekly;
    server.handle.exports.buildWeekly = async () => undefined;
    const none = await postExport(server.base, '/export/pdf', { kind: 'weekly', sellerId: kSeller }, kTestAdminKey);
    expect(none.status).toBe(404);
    expect(none.problem.type).toBe('/problems/report_not_found');
    server.handle.exports.buildWeekly = async (tenantId, sellerId) => ({
      title: `Weekly report: ${sellerId}`, subtitle: `tenant ${tenantId}`, sellerId, kind: 'weekly', generatedAt: now,
      sections: [{ heading: 'Week in numbers', keyValues: [['Revenue', '12345.67']] }],
      configSnapshot: { version: 1, config: server.config },
    });
    try {
      const facts = await exportKind({ kind: 'weekly' });
      expect(facts.text).toContain('Revenue 12345.67');
      expect(facts.text).toContain('tenant default');
    } finally {
      server.handle.exports.buildWeekly = real;
    }
  });

  it('refuses what it cannot export: bad kind, type, horizon; unknown or foreign seller; wrong scope', async () => {
    const post = (body: unknown, key = kTestAdminKey) => postExport(server.base, '/export/pdf', body, key);
    const badKind = await post({ kind: 'monthly', sellerId: kSeller });
    expect(badKind.status).toBe(400);
    expect(badKind.problem.errors.map((e: any) => e.path)).toContain('/kind');
    expect((await post({ kind: 'anomaly', sellerId: kSeller, type: 'REFUND' })).problem.type).toBe('/problems/invalid_query');
    expect((await post({ kind: 'prediction', sellerId: kSeller, horizon: 1_000_000 })).status).toBe(400);
    expect((await post({ kind: 'anomaly', sellerId: kSeller, extra: 1 })).status).toBe(400);
    const unknown = await post({ kind: 'health', sellerId: 'never-seen' });
    expect(unknown.status).toBe(404);
    expect(unknown.problem.type).toBe('/problems/seller_not_found');

    const tenant = await postJson(server.base, '/tenants', { name: 'rival', tier: 'basic' });
    const readKey = (await postJson(server.base, `/tenants/${tenant.body.id}/keys`, { name: 'rival-read', scopes: ['read'] })).body.key;
    const foreign = await post({ kind: 'anomaly', sellerId: kSeller }, readKey);
    expect(foreign.status).toBe(404);
    expect(foreign.problem.type).toBe('/problems/seller_not_found');
    const ingestKey = (await postJson(server.base, '/tenants/default/keys', { name: 'feed', scopes: ['ingest'] })).body.key;
    expect((await post({ kind: 'anomaly', sellerId: kSeller }, ingestKey)).status).toBe(403);
    expect((await post({ kind: 'anomaly', sellerId: kSeller }, '')).status).toBe(401);
  });

  it('runs at most export.maxConcurrent exports at once: the rest get 503 export_busy with Retry-After', async () => {
    expect((await postJson(server.base, '/config', { patch: { export: { maxConcurrent: 1 } }, reason: 'one export at a time' })).status).toBe(201);
    try {
      const answers = await Promise.all(Array.from({ length: 4 }, () => postExport(server.base, '/export/pdf', { kind: 'health', sellerId: kSeller }, kTestAdminKey)));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses[0]).toBe(200);
      expect(statuses).toContain(503);
      const busy = answers.find((a) => a.status === 503)!;
      expect(busy.problem.type).toBe('/problems/export_busy');
      expect(Number(busy.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await postJson(server.base, '/config', { patch: { export: { maxConcurrent: 4 } }, reason: 'back to the default' });
    }
  });

  it('is documented in /openapi.json (a valid document) with its body schemas and media', async () => {
    const doc = (await getJson(server.base, '/openapi.json')).body;
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    const pdf = doc.paths['/export/pdf'].post;
    expect(Object.keys(pdf.responses['200'].content)).toEqual(['application/pdf']);
    expect(JSON.stringify(pdf.requestBody.content['application/json'].schema)).toContain('insights');
    const mail = doc.paths['/export/email'].post;
    expect(Object.keys(mail.responses)).toEqual(expect.arrayContaining(['202', '502']));
  });
});
