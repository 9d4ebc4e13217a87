/** Renders the environment, the medians, the ratios and the targets as one markdown document. */
import { benchConfig } from './bench-config.js';
import type { Measurement } from './measure.js';
import type { ResultSet } from './results.js';
import { kTargetLabels, type Scenario } from './scenarios.js';
import { median } from './stats.js';
import type { TargetResult } from './targets.js';

export interface Environment {
  startedAt: string;
  node: string;
  cpuModel: string;
  cores: number;
  totalMemGiB: number;
  loadAvg: number[];
  wrk: string;
  engineShards: string;
  engineConfig: string;
}

const kRatioDigits = 2;

function num(v: number, digits = 0): string {
  if (!Number.isFinite(v)) return '—';
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function cell(list: Measurement[], pick: (m: Measurement) => number, digits = 0): string {
  return num(median(list.map(pick)), digits);
}

function notes(list: Measurement[]): string {
  const parts: string[] = [];
  const failures = list.reduce((a, m) => a + m.failures, 0);
  if (failures > 0) parts.push(`failures ${failures}${list.find((m) => m.firstError)?.firstError ? `: ${list.find((m) => m.firstError)?.firstError}` : ''}`);
  const retries = list.reduce((a, m) => a + (m.ws?.retries ?? 0), 0);
  if (retries > 0) {
    const reasons: Record<string, number> = {};
    for (const m of list) for (const [k, v] of Object.entries(m.ws?.retryReasons ?? {})) reasons[k] = (reasons[k] ?? 0) + v;
    parts.push(`retries ${retries} (${Object.entries(reasons).map(([k, v]) => `${k} ${v}`).join(', ')})`);
  }
  const partial = list.reduce((a, m) => a + (m.ws?.partialFrames ?? 0), 0);
  if (partial > 0) parts.push(`partially accepted frames ${partial}`);
  const unacked = list.reduce((a, m) => a + (m.ws?.unackedAtEnd ?? 0), 0);
  if (unacked > 0) parts.push(`unacked after grace ${unacked}`);
  const missed = list.reduce((a, m) => a + (m.ws?.missedFrames ?? 0), 0);
  if (missed > 0) parts.push(`behind the offered rate: ${missed} due frames never sent`);
  const rings = list.map((m) => m.ws?.ring).filter((r) => r != null);
  if (rings.length > 0) {
    const ok = rings.every((r) => r.ok);
    const detail = rings.map((r) => `${num(r.counted)}/${num(r.expected)}`).join(', ');
    parts.push(`counted in rings: ${ok ? 'yes' : 'no'} (${detail})`);
  }
  const completion = median(list.map((m) => m.ws?.completionP99Ms ?? NaN));
  if (Number.isFinite(completion)) parts.push(`frame completion p99 ${num(completion, 2)} ms`);
  return parts.join('; ').replace(/\|/g, '\\|');
}

export function renderReport(env: Environment, scenarios: Scenario[], results: ResultSet, targets: TargetResult[]): string {
  const c = benchConfig;
  const rounds = results.rounds().length;
  const lines: string[] = [];
  lines.push(`# SellerPulse bench — ${env.startedAt}`, '');
  lines.push(`- Node ${env.node}; CPU ${env.cpuModel} × ${env.cores} cores; ${num(env.totalMemGiB, 1)} GiB RAM; load average at start ${env.loadAvg.map((l) => l.toFixed(2)).join(' / ')}`);
  lines.push(`- Mode ${c.quick ? 'quick (smoke test — not a measurement)' : 'full'}: ${c.seconds} s per measurement, ${rounds} timed round(s), ${c.warmupSeconds > 0 ? `warm-up round of ${c.warmupSeconds} s discarded` : 'no warm-up'}`);
  lines.push(`- HTTP: ${c.http.connections} connections (wrk ${c.http.wrkThreads} thread(s), ${env.wrk}; autocannon pipelining ${c.http.autocannonPipelining}); JSON bodies built once`);
  lines.push(`- WS: ${c.ws.connections} connections × ${c.ws.window} frames in flight, pre-encoded frames, ${c.fixtures.sellers} fresh sellers per run; engine shards: ${env.engineShards}; engine config: ${env.engineConfig}`);
  lines.push('- Method: the three servers run as child processes for the whole run; each scenario measures them in turn, the order rotating every round. '
    + 'Load generators run in their own processes (wrk natively; autocannon and the WS generator in forked Node processes) on the same machine, so they compete with the server for the cores. '
    + 'Server CPU (all threads), main-thread CPU and RSS come from /proc; ELU and GC count/time of the server\'s main thread from a preloaded probe (bench/engine-probe.ts). '
    + 'Values are medians over the rounds; ratios are medians of the per-round ratios. WS rates count events accepted by acks received within the timed part; WS latency is per transmitted frame. autocannon reports latency in whole milliseconds.');
  lines.push('', '## Results (medians)', '');
  lines.push('| Scenario | Server | req or frames/s | events/s | p50 ms | p99 ms | server CPU % | main thread CPU % | ELU | GCs | GC ms | peak RSS MiB | client CPU % | notes |');
  lines.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|');
  for (const s of scenarios) {
    for (const target of s.targets) {
      const list = results.get(s.id, target);
      if (list.length === 0) continue;
      lines.push(`| ${s.id} | ${kTargetLabels[target]} | ${cell(list, (m) => m.reqPerSec)} | ${cell(list, (m) => m.eventsPerSec)} | `
        + `${cell(list, (m) => m.p50Ms, 2)} | ${cell(list, (m) => m.p99Ms, 2)} | ${cell(list, (m) => m.server.cpuPct)} | `
        + `${cell(list, (m) => m.server.mainThreadCpuPct)} | ${cell(list, (m) => m.elu, 2)} | ${cell(list, (m) => m.gcCount)} | `
        + `${cell(list, (m) => m.gcMs, 1)} | ${cell(list, (m) => m.server.peakRssMiB)} | ${cell(list, (m) => m.clientCpuPct)} | ${notes(list)} |`);
    }
  }
  lines.push('', '## SellerPulse relative to the peers (median of per-round ratios of events/s)', '');
  lines.push('| Scenario | SellerPulse / bare uWS | SellerPulse / Fastify |', '|---|--:|--:|');
  for (const s of scenarios) {
    const vsBase = s.targets.includes('baseline') ? results.ratio(s.id, 'engine', 'baseline', 'eventsPerSec') : NaN;
    const vsFastify = s.targets.includes('fastify') ? results.ratio(s.id, 'engine', 'fastify', 'eventsPerSec') : NaN;
    lines.push(`| ${s.id} | ${num(vsBase, kRatioDigits)} | ${num(vsFastify, kRatioDigits)} |`);
  }
  lines.push('', '## Targets', '', '| Target | Measured | Verdict |', '|---|--:|---|');
  for (const t of targets) lines.push(`| ${t.name} | ${t.measured} | ${t.verdict} |`);
  lines.push('');
  return lines.join('\n');
}
