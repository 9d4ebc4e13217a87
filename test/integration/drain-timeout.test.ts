/**
 * Draining a queue (restore replays a log through it; tools and benches wait for it) takes as long
 * as folding the backlog — seconds for a queue of new sellers, whose first events touch fresh ring
 * pages. It is bounded by shard.drainTimeoutMs, like the drain at stop, not by the query timeout.
 */
import { describe, expect, it } from 'vitest';
import { startTestServer, postJson } from '../helpers/server.js';
import { IngestResult } from '../../dist/engine/index.js';
import { kOperatorTenantId } from '../../dist/engine/tenancy/tenant-registry.js';

const kSellers = 10_000;
/**
 * Far below how long folding the first events of 2 × 10 000 new sellers takes on any machine (each
 * touches fresh ring pages: 0.15 s on a fast day of the 2-core VM, seconds on a slow one). Set live once
 * the server is up, so the start-up requests keep the default.
 */
const kQueryTimeoutMs = 1;
const kDefaultQueryTimeoutMs = 5_000;

describe('draining a backlog', () => {
  it('waits for the backlog of new sellers however long that takes past the query timeout', async () => {
    const server = await startTestServer({
      shard: { drainTimeoutMs: 60_000 },
      // no periodic work (snapshots, sketch flushes, alert sweeps) to queue behind the backlog
      durability: { mode: 'snapshot', snapshotIntervalMs: 3_600_000 },
      rollup: { flushMs: 3_600_000 },
      monitor: { intervalMs: 3_600_000 },
      limits: { maxFrameSellers: kSellers, maxFrameEvents: kSellers },
    });
    try {
      const engine = server.handle.engine;
      // taken by every worker although 1 ms is less than the hand-over takes: it is bounded like a drain
      // (engine #switchConfig); bounded by the new query timeout it failed with a 500
      const patched = await postJson(server.base, '/config', { patch: { shard: { queryTimeoutMs: kQueryTimeoutMs } }, reason: 'a query timeout no drain can meet' });
      expect(patched.status).toBe(201);
      expect(engine.config.shard.queryTimeoutMs).toBe(kQueryTimeoutMs);
      const result = new IngestResult();
      const now = Date.now();
      for (const batch of [0, 1]) {
        engine.ingestColumnar(kOperatorTenantId, {
          sellerIds: Array.from({ length: kSellers }, (_, i) => `drain-${batch}-${i}`),
          sellerIndex: Uint32Array.from({ length: kSellers }, (_, i) => i),
          timestamps: new Float64Array(kSellers).fill(now),
          typeNames: ['CLICK'], types: new Uint8Array(kSellers), values: new Float64Array(kSellers).fill(1), length: kSellers,
        }, now, result);
        expect(result.accepted).toBe(kSellers);
      }
      const started = performance.now();
      await engine.drain();
      const tookMs = performance.now() - started;
      // the count, asked with a timeout of its own (engine.stats() has the query timeout)
      const stats = await Promise.all(engine.shards.map((s) => s.request<{ folded: number }>({ op: 'stats' }, 10_000)));
      const folded = stats.reduce((a, s) => a + s.folded, 0);
      expect(folded).toBe(2 * kSellers);
      // the drain took longer than a query may (the check that the test means something): it was not
      // cut off by the query timeout
      expect(tookMs).toBeGreaterThan(kQueryTimeoutMs);
      // the shutdown snapshot's slices are requests bounded by the query timeout: give them the default back
      expect((await postJson(server.base, '/config', { patch: { shard: { queryTimeoutMs: kDefaultQueryTimeoutMs } }, reason: 'back to the default' })).status).toBe(201);
    } finally {
      await server.close();
    }
  });
});
