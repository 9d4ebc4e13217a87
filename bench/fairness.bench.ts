/**
 * Fairness bench (issue 5). `npm run bench:fairness`
 *
 * The real server (child process). Tenant Q (premium) sends a steady load well inside its quota —
 * batches at a fixed offered rate (autocannon overallRate) — first alone, then while tenant F's key
 * (basic tier) floods POST /events with wrk as fast as it can and is answered 429. Reported per
 * round: Q's accepted events/s and p99 latency solo and under the flood, their ratio (target
 * ≥ 90 %), and whether F's 429s carried Retry-After and X-RateLimit-*. Rounds alternate the order.
 */
import autocannon from 'autocannon';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchConfig, kMsPerSec } from './bench-config.js';
import { runWrk } from './wrk-driver.js';
import { startServer, stopServer } from './server-process.js';
import { freePort } from './free-port.js';
import { median } from './stats.js';

const kRounds = Number(process.env.BENCH_ROUNDS ?? 3);
const kSeconds = Number(process.env.BENCH_SECONDS ?? 10);
/** Q's offered load: requests/s of kBatchEvents-event batches. */
const kQuietRequestsPerSec = Number(process.env.BENCH_FAIR_RATE ?? 400);
const kBatchEvents = 50;
const kQuietConnections = 8;
const kFloodConnections = Number(process.env.BENCH_FAIR_FLOOD_CONNECTIONS ?? 32);
/** F's basic-tier ingest limit: far below what it offers, so nearly every request is a 429. */
const kFloodLimit = { perSecond: 1_000, burst: 2_000 };
const kTarget = 0.9;
const kWrkKillSlackMs = 10_000;

interface Api {
  base: string;
  post(path: string, body: unknown, key?: string): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }>;
}

function api(port: number): Api {
  const base = `http://${benchConfig.host}:${port}`;
  return {
    base,
    async post(path, body, key = benchConfig.apiKey) {
      const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
    },
  };
}

async function tenantKey(a: Api, name: string, tier: string): Promise<string> {
  const t = await a.post('/tenants', { name, tier });
  const k = await a.post(`/tenants/${String(t.body.id)}/keys`, { name, scopes: ['ingest', 'read'] });
  return String(k.body.key);
}

interface QuietResult { eventsPerSec: number; p99: number; non2xx: number }

function quiet(a: Api, key: string, body: string): Promise<QuietResult> {
  return new Promise((resolve, reject) => {
    autocannon({
      url: `${a.base}/events/batch`, method: 'POST', body, connections: kQuietConnections, duration: kSeconds, overallRate: kQuietRequestsPerSec,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    }, (err, r) => {
      if (err) return reject(err);
      resolve({ eventsPerSec: (r['2xx'] * kBatchEvents) / r.duration, p99: r.latency.p99, non2xx: r.non2xx });
    });
  });
}

/** wrk floods POST /events with F's key for the duration; resolves with its request count. */
async function flood(a: Api, key: string, workDir: string): Promise<{ requests: number }> {
  const r = await runWrk({
    url: `${a.base}/events`, body: JSON.stringify({ sellerId: 'flood', timestamp: Date.now(), type: 'CLICK' }), contentType: 'application/json',
    threads: 1, connections: kFloodConnections, durationSec: kSeconds, workDir, name: 'flood', killAfterMs: kSeconds * kMsPerSec + kWrkKillSlackMs, apiKey: key,
  }, () => {});
  return { requests: r.requests };
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'sellerpulse-fair-'));
  const file = join(workDir, 'config.json');
  writeFileSync(file, JSON.stringify({ durability: { mode: 'snapshot' }, access: { rateLimits: { basic: { ingest: kFloodLimit } } } }));
  const port = await freePort(benchConfig.host);
  const server = await startServer({ name: 'engine', script: 'dist/api/main.js', port, env: { SELLERPULSE_CONFIG: file, SELLERPULSE_LOG_LEVEL: 'warn' } });
  const rows: string[] = [];
  const ratios: number[] = [];
  try {
    const a = api(port);
    const quietKey = await tenantKey(a, 'quiet', 'premium');
    const floodKey = await tenantKey(a, 'flood', 'basic');
    const now = Date.now();
    const body = JSON.stringify(Array.from({ length: kBatchEvents }, (_, i) => ({ sellerId: `q-${i % 10}`, timestamp: now, type: 'VIEW' })));
    // F's answers: one batch spends its whole burst, so a second one is refused; check that 429's headers
    const drained = await a.post('/events/batch', Array.from({ length: kFloodLimit.burst }, () => ({ sellerId: 'flood', timestamp: now, type: 'CLICK' })), floodKey);
    if (drained.status !== 202) throw new Error(`could not spend the flooder's burst: ${drained.status}`);
    // right after, another whole burst cannot be covered by what refilled meanwhile
    const limited = await a.post('/events/batch', Array.from({ length: kFloodLimit.burst }, () => ({ sellerId: 'flood', timestamp: now, type: 'CLICK' })), floodKey);
    const headersOk = limited.status === 429 && ['retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'].every((h) => limited.headers.get(h) !== null)
      && Number(limited.headers.get('x-ratelimit-limit')) === kFloodLimit.burst && Number(limited.headers.get('x-ratelimit-remaining')) < kFloodLimit.burst
      && Number(limited.headers.get('retry-after')) >= 1;
    for (let round = 1; round <= kRounds; round++) {
      const soloFirst = round % 2 === 1;
      const runSolo = () => quiet(a, quietKey, body);
      const runFlooded = async () => (await Promise.all([quiet(a, quietKey, body), flood(a, floodKey, workDir)]));
      const solo = soloFirst ? await runSolo() : undefined;
      const [flooded, floodRun] = await runFlooded();
      const soloResult = solo ?? await runSolo();
      const ratio = flooded.eventsPerSec / soloResult.eventsPerSec;
      ratios.push(ratio);
      rows.push(`| ${round} | ${Math.round(soloResult.eventsPerSec)} | ${soloResult.p99} | ${Math.round(flooded.eventsPerSec)} | ${flooded.p99} | ${(ratio * 100).toFixed(1)} % | ${Math.round(floodRun.requests / kSeconds)} | ${soloResult.non2xx + flooded.non2xx} |`);
      process.stderr.write(`[fairness] round ${round}: ratio ${(ratio * 100).toFixed(1)} %\n`);
    }
    const m = median(ratios);
    const report = [
      `# Fairness under a flooding tenant — ${new Date().toISOString()}`,
      '',
      `Node ${process.version}, ${cpus()[0]?.model.trim()} × ${cpus().length}; ${kSeconds} s per measurement, ${kRounds} rounds (order alternates).`,
      `Tenant Q (premium) offers ${kQuietRequestsPerSec} req/s of ${kBatchEvents}-event batches (autocannon, ${kQuietConnections} connections);`,
      `tenant F (basic, ingest limit ${kFloodLimit.perSecond}/s, burst ${kFloodLimit.burst}) floods POST /events with wrk (${kFloodConnections} connections).`,
      '',
      '| Round | Q solo events/s | Q solo p99 ms | Q flooded events/s | Q flooded p99 ms | flooded / solo | F req/s (mostly 429) | Q non-2xx |',
      '|--:|--:|--:|--:|--:|--:|--:|--:|',
      ...rows,
      '',
      `Median flooded / solo: **${(m * 100).toFixed(1)} %** (target ≥ ${kTarget * 100} %): ${m >= kTarget ? 'PASS' : 'FAIL'}.`,
      `F's 429s carry Retry-After and X-RateLimit-Limit/Remaining/Reset: ${headersOk ? 'yes' : 'NO'}.`,
      '',
    ].join('\n');
    process.stdout.write(report);
    writeFileSync(join(benchConfig.output.resultsDir, 'fairness.md'), report);
  } finally {
    await stopServer(server);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`fairness bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
