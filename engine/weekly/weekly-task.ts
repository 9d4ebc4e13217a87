/**
 * Piscina task: assembles a weekly report (issue 7) from the inputs the main thread gathered —
 * analyses from the shards, the week's alerts and insights, the rollup comparison, the fingerprint
 * and the config snapshot — into the report answered by GET /reports/:seller/weekly. Pure: the same
 * inputs give the same report.
 */
import type { WeeklyInputs } from './weekly-inputs.js';
import { lowerPoolThreadPriority } from '../pool-thread-priority.js';

lowerPoolThreadPriority();

const kLevels = ['info', 'warning', 'high', 'critical'] as const;
const kStates = ['generated', 'confirmed', 'expired', 'superseded'] as const;
const kHealthAdvice: Record<string, string> = {
  volatility: 'Volatility weighs most on health: smooth promotions and stock-outs, and watch the spikes in the anomaly log.',
  anomalyFrequency: 'Anomalies are frequent: review the alerts of the week and tune the alert threshold or the traffic sources behind them.',
  predictiveRisk: 'The forecast is uncertain or declining: keep an eye on the predicted band and plan stock conservatively.',
  dataConsistency: 'Data arrives irregularly: check the event feed for gaps (missing hours lower every figure\'s confidence).',
};

/* eslint-disable @typescript-eslint/no-explicit-any -- the analysis results are shaped where they are made */
export default function weeklyTask(i: WeeklyInputs) {
  const health = i.health?.result as any;
  const anomaly = i.anomaly?.result as any;
  const prediction = i.prediction?.result as any;
  const bySeverity = Object.fromEntries(kLevels.map((l) => [l, i.alerts.filter((a) => a.level === l).length]));
  const byType: Record<string, number> = {};
  for (const a of i.alerts) byType[a.type] = (byType[a.type] ?? 0) + 1;
  const lifecycle = Object.fromEntries(kStates.map((s) => [s, i.insights.filter((x) => x.state === s).length]));
  const recommendations: string[] = [];
  for (const x of i.insights) if (x.state === 'generated' || x.state === 'confirmed') if (!recommendations.includes(x.recommendation)) recommendations.push(x.recommendation);
  if (health !== undefined && health.status === 'sufficient') {
    const weakest = Object.entries(health.breakdown as Record<string, { score: number }>).sort((a, b) => a[1].score - b[1].score)[0];
    if (weakest !== undefined && kHealthAdvice[weakest[0]]) recommendations.push(kHealthAdvice[weakest[0]]);
  }
  if (i.fingerprint !== null && i.fingerprint.classification !== 'normal') {
    recommendations.push(`Behaviour fingerprint: ${i.fingerprint.classification.replaceAll('_', ' ')} — review the seller's traffic sources.`);
  }
  return {
    sellerId: i.sellerId,
    week: i.week,
    generatedAt: i.generatedAt,
    eventType: i.eventType,
    configVersion: i.configVersion,
    health: health === undefined ? null : {
      score: health.score, status: health.status, breakdown: health.breakdown,
      timeWindow: i.health!.timeWindow, dataSufficiency: i.health!.dataSufficiency, confidenceMessage: i.health!.confidenceMessage,
    },
    anomalies: {
      alerts: i.alerts.length, bySeverity, byType,
      currentScore: anomaly?.score ?? null, attribution: anomaly?.attribution ?? null,
      dataSufficiency: i.anomaly?.dataSufficiency ?? null,
    },
    trend: {
      slopeZ: anomaly?.components?.trend?.details?.z ?? null,
      comparison: i.comparison,
    },
    predictions: prediction === undefined ? null : {
      method: prediction.method, historicalCutoff: i.prediction!.timeWindow.endTimestamp, bucketMs: i.prediction!.timeWindow.bucketMs,
      values: prediction.values, lower: prediction.lower, upper: prediction.upper, level: prediction.level,
      dataSufficiency: i.prediction!.dataSufficiency, confidenceMessage: i.prediction!.confidenceMessage,
    },
    behaviour: i.fingerprint,
    insights: { lifecycle, summaries: i.insights.slice(0, i.maxInsights).map((x) => ({ id: x.id, kind: x.kind, state: x.state, summary: x.summary, createdAt: x.createdAt })) },
    recommendations,
    history: i.history,
  };
}

/** As stored; answers add `configSnapshot` (weekly-service.ts). */
export type StoredWeeklyReport = ReturnType<typeof weeklyTask>;
export type WeeklyReport = StoredWeeklyReport & { configSnapshot: { version: number; config: object } };
