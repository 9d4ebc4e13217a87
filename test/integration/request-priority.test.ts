/**
 * Shard workers fold at shard.workerNice and handle requests at shard.requestNice (the main thread
 * raises a worker before posting one; engine/shard/request-priority.ts). Through the real server:
 * the real shard worker threads sit at workerNice when idle, after a burst of concurrent analyses
 * and series reads (all answered) and after a snapshot, having stepped back each time; with requestNice
 * not above workerNice nothing is raised. A server that may not raise a priority (run here without
 * CAP_SYS_NICE) keeps its workers at workerNice and logs why, once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { startTestServer, postJson, getJson, type TestServer } from '../helpers/server.js';
import { startChildServer, logLines } from '../helpers/child-server.js';
import { mayRaisePriority } from '../helpers/thread-priority.js';

const kSellers = 24;

/** A thread's nice value from its /proc stat line (field 19). */
function procNice(statPath: string): number {
  const stat = readFileSync(statPath, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

function threadNice(threadId: number): number {
  return procNice(`/proc/self/task/${threadId}/stat`);
}

async function seedAndQuery(server: TestServer): Promise<void> {
  const now = Date.now();
  const events = [];
  for (let s = 0; s < kSellers; s++) for (let m = 1; m <= 120; m++) events.push({ sellerId: `qp-${s}`, timestamp: now - m * 60_000, type: 'SALE', value: 5 + (m % 7) });
  expect((await postJson(server.base, '/events/batch', events)).status).toBe(202);
  const answers = await Promise.all(Array.from({ length: kSellers }, (_, s) => [
    getJson(server.base, `/metrics/qp-${s}/anomalies?type=SALE&resolution=1m`),
    getJson(server.base, `/metrics/qp-${s}/series?type=SALE&resolution=1m`),
  ]).flat());
  for (const a of answers) expect(a.status).toBe(200);
}

describe('shard workers handle requests at requestNice', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it.runIf(mayRaisePriority())('raised for queries and snapshot slices, back at workerNice once they are handled', async () => {
    server = await startTestServer({ shard: { workerNice: 6, requestNice: 1 } });
    const before = await server.handle.engine.stats();
    for (const s of before) {
      expect(s.requestPriorityThreadId).toBeGreaterThan(0);
      expect(threadNice(s.requestPriorityThreadId)).toBe(6);
    }
    const lowered = before.map((s) => s.loweredAfterRequests);
    await seedAndQuery(server);
    const afterQueries = await server.handle.engine.stats();
    await server.handle.persistence.snapshot();
    const afterSnapshot = await server.handle.engine.stats();
    // every shard got queries (24 sellers over the shards), then snapshot slices, and stepped back after each
    afterQueries.forEach((s, i) => {
      expect(s.loweredAfterRequests).toBeGreaterThan(lowered[i]);
      expect(threadNice(s.requestPriorityThreadId)).toBe(6);
      expect(afterSnapshot[i].loweredAfterRequests).toBeGreaterThan(s.loweredAfterRequests);
      expect(threadNice(afterSnapshot[i].requestPriorityThreadId)).toBe(6);
    });
  });

  it.runIf(mayRaisePriority())('a worker restarted with requests in flight starts from none waiting', async () => {
    server = await startTestServer({ shards: 2, shard: { workerNice: 6, requestNice: 1, restartDelayMs: 10 } });
    await seedAndQuery(server);
    const shard0 = server.handle.engine.shards[0];
    const before = (await server.handle.engine.stats())[0].requestPriorityThreadId;
    // analyses posted and not answered when the worker goes away: their count must not outlive it
    const inFlight = Array.from({ length: 50 }, () => shard0.request({ op: 'analyse', kind: 'anomaly', slot: 0, type: 0, resolution: 1, metric: 'count', horizon: 0, from: null, to: null }).then(() => 'answered', () => 'failed'));
    await new Promise((resolve) => setImmediate(resolve));
    await shard0.worker!.terminate();
    expect(await Promise.all(inFlight)).toContain('failed');
    await seedAndQuery(server);
    const after = (await server.handle.engine.stats())[0];
    expect(shard0.restarts).toBe(1);
    expect(after.requestPriorityThreadId).not.toBe(before);
    expect(after.loweredAfterRequests).toBeGreaterThan(0);
    expect(threadNice(after.requestPriorityThreadId)).toBe(6);
  });

  it('off when requestNice is not above workerNice: workers stay at workerNice', async () => {
    server = await startTestServer({ shard: { workerNice: 6, requestNice: 6 } });
    await seedAndQuery(server);
    for (const s of await server.handle.engine.stats()) expect(s).toMatchObject({ requestPriorityThreadId: 0, loweredAfterRequests: 0 });
  });

  it('refuses a live change of either nice value (workers set them at start), with the reason', async () => {
    server = await startTestServer();
    for (const key of ['requestNice', 'workerNice']) {
      const r = await postJson(server.base, '/config', { patch: { shard: { [key]: 3 } }, reason: 'retune' });
      expect(r.status).toBe(409);
      expect(r.body.type).toBe('/problems/config_not_live');
      expect(r.body.errors[0]).toMatchObject({ path: `/patch/shard/${key}` });
      expect(r.body.errors[0].message).toContain('restart');
    }
  });

  // as root here: the server runs without CAP_SYS_NICE (setpriv drops it from the bounding set); elsewhere
  // (no permission to begin with) it runs as it is
  const kDropSysNice = ['setpriv', '--bounding-set', '-sys_nice'];
  const canDrop = existsSync('/usr/bin/setpriv');
  it.runIf(!mayRaisePriority() || canDrop)('where raising is not permitted: workers stay at workerNice, and the log says why once', async () => {
    const child = await startChildServer({ SELLERPULSE_SHARDS: '2', SELLERPULSE_LOG_LEVEL: 'warn' }, mayRaisePriority() ? kDropSysNice : []);
    try {
      const now = Date.now();
      const events = Array.from({ length: 60 }, (_, m) => ({ sellerId: 'qp-refused', timestamp: now - (m + 1) * 60_000, type: 'SALE', value: 3 }));
      expect((await postJson(child.base, '/events/batch', events)).status).toBe(202);
      expect((await getJson(child.base, '/metrics/qp-refused/anomalies?type=SALE&resolution=1m')).status).toBe(200);
      const warnings = logLines(child.stdout()).filter((l) => String(l.msg).includes('may not raise a thread'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ workerNice: 5, requestNice: 0 });
      // the two shard workers are still at workerNice after the query (pool threads, if any, at pool.threadNice)
      const nices = readdirSync(`/proc/${child.proc.pid}/task`).map((tid) => procNice(`/proc/${child.proc.pid}/task/${tid}/stat`));
      expect(nices.filter((n) => n === 5)).toHaveLength(2);
    } finally {
      child.proc.kill('SIGTERM');
      await child.exited;
    }
  });
});
