/**
 * Report pieces without a server: time ticks never overlap, value axes cover their data, the
 * config snapshot hides secrets and reads back as the same JSON, text is WinAnsi-safe, and the same
 * document renders to the same bytes that poppler reads.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { timeTicks, valueAxis } from '../../dist/engine/reports/chart-ticks.js';
import { prettyJson } from '../../dist/engine/reports/pretty-json.js';
import { configSnapshot, kRedacted } from '../../dist/engine/reports/config-snapshot.js';
import { winAnsi } from '../../dist/engine/reports/pdf-text.js';
import { renderPdf } from '../../dist/engine/reports/pdf-render.js';
import { buildPredictionReport } from '../../dist/engine/reports/report-builders.js';
import { formatValue } from '../../dist/engine/reports/report-format.js';
import { defaultConfig } from '../../dist/config/index.js';
import { inspectPdf, requirePoppler } from './support/pdf-tools.js';

/** Helvetica's digits are all 0.556 em; colons, dashes and spaces are narrower — an upper bound. */
const measure = (s: string) => s.length * 0.556 * 7.5;

describe('chart ticks', () => {
  it('time labels never overlap, sit on round instants and stay inside the span', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }), fc.integer({ min: 1000, max: 400 * 86_400_000 }), fc.integer({ min: 60, max: 600 }),
      (t0, span, width) => {
        const ticks = timeTicks(t0, t0 + span, width, measure, 10);
        expect(ticks.length).toBeGreaterThan(0);
        const px = width / span;
        for (let i = 1; i < ticks.length; i++) {
          const gap = (ticks[i].value - ticks[i - 1].value) * px;
          expect(gap).toBeGreaterThanOrEqual((measure(ticks[i].label) + measure(ticks[i - 1].label)) / 2 + 10 - 1e-9);
        }
        for (const t of ticks) {
          expect(t.value).toBeGreaterThanOrEqual(t0);
          expect(t.value).toBeLessThanOrEqual(t0 + span);
          if (t.value !== t0) expect(t.value % 1000).toBe(0);
        }
      },
    ), { numRuns: 300 });
  });

  it('labels show the date only when the span leaves one day', () => {
    const day = Date.UTC(2026, 10, 20);
    expect(timeTicks(day + 3_600_000, day + 7_200_000, 400, measure, 10).map((t) => t.label)).toContain('01:30');
    expect(timeTicks(day, day + 2 * 86_400_000, 400, measure, 10)[0].label).toMatch(/^11-20 \d\d:\d\d$/);
  });

  it('value axes start at 0 for non-negative data, cover it, and keep negative bands', () => {
    const a = valueAxis(3.2, 97.1, 8);
    expect(a.min).toBe(0);
    expect(a.max).toBeGreaterThanOrEqual(97.1);
    expect(a.ticks.length).toBeLessThanOrEqual(9);
    const b = valueAxis(-12, 40, 6);
    expect(b.min).toBeLessThanOrEqual(-12);
    expect(b.ticks.map((t) => t.label)).toContain('0');
    expect(valueAxis(5, 5, 4).max).toBeGreaterThan(valueAxis(5, 5, 4).min);
  });
});

describe('config snapshot', () => {
  it('redacts secret-looking keys at any depth and reads back as the same JSON', () => {
    const config = { ...defaultConfig(), export: { ...defaultConfig().export, smtp: { ...defaultConfig().export.smtp, user: 'mailer', pass: 'hunter2-secret' } } };
    const snap = configSnapshot(config, 7, config.export.redactKeys);
    const text = prettyJson(snap.config, 100);
    expect(text).not.toContain('hunter2');
    expect(JSON.parse(text).export.smtp.pass).toBe(kRedacted);
    expect(JSON.parse(text).export.smtp.user).toBe('mailer');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(snap.config)));
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThanOrEqual(120);
  });

  it('maps what the standard fonts cannot show', () => {
    expect(winAnsi('rose 4.2 σ ≥ 3 — ok × 2 €')).toBe('rose 4.2 sigma >= 3 — ok × 2 €');
    expect(winAnsi('日本')).toBe('??');
  });
});

describe('renderPdf', () => {
  const t0 = Date.UTC(2026, 10, 20);
  const bucketMs = 60_000;
  const cutoff = t0 + 300 * bucketMs;
  const body = {
    sellerId: 'unit-seller', type: 'SALE', metric: 'sum' as const, resolution: '1m', configVersion: 3,
    timeWindow: { startTimestamp: t0, endTimestamp: cutoff, windowSize: 300, bucketMs },
    dataSufficiency: { status: 'sufficient' as const, required: 120, available: 300 }, confidenceMessage: 'Based on 300 one-minute buckets (σ 2.1).',
    reproducibilityHash: 'ab'.repeat(32), lastComputedAt: cutoff, historicalCutoff: cutoff, horizon: 20, method: 'holt-winters', seasonPeriod: 60, status: 'sufficient', confidenceLevel: 0.9,
    predictions: Array.from({ length: 20 }, (_, j) => ({ timestamp: cutoff + j * bucketMs, value: 40 + j / 3, lower: 20 + j / 3, upper: 60 + j / 3 })),
  };
  const series = {
    sellerId: 'unit-seller', type: 'SALE', resolution: '1m', timeWindow: body.timeWindow, totals: { count: 0, sum: 0 },
    buckets: Array.from({ length: 300 }, (_, i) => ({ start: t0 + i * bucketMs, count: 3, sum: 40 + 10 * Math.sin(i / 15) })),
  };
  const ctx = { generatedAt: cutoff, configSnapshot: { version: 3, config: defaultConfig() }, historyBuckets: 240, maxTableRows: 120 };

  it('renders the same bytes for the same document, and poppler reads every page', async () => {
    await requirePoppler();
    const doc = buildPredictionReport(body, series, ctx);
    const [a, b] = [await renderPdf(doc), await renderPdf(structuredClone(doc))];
    expect(Buffer.compare(a, b)).toBe(0);
    expect(a.subarray(0, 5).toString()).toBe('%PDF-');
    const facts = await inspectPdf(a);
    expect(facts.rendered).toBe(facts.pages);
    expect(facts.text).toContain(`Page ${facts.pages} of ${facts.pages}`);
    expect(facts.text).toContain(`First predicted value ${formatValue(40)}`);
    expect(facts.text).toContain('sigma 2.1');
    expect(facts.info).toMatch(/CreationDate:\s+Fri Nov 20 05:00:00 2026 UTC/);
  });
});
