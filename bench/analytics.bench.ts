/**
 * Analytics bench (issue: analytics). `node dist/bench/analytics.bench.js`
 *
 * The real server (child process) holds 10 000 sellers with a day of minute buckets each. While a
 * WebSocket columnar load ingests at about half the engine's maximum (paced, bench/ws-load.ts),
 * autocannon queries GET /metrics/:seller/anomalies at resolution 1m (1 440-bucket windows):
 *   - cache on:  a hot set of sellers queried again and again (answers from the XFetch cache);
 *   - cache off: random sellers out of the 10 000, every query recomputed in a shard worker.
 * Reports queries/s, p50/p99 latency and the ingest rate achieved meanwhile; rounds rotate order.
 */
import autocannon from 'autocannon';
import WebSocket from 'ws';
import { encode, decode } from '@msgpack/msgpack';
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchConfig, kMsPerSec } from './bench-config.js';
import { startServer, stopServer } from './server-process.js';
import { runDriver } from './driver-runner.js';
import { freePort } from './free-port.js';
import { median, rotate } from './stats.js';
import { sellerIds } from './event-fixtures.js';

const kSellers = Number(process.env.BENCH_ANALYTICS_SELLERS ?? 10_000);
const kMinutes = 1440;
const kFrameSellers = 10_000;
const kHotSellers = 100;
const kRounds = Number(process.env.BENCH_ROUNDS ?? 3);
const kSeconds = Number(process.env.BENCH_SECONDS ?? 8);
const kIngestEventsPerSec = Number(process.env.BENCH_ANALYTICS_INGEST ?? 1_500_000);
const kQueryConnections = Number(process.env.BENCH_QUERY_CONNECTIONS ?? 1);
const kMsPerMinute = 60_000;
const kDriverSlackMs = 30_000;

/** A day of minute buckets for every seller: one CLICK per seller per minute (columnar frames). */
async function seed(port: number, ids: string[], now: number): Promise<void> {
  const ws = new WebSocket(`ws://${benchConfig.host}:${port}/stream?producer=seed`, { headers: { authorization: `Bearer ${benchConfig.apiKey}` } });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let seq = 0;
  const acked = new Map<number, () => void>();
  ws.on('message', (m: Buffer) => {
    const ack = decode(m) as { seq: number; accepted?: number };
    acked.get(ack.seq)?.();
  });
  for (let minute = 1; minute <= kMinutes; minute++) {
    for (let off = 0; off < ids.length; off += kFrameSellers) {
      const batch = ids.slice(off, off + kFrameSellers);
      const n = batch.length;
      const frame = {
        seq: seq++, sellerIds: batch, sellerIndex: new Uint8Array(Uint32Array.from({ length: n }, (_, i) => i).buffer),
        timestamps: new Uint8Array(new Float64Array(n).fill(now - minute * kMsPerMinute).buffer), typeNames: ['CLICK'],
        types: new Uint8Array(n), values: new Uint8Array(new Float64Array(n).fill(1).buffer),
      };
      await new Promise<void>((resolve) => {
        acked.set(frame.seq, resolve);
        ws.send(encode(frame));
      });
    }
  }
  ws.close();
}

interface QueryResult { qps: number; p50: number; p99: number; non2xx: number }

function queries(port: number, paths: string[]): Promise<QueryResult> {
  let i = 0;
  return new Promise((resolve, reject) => {
    autocannon({
      url: `http://${benchConfig.host}:${port}`, connections: kQueryConnections, duration: kSeconds,
      headers: { authorization: `Bearer ${benchConfig.apiKey}` },
      requests: [{ method: 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, path: paths[i++ % paths.length] }) }],
    } as never, (err: Error | null, r: { requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number }) => {
      if (err) return reject(err);
      resolve({ qps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx });
    });
  });
}

async function round(cache: boolean, r: number): Promise<{ q: QueryResult; ingest: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'sellerpulse-abench-'));
  const file = join(dir, 'config.json');
  // the alert monitor's sweeps (analyses of up to monitor.maxSellersPerSweep sellers per interval, through
  // the same cache) are a workload of their own: off here, so the queries measured are the only analyses
  writeFileSync(file, JSON.stringify({ cache: { enabled: cache }, durability: { mode: 'snapshot' }, log: { level: 'warn' }, shard: { maxSellersPerShard: 1 << 16 }, monitor: { enabled: false } }));
  const port = await freePort(benchConfig.host);
  const server = await startServer({ name: `engine-cache-${cache ? 'on' : 'off'}`, script: 'dist/api/main.js', port, env: { SELLERPULSE_CONFIG: file, SELLERPULSE_DATA_DIR: join(dir, 'data') } });
  try {
    const ids = sellerIds(`an${r}-`, kSellers);
    const now = Date.now();
    await seed(port, ids, now);
    const pick = cache ? ids.slice(0, kHotSellers) : ids;
    const paths = Array.from({ length: 20_000 }, (_, k) => `/metrics/${pick[(k * 7919) % pick.length]}/anomalies?type=CLICK&resolution=1m`);
    if (cache) await queries(port, paths.slice(0, kHotSellers)); // fill the cache once
    const durationMs = kSeconds * kMsPerSec;
    const ingest = runDriver({
      kind: 'ws',
      job: {
        url: `ws://${benchConfig.host}:${port}/stream`, producerPrefix: `a${r}${cache}`, format: 'columnar', eventsPerFrame: 1000, eventsPerSec: kIngestEventsPerSec,
        sellers: sellerIds(`load${r}-`, 1000), nowMs: Date.now(), seed: r + 1, connections: benchConfig.ws.connections, window: benchConfig.ws.window,
        durationMs, graceMs: benchConfig.ws.graceMs, zeroMask: benchConfig.ws.zeroMask,
      },
    }, { onReady: async () => {}, onLoadEnded: async () => {} }, durationMs + kDriverSlackMs);
    const q = await queries(port, paths);
    const out = await ingest;
    if (out.kind !== 'ws') throw new Error('unexpected driver result');
    return { q, ingest: out.result.acceptedInWindow / (out.result.elapsedMs / kMsPerSec) };
  } finally {
    await stopServer(server);
  }
}

async function main(): Promise<void> {
  console.log(`# Analytics bench\n\nNode ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}; ${kSellers} sellers × ${kMinutes} minute buckets; ` +
    `ingest offered ${kIngestEventsPerSec.toLocaleString('en-US')} events/s (columnar) during ${kRounds} rounds × ${kSeconds} s of anomaly queries; alert monitor off; medians.\n`);
  const results: Record<string, { q: QueryResult; ingest: number }[]> = { on: [], off: [] };
  for (let r = 0; r < kRounds; r++) {
    for (const cache of rotate([true, false], r)) {
      const res = await round(cache, r);
      results[cache ? 'on' : 'off'].push(res);
      console.error(`[analytics] round ${r} cache ${cache ? 'on' : 'off'}: ${Math.round(res.q.qps)} q/s, p99 ${res.q.p99} ms, ingest ${Math.round(res.ingest)} events/s`);
    }
  }
  console.log('| anomaly queries (1 440-bucket window) | queries/s | p50 ms | p99 ms | non-2xx | ingest events/s meanwhile |');
  console.log('|---|--:|--:|--:|--:|--:|');
  for (const k of ['on', 'off'] as const) {
    const rs = results[k];
    console.log(`| cache ${k} | ${Math.round(median(rs.map((x) => x.q.qps))).toLocaleString('en-US')} | ${median(rs.map((x) => x.q.p50))} | ${median(rs.map((x) => x.q.p99))} | ` +
      `${rs.reduce((a, x) => a + x.q.non2xx, 0)} | ${Math.round(median(rs.map((x) => x.ingest))).toLocaleString('en-US')} |`);
  }
  const cachedP99 = median(results.on.map((x) => x.q.p99));
  const uncachedP99 = median(results.off.map((x) => x.q.p99));
  console.log(`\ncached p99 ≤ 2 ms: ${cachedP99 <= 2 ? 'PASS' : 'FAIL'} (${cachedP99} ms); uncached p99 ≤ 10 ms: ${uncachedP99 <= 10 ? 'PASS' : 'FAIL'} (${uncachedP99} ms)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
