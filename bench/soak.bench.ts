/**
 * Soak bench (issue 5). `npm run bench:soak` (BENCH_SOAK_SECONDS, default 600)
 *
 * The real server (child process, default config: wal durability) takes, for the whole duration,
 * paced single-event POSTs, batch POSTs, WebSocket frames and analytic/series queries at once.
 * Every 5 s the server's RSS and event-loop lag are read from GET /metrics. At the end: the count
 * of 5xx answers, whether every event the server acknowledged is counted exactly once in the rings
 * (sum of the series totals = sum of the accepted counts of every 202 and ack), and whether RSS or
 * event-loop lag trend upward (last third of the samples vs the middle third, and a fitted slope).
 */
import WebSocket from 'ws';
import { encode, decode } from '@msgpack/msgpack';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchConfig, kMsPerSec } from './bench-config.js';
import { startServer, stopServer } from './server-process.js';
import { freePort } from './free-port.js';

const kSeconds = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
const kSampleMs = 5_000;
/**
 * History posted per seller and type before the clock starts, one event a second: longer than the
 * 1 s ring (1 024 s), so every ring, ring snapshot and LMDB page is at its steady size when sampling
 * begins. Without it RSS grows for the rings' first 17 minutes as they fill (data, not a leak).
 */
const kWarmUpSeconds = Number(process.env.BENCH_SOAK_WARMUP_SECONDS ?? 1_200);
const kWarmUpBatch = 1_000;
const kTickMs = 50;
const kSellers = 200;
const kTypes = ['SALE', 'CLICK', 'VIEW'] as const;
const load = {
  singlesPerSec: 1_000,
  batchesPerSec: 40,
  batchEvents: 100,
  wsConnections: 2,
  framesPerSecPerConnection: 50,
  frameEvents: 500,
  queriesPerSec: 20,
};
/** "No upward trend": the last third of the samples vs the middle third. */
const kRssGrowthLimit = 1.05;
const kLagGrowthFactor = 1.25;
const kLagGrowthSlackMs = 0.5;
const kQueryKinds = ['anomalies', 'predictions', 'health', 'series'] as const;
const kBytesPerMiB = 1024 * 1024;

interface Tally { accepted: number; requests: number; status: Map<number, number>; errors: number }

function seller(i: number): string {
  return `soak-${i % kSellers}`;
}

function event(i: number, now: number): Record<string, unknown> {
  const type = kTypes[i % kTypes.length];
  return { sellerId: seller(i), timestamp: now, type, ...(type === 'SALE' ? { value: (i % 97) + 0.25 } : {}) };
}

function count(t: Tally, status: number): void {
  t.requests++;
  t.status.set(status, (t.status.get(status) ?? 0) + 1);
}

async function http(base: string, key: string, t: Tally, path: string, body?: unknown): Promise<void> {
  try {
    const res = await fetch(base + path, {
      method: body === undefined ? 'GET' : 'POST', body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    });
    const parsed = (await res.json()) as { accepted?: number };
    count(t, res.status);
    if (res.status === 202) t.accepted += parsed.accepted ?? 0;
  } catch {
    t.errors++;
  }
}

/** One producer: frames at a fixed rate, re-sent (same seq) when the ack asks to retry. */
async function producer(url: string, key: string, t: Tally, stopAt: number, id: number): Promise<void> {
  const ws = new WebSocket(url, { headers: { authorization: `Bearer ${key}` }, perMessageDeflate: false });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const pending = new Map<number, Uint8Array>();
  ws.on('message', (data: Buffer) => {
    const ack = decode(data) as { seq: number; accepted?: number; retryAfterMs?: number; error?: unknown };
    const frame = pending.get(ack.seq);
    if (ack.retryAfterMs !== undefined && frame) {
      setTimeout(() => ws.send(frame), ack.retryAfterMs);
      return;
    }
    pending.delete(ack.seq);
    count(t, ack.error ? 400 : 202);
    t.accepted += ack.accepted ?? 0;
  });
  let seq = 0;
  const interval = kMsPerSec / load.framesPerSecPerConnection;
  let next = Date.now();
  while (Date.now() < stopAt) {
    const now = Date.now();
    const frame = encode({ seq: ++seq, events: Array.from({ length: load.frameEvents }, (_, i) => event(id * 7919 + seq * load.frameEvents + i, now)) });
    pending.set(seq, frame);
    ws.send(frame);
    next += interval;
    await sleep(Math.max(0, next - Date.now()));
  }
  const deadline = Date.now() + benchConfig.ws.graceMs;
  while (pending.size > 0 && Date.now() < deadline) await sleep(kTickMs);
  ws.close();
}

/** kWarmUpSeconds of history for every seller and type, in batches (counted like any other ingest). */
async function warmUp(base: string, key: string, t: Tally): Promise<void> {
  const now = Date.now();
  let batch: Record<string, unknown>[] = [];
  for (let sec = kWarmUpSeconds; sec > 0; sec--) {
    for (let s = 0; s < kSellers; s++) {
      for (const type of kTypes) {
        batch.push({ sellerId: seller(s), timestamp: now - sec * kMsPerSec, type, ...(type === 'SALE' ? { value: (s % 97) + 0.25 } : {}) });
        if (batch.length === kWarmUpBatch) {
          await http(base, key, t, '/events/batch', batch);
          batch = [];
        }
      }
    }
  }
  if (batch.length > 0) await http(base, key, t, '/events/batch', batch);
  if (t.requests !== (t.status.get(202) ?? 0)) throw new Error(`warm-up refused: ${JSON.stringify([...t.status])}`);
}

interface Sample {
  atS: number; rssMiB: number; heapMiB: number; externalMiB: number; lagP99Ms: number; lagMeanMs: number;
  /** From /proc/<pid>/smaps_rollup: anonymous memory vs file-backed pages (LMDB map, code). */
  anonMiB: number; fileMiB: number;
  /** Sum over the shard workers of their V8 heaps (total committed). */
  shardHeapMiB: number;
}

/** Anonymous and file-backed resident memory of a process (Linux smaps_rollup, kB lines). */
function residentSplit(pid: number): { anonMiB: number; fileMiB: number } {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text)?.[1] ?? NaN);
  const anon = kb('Anonymous');
  return { anonMiB: anon / 1024, fileMiB: (kb('Rss') - anon) / 1024 };
}

function sumMetric(text: string, pattern: string): number {
  let total = 0;
  for (const m of text.matchAll(new RegExp(`^${pattern} ([0-9.e+-]+)$`, 'gm'))) total += Number(m[1]);
  return total;
}

function metric(text: string, name: string): number {
  const m = new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

async function main(): Promise<void> {
  const port = await freePort(benchConfig.host);
  const server = await startServer({ name: 'engine', script: 'dist/api/main.js', port, env: { SELLERPULSE_LOG_LEVEL: 'warn', SELLERPULSE_DATA_DIR: join(mkdtempSync(join(tmpdir(), 'sellerpulse-soak-')), 'data') } });
  const base = `http://${benchConfig.host}:${port}`;
  const admin = benchConfig.apiKey;
  try {
    const post = async (path: string, body: unknown) => (await (await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: JSON.stringify(body) })).json()) as Record<string, string>;
    const tenant = await post('/tenants', { name: 'soak', tier: 'enterprise' });
    const key = (await post(`/tenants/${tenant.id}/keys`, { name: 'soak', scopes: ['ingest', 'read'] })).key;
    const ingest: Tally = { accepted: 0, requests: 0, status: new Map(), errors: 0 };
    const queries: Tally = { accepted: 0, requests: 0, status: new Map(), errors: 0 };
    const samples: Sample[] = [];
    await warmUp(base, key, ingest);
    const started = Date.now();
    const stopAt = started + kSeconds * kMsPerSec;
    const producers = Array.from({ length: load.wsConnections }, (_, i) => producer(`ws://${benchConfig.host}:${port}/stream?producer=soak${i}`, key, ingest, stopAt, i));
    const inFlight = new Set<Promise<void>>();
    const fire = (p: Promise<void>) => {
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    };
    let n = 0;
    let nextSample = started;
    const perTick = (perSec: number, tick: number) => Math.floor(((tick + 1) * perSec * kTickMs) / kMsPerSec) - Math.floor((tick * perSec * kTickMs) / kMsPerSec);
    for (let tick = 0; Date.now() < stopAt; tick++) {
      const now = Date.now();
      for (let i = 0; i < perTick(load.singlesPerSec, tick); i++) fire(http(base, key, ingest, '/events', event(n++, now)));
      for (let i = 0; i < perTick(load.batchesPerSec, tick); i++) fire(http(base, key, ingest, '/events/batch', Array.from({ length: load.batchEvents }, () => event(n++, now))));
      for (let i = 0; i < perTick(load.queriesPerSec, tick); i++) {
        const kind = kQueryKinds[n % kQueryKinds.length];
        fire(http(base, key, queries, `/metrics/${seller(n++)}/${kind}?type=${kTypes[n % kTypes.length]}`));
      }
      if (now >= nextSample) {
        nextSample += kSampleMs;
        const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${admin}` } })).text();
        samples.push({
          atS: (now - started) / kMsPerSec, rssMiB: metric(text, 'sellerpulse_process_resident_memory_bytes') / kBytesPerMiB,
          heapMiB: metric(text, 'sellerpulse_nodejs_heap_size_used_bytes') / kBytesPerMiB, externalMiB: metric(text, 'sellerpulse_nodejs_external_memory_bytes') / kBytesPerMiB,
          lagP99Ms: metric(text, 'sellerpulse_nodejs_eventloop_lag_p99_seconds') * kMsPerSec, lagMeanMs: metric(text, 'sellerpulse_nodejs_eventloop_lag_mean_seconds') * kMsPerSec,
          ...residentSplit(server.pid), shardHeapMiB: sumMetric(text, 'sellerpulse_shard_heap_bytes\\{shard="\\d+",kind="total"\\}') / kBytesPerMiB,
        });
      }
      await sleep(Math.max(0, started + (tick + 1) * kTickMs - Date.now()));
    }
    await Promise.all(producers);
    await Promise.all([...inFlight]);
    // every acknowledged event, counted exactly once
    let counted = 0;
    for (let s = 0; s < kSellers; s++) {
      for (const type of kTypes) {
        const r = await fetch(`${base}/metrics/${seller(s)}/series?type=${type}&resolution=1h`, { headers: { authorization: `Bearer ${key}` } });
        if (r.status === 200) counted += ((await r.json()) as { totals: { count: number } }).totals.count;
      }
    }
    const fiveXx = [...ingest.status, ...queries.status].filter(([s]) => s >= 500).reduce((a, [, c]) => a + c, 0);
    const third = Math.floor(samples.length / 3);
    const middle = samples.slice(third, 2 * third);
    const last = samples.slice(2 * third);
    const rssMiddle = mean(middle.map((s) => s.rssMiB));
    const rssLast = mean(last.map((s) => s.rssMiB));
    const lagMiddle = mean(middle.map((s) => s.lagP99Ms));
    const lagLast = mean(last.map((s) => s.lagP99Ms));
    const after = samples.slice(third);
    const rssSlope = slope(after.map((s) => s.atS / 60), after.map((s) => s.rssMiB));
    const lagSlope = slope(after.map((s) => s.atS / 60), after.map((s) => s.lagP99Ms));
    const rssOk = rssLast <= rssMiddle * kRssGrowthLimit;
    const lagOk = lagLast <= lagMiddle * kLagGrowthFactor + kLagGrowthSlackMs;
    const statuses = (t: Tally) => [...t.status].sort((a, b) => a[0] - b[0]).map(([s, c]) => `${s}: ${c}`).join(', ');
    const report = [
      `# Soak — ${new Date().toISOString()}`,
      '',
      `Node ${process.version}, ${cpus()[0]?.model.trim()} × ${cpus().length}; ${kSeconds} s; server default config (wal durability); before the clock starts, ${kWarmUpSeconds} s of history per seller and type (rings at their steady size).`,
      `Load at once: ${load.singlesPerSec} single POST/s, ${load.batchesPerSec} batch POST/s × ${load.batchEvents} events, ${load.wsConnections} WebSocket producers × ${load.framesPerSecPerConnection} frames/s × ${load.frameEvents} events, ${load.queriesPerSec} queries/s (anomalies, predictions, health, series).`,
      '',
      '| Check | Measured | Verdict |',
      '|---|--:|---|',
      `| zero 5xx | ${fiveXx} (ingest ${statuses(ingest)}; queries ${statuses(queries)}; client errors ${ingest.errors + queries.errors}) | ${fiveXx === 0 ? 'PASS' : 'FAIL'} |`,
      `| acknowledged = counted | ${ingest.accepted.toLocaleString('en-US')} acknowledged, ${counted.toLocaleString('en-US')} counted | ${ingest.accepted === counted ? 'PASS' : 'FAIL'} |`,
      `| RSS: last third ≤ ${kRssGrowthLimit}× middle third | ${rssMiddle.toFixed(1)} → ${rssLast.toFixed(1)} MiB (slope ${rssSlope.toFixed(2)} MiB/min) | ${rssOk ? 'PASS' : 'FAIL'} |`,
      `| event-loop lag p99: last third ≤ ${kLagGrowthFactor}× middle + ${kLagGrowthSlackMs} ms | ${lagMiddle.toFixed(2)} → ${lagLast.toFixed(2)} ms (slope ${lagSlope.toFixed(3)} ms/min) | ${lagOk ? 'PASS' : 'FAIL'} |`,
      '',
      '| t (s) | RSS MiB | anonymous MiB | file-backed MiB | main heap used MiB | shard heaps MiB | external MiB | lag p99 ms | lag mean ms |',
      '|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
      ...samples.filter((_, i) => i % Math.max(1, Math.floor(samples.length / 24)) === 0).map((s) => `| ${s.atS.toFixed(0)} | ${s.rssMiB.toFixed(1)} | ${s.anonMiB.toFixed(1)} | ${s.fileMiB.toFixed(1)} | ${s.heapMiB.toFixed(1)} | ${s.shardHeapMiB.toFixed(1)} | ${s.externalMiB.toFixed(1)} | ${s.lagP99Ms.toFixed(2)} | ${s.lagMeanMs.toFixed(2)} |`),
      '',
    ].join('\n');
    process.stdout.write(report);
    writeFileSync(join(benchConfig.output.resultsDir, 'soak.md'), report);
  } finally {
    await stopServer(server);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`soak bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
