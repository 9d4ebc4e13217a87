/**
 * Verifies that the events a WS run saw acked were counted in the engine's rings: sums
 * GET /metrics/:seller/series totals over the run's (fresh) sellers for each type and compares
 * with the acked counts, polling until they match (the shards fold asynchronously) or a timeout.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { benchConfig } from './bench-config.js';

export interface RingCheck {
  expected: number;
  counted: number;
  expectedByType: number[];
  countedByType: number[];
  /** Per-type expectations are exact only when every acked frame was fully accepted. */
  perTypeComparable: boolean;
  ok: boolean;
  waitedMs: number;
}

interface SeriesBody {
  totals?: { count?: number };
}

async function sellerTypeCount(baseUrl: string, seller: string, type: string): Promise<number> {
  const url = `${baseUrl}/metrics/${encodeURIComponent(seller)}/series?type=${type}&resolution=${benchConfig.ringCheck.resolution}`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${benchConfig.apiKey}` } });
  const body = (await res.json()) as SeriesBody;
  if (res.status === 404) return 0;
  if (res.status !== 200) throw new Error(`GET ${url} → ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return body.totals?.count ?? 0;
}

async function countedByType(baseUrl: string, sellers: readonly string[]): Promise<number[]> {
  const types = benchConfig.fixtures.eventTypes;
  const jobs = sellers.flatMap((seller) => types.map((type, t) => ({ seller, type, t })));
  const counts = types.map(() => 0);
  const { concurrency } = benchConfig.ringCheck;
  for (let i = 0; i < jobs.length; i += concurrency) {
    const slice = jobs.slice(i, i + concurrency);
    const results = await Promise.all(slice.map((j) => sellerTypeCount(baseUrl, j.seller, j.type)));
    results.forEach((n, k) => (counts[slice[k].t] += n));
  }
  return counts;
}

export async function checkRings(
  baseUrl: string, sellers: readonly string[], expected: number, expectedByType: number[], perTypeComparable: boolean,
): Promise<RingCheck> {
  const { timeoutMs, pollMs } = benchConfig.ringCheck;
  const start = Date.now();
  for (;;) {
    const byType = await countedByType(baseUrl, sellers);
    const counted = byType.reduce((a, b) => a + b, 0);
    const typesMatch = !perTypeComparable || byType.every((n, t) => n === expectedByType[t]);
    const ok = counted === expected && typesMatch;
    const waitedMs = Date.now() - start;
    if (ok || waitedMs >= timeoutMs) {
      return { expected, counted, expectedByType, countedByType: byType, perTypeComparable, ok, waitedMs };
    }
    await sleep(pollMs);
  }
}
