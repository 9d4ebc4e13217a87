/** Data sufficiency (non-empty buckets) and the plain-language confidence sentence. */
import { describe, expect, it } from 'vitest';
import { analytics, schema } from './support/implementations.js';

const cfg = schema.defaultAnalyticsConfig();
const { dataSufficiency, confidenceMessage, formatCount, bucketUnit } = analytics;

describe('dataSufficiency', () => {
  it('counts finite non-zero buckets as available and compares with the requirement', () => {
    const s = dataSufficiency([0, 1, 2, 0, NaN, Infinity, 3, -1], 4);
    expect(s).toEqual({ status: 'sufficient', required: 4, available: 4, span: 8, minSpan: 0 });
    expect(dataSufficiency([0, 1, 2], 3).status).toBe('insufficient');
    expect(dataSufficiency([], 0)).toEqual({ status: 'sufficient', required: 0, available: 0, span: 0, minSpan: 0 });
    expect(dataSufficiency(new Float64Array(10).fill(1), 2.2).required).toBe(3);
  });

  it('is insufficient when the span is below the structural minimum, however dense', () => {
    const s = dataSufficiency(new Float64Array(50).fill(1), 10, 60);
    expect(s.status).toBe('insufficient');
    expect(s.available).toBe(50);
  });
});

describe('confidenceMessage', () => {
  const minute = (s: ReturnType<typeof dataSufficiency>, volatilityScore?: number | null): string =>
    confidenceMessage(s, { unit: 'minute', subject: 'score', volatilityScore }, cfg);

  it('says why a sufficient result is reliable (stable, volatile, or stability unknown)', () => {
    const series = Float64Array.from({ length: 1440 }, (_, i) => (i % 24 === 0 ? 0 : 1));
    const s = dataSufficiency(series, 300);
    expect(s.available).toBe(1380);
    expect(minute(s, 80)).toBe('Based on 1 380 of the last 1 440 minutes with data; the pattern is stable, so this score is reliable.');
    expect(minute(s, 20)).toBe('Based on 1 380 of the last 1 440 minutes with data; the pattern is volatile, so this score is less certain than its number suggests.');
    expect(minute(s)).toBe('Based on 1 380 of the last 1 440 minutes with data, enough for a reliable score.');
  });

  it('says why an insufficient result is only a rough indication', () => {
    const few = Float64Array.from({ length: 60 }, (_, i) => (i < 12 ? 1 : 0));
    expect(confidenceMessage(dataSufficiency(few, 60), { unit: 'point', subject: 'forecast' }, cfg)).toBe(
      'Only 12 of the 60 points with data needed are available; treat this forecast as a rough indication.',
    );
    expect(minute(dataSufficiency(new Float64Array(100).fill(2), 10, 300))).toBe(
      'Only 100 of the 300 minutes of history needed exist so far; treat this score as a rough indication.',
    );
    expect(minute(dataSufficiency(new Float64Array(1440), 300))).toBe('None of the last 1 440 minutes has any data, so this score cannot be trusted yet.');
    expect(minute(dataSufficiency([], 300))).toBe('There is no data yet, so this score cannot be trusted.');
    expect(confidenceMessage(dataSufficiency([1], 1), { unit: 'hour', subject: 'health score' }, cfg)).toBe(
      'Based on 1 of the last 1 hour with data, enough for a reliable health score.',
    );
  });

  it('formats counts and units deterministically', () => {
    expect([0, 7, 999, 1000, 1380, 1234567].map(formatCount)).toEqual(['0', '7', '999', '1 000', '1 380', '1 234 567']);
    expect([1000, 60_000, 3_600_000, 86_400_000, 5000].map(bucketUnit)).toEqual(['second', 'minute', 'hour', 'day', 'bucket']);
  });
});
