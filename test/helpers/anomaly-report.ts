/**
 * Anomaly reports with chosen component probabilities — input data for the insight and alert
 * services (the same shape engine/analysis/run-analysis.ts produces), so their rules, lifecycle and
 * cooldowns can be walked step by step with an injected clock.
 */
export interface ReportSpec {
  score: number;
  /** Per component: probability and sign (z > 0 for 'up'). */
  deviation?: { p: number; dir: 'up' | 'down' };
  periodic?: { p: number; period: number };
  complexity?: { p: number; z: number };
  trend?: { p: number; z: number };
  windowEnd: number;
  sufficient?: boolean;
  type?: string;
}

function component(p: number, details: Record<string, unknown>) {
  return { available: p > 0, statistic: p > 0 ? 5 : 0, probability: p, evidence: p > 0 ? -Math.log(1 - Math.min(p, 0.999999)) : 0, weight: 1, details };
}

export function anomalyReport(s: ReportSpec): any {
  const sufficient = s.sufficient ?? true;
  const weights = { deviation: s.deviation?.p ?? 0, periodic: s.periodic?.p ?? 0, complexity: s.complexity?.p ?? 0, trend: s.trend?.p ?? 0 };
  const total = Object.values(weights).reduce((a, b) => a + b, 0) || 1;
  const attribution = Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, Math.round((v / total) * 100)]));
  const dataSufficiency = { status: sufficient ? 'sufficient' : 'insufficient', required: 300, available: sufficient ? 900 : 10 };
  const bucketMs = 1000;
  const timeWindow = { startTimestamp: s.windowEnd - 960 * bucketMs, endTimestamp: s.windowEnd, windowSize: 960, bucketMs };
  return {
    kind: 'anomaly', configVersion: 1, algorithmVersion: 'test', type: s.type ?? 'CLICK', metric: 'count', resolution: '1s',
    tier: { name: 'hot', eventsPerHour: 10_000, ttlMs: 2000 }, timeWindow, dataSufficiency,
    confidenceMessage: 'test data', reproducibilityHash: 'test',
    result: {
      status: dataSufficiency.status, dataSufficiency: { ...dataSufficiency, span: 960, minSpan: 0 }, score: s.score, threshold: 0.5,
      isAnomaly: s.score >= 0.5, direction: s.deviation?.dir ?? 'none', attribution,
      components: {
        deviation: component(s.deviation?.p ?? 0, { level: 5, slope: 0, sigma: 1, pointZ: 6, suffixZ: 4.2, suffixLength: 60, direction: s.deviation?.dir ?? 'none' }),
        periodic: component(s.periodic?.p ?? 0, { recentLogRatio: 3, peakPeriod: s.periodic?.period ?? null, historyCentre: 1, historySpread: 0.2, historyWindows: 30, z: s.periodic ? 10 : 0 }),
        complexity: component(s.complexity?.p ?? 0, { recentHfd: 2.2, historyCentre: 2, historySpread: 0.03, historyWindows: 30, z: s.complexity?.z ?? 0 }),
        trend: component(s.trend?.p ?? 0, { recentSlope: 0.1, historySlope: 0, standardError: 0.02, z: s.trend?.z ?? 0 }),
      },
      split: { historyLength: 900, recentStart: 900, recentLength: 60 }, seasonPeriod: null,
    },
  };
}
