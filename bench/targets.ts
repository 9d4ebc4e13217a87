/** The performance targets, evaluated on the medians (reported PASS/FAIL, never asserted). */
import { benchConfig } from './bench-config.js';
import type { ResultSet } from './results.js';
import { httpScenarioId, wsScenarioId, type HttpDriver } from './scenarios.js';

export type Verdict = 'PASS' | 'FAIL' | 'n/a';

export interface TargetResult {
  name: string;
  measured: string;
  verdict: Verdict;
}

const kPercent = 100;
/** A paced run counts as "under that load" if it achieved this share of the offered rate. */
const kPacedRateTolerance = 0.95;

function verdict(value: number | boolean | null, pass: (v: number) => boolean): Verdict {
  if (value === null || (typeof value === 'number' && !Number.isFinite(value))) return 'n/a';
  if (typeof value === 'boolean') return value ? 'PASS' : 'FAIL';
  return pass(value) ? 'PASS' : 'FAIL';
}

const pct = (v: number) => (Number.isFinite(v) ? `${(v * kPercent).toFixed(1)} %` : 'n/a');
const times = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : 'n/a');
const perSec = (v: number) => (Number.isFinite(v) ? `${Math.round(v).toLocaleString('en-US')} events/s` : 'n/a');
const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)} ms` : 'n/a');

export function evaluateTargets(results: ResultSet): TargetResult[] {
  const t = benchConfig.targets;
  const out: TargetResult[] = [];
  const drivers: HttpDriver[] = ['wrk', 'autocannon'];
  for (const driver of drivers) {
    const id = httpScenarioId('single', driver);
    const vsBase = results.ratio(id, 'engine', 'baseline', 'reqPerSec');
    const vsFastify = results.ratio(id, 'engine', 'fastify', 'reqPerSec');
    out.push({ name: `POST /events single ≥ ${t.singleVsBaseline * kPercent} % of bare uWS req/s (${driver})`, measured: pct(vsBase),
      verdict: verdict(vsBase, (v) => v >= t.singleVsBaseline) });
    out.push({ name: `POST /events single ≥ ${t.singleVsFastify}× Fastify req/s (${driver})`, measured: times(vsFastify),
      verdict: verdict(vsFastify, (v) => v >= t.singleVsFastify) });
    const vsOpen = results.ratio(id, 'engine', 'engineOpen', 'reqPerSec');
    out.push({ name: `POST /events single with keys and rate limits ≥ ${t.singleVsOpenEngine * kPercent} % of the same engine without (${driver})`,
      measured: pct(vsOpen), verdict: verdict(vsOpen, (v) => v >= t.singleVsOpenEngine) });
  }
  for (const driver of drivers) {
    const id = httpScenarioId(`batch-${t.batchEvents}`, driver);
    const vsBase = results.ratio(id, 'engine', 'baseline', 'eventsPerSec');
    out.push({ name: `POST /events/batch of ${t.batchEvents} ≥ ${t.batchVsBaseline * kPercent} % of baseline events/s (${driver})`,
      measured: pct(vsBase), verdict: verdict(vsBase, (v) => v >= t.batchVsBaseline) });
  }
  const row = wsScenarioId('row-msgpack', t.wsFrameEvents);
  const rowRate = results.median(row, 'engine', (m) => m.eventsPerSec);
  const counted = results.countedInRings(row);
  const rowVsBase = results.ratio(row, 'engine', 'baseline', 'eventsPerSec');
  out.push({ name: `WS msgpack rows, ${t.wsFrameEvents}-event frames ≥ ${t.wsRowEventsPerSec.toLocaleString('en-US')} events/s accepted`,
    measured: perSec(rowRate), verdict: verdict(rowRate, (v) => v >= t.wsRowEventsPerSec) });
  out.push({ name: `WS msgpack rows, ${t.wsFrameEvents}-event frames: acked events counted in the rings`,
    measured: counted === null ? 'n/a' : counted ? 'yes' : 'no', verdict: verdict(counted, () => true) });
  out.push({ name: `WS msgpack rows, ${t.wsFrameEvents}-event frames ≥ ${t.wsRowVsBaseline * kPercent} % of the decode-only baseline`,
    measured: pct(rowVsBase), verdict: verdict(rowVsBase, (v) => v >= t.wsRowVsBaseline) });
  const col = wsScenarioId('columnar', t.wsFrameEvents);
  const colRate = results.median(col, 'engine', (m) => m.eventsPerSec);
  out.push({ name: `WS columnar, ${t.wsFrameEvents}-event frames ≥ ${t.wsColumnarEventsPerSec.toLocaleString('en-US')} events/s accepted`,
    measured: perSec(colRate), verdict: verdict(colRate, (v) => v >= t.wsColumnarEventsPerSec) });
  const colCounted = results.countedInRings(col);
  out.push({ name: `WS columnar, ${t.wsFrameEvents}-event frames: acked events counted in the rings`,
    measured: colCounted === null ? 'n/a' : colCounted ? 'yes' : 'no', verdict: verdict(colCounted, () => true) });
  for (const [id, rate] of [[row, t.wsRowEventsPerSec], [col, t.wsColumnarEventsPerSec]] as const) {
    const p99 = results.median(id, 'engine', (m) => m.p99Ms);
    const achieved = results.median(id, 'engine', (m) => m.eventsPerSec);
    out.push({
      name: `WS p99 ack latency ≤ ${t.wsP99Ms} ms while ≥ ${rate.toLocaleString('en-US')} events/s are taken (${id}, closed loop)`,
      measured: Number.isFinite(p99) ? `${ms(p99)} at ${perSec(achieved)}` : 'n/a',
      verdict: verdict(p99, (v) => v <= t.wsP99Ms && achieved >= rate),
    });
  }
  const paced = [
    { id: wsScenarioId('row-msgpack', t.wsFrameEvents, t.wsRowEventsPerSec), rate: t.wsRowEventsPerSec },
    { id: wsScenarioId('columnar', t.wsFrameEvents, t.wsColumnarEventsPerSec), rate: t.wsColumnarEventsPerSec },
  ];
  for (const { id, rate } of paced) {
    const p99 = results.median(id, 'engine', (m) => m.p99Ms);
    const achieved = results.median(id, 'engine', (m) => m.eventsPerSec);
    out.push({
      name: `WS p99 ack latency ≤ ${t.wsP99Ms} ms at ${rate.toLocaleString('en-US')} events/s offered (${id})`,
      measured: Number.isFinite(p99) ? `${ms(p99)} (${perSec(achieved)} achieved)` : 'n/a',
      verdict: verdict(p99, (v) => v <= t.wsP99Ms && achieved >= rate * kPacedRateTolerance),
    });
  }
  return out;
}
