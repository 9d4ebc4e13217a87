/**
 * Acceptance (issue: store): versions, audit and rollback round-trip; an invalid patch gets a
 * field-level problem and the current version stays in force; results before and after a change
 * name the right version; concurrent patches never lose one; workers switch without restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, postJson, getJson, type TestServer } from '../helpers/server.js';

describe('versioned config', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  it('starts at version 1, written by boot', async () => {
    const v = await getJson(server.base, '/config/version/1');
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({ id: 1, author: 'boot', reason: 'initial configuration', restores: null });
    expect(v.body.config.events.futureSkewMs).toBe(server.config.events.futureSkewMs);
  });

  it('applies a patch live: new version, audit entry, workers and guard switch, results name it', async () => {
    const now = Date.now();
    const inAMinute = { sellerId: 'cfg-1', timestamp: now + 60_000, type: 'CLICK' };
    expect((await postJson(server.base, '/events', inAMinute)).status).toBe(202);
    const before = await getJson(server.base, '/metrics/cfg-1/series?type=CLICK&resolution=1m');
    expect(before.body.configVersion).toBe(1);

    const r = await postJson(server.base, '/config', { patch: { events: { futureSkewMs: 1000 } }, reason: 'tighter clock skew', author: 'ops-anna', expectedVersion: 1 });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ id: 2, author: 'ops-anna', reason: 'tighter clock skew', diff: [{ path: '/events/futureSkewMs', from: 300000, to: 1000 }] });
    expect(typeof r.body.effectiveSince).toBe('number');

    // the guard switched: a minute ahead is now too far
    const refused = await postJson(server.base, '/events', { ...inAMinute, timestamp: Date.now() + 60_000 });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].path).toBe('/timestamp');
    // every worker runs on the new version
    for (const s of await server.handle.engine.stats()) expect(s.configVersion).toBe(2);
    const after = await getJson(server.base, '/metrics/cfg-1/series?type=CLICK&resolution=1m');
    expect(after.body.configVersion).toBe(2);
    expect(after.body.totals.count).toBe(1);

    const audit = await getJson(server.base, '/config/audit?limit=10');
    expect(audit.body.items[0]).toMatchObject({ action: 'create', version: 2, author: 'ops-anna', reason: 'tighter clock skew' });
  });

  it('refuses an invalid patch field by field and keeps the current version', async () => {
    const current = (await getJson(server.base, '/config')).body.id;
    const r = await postJson(server.base, '/config', { patch: { events: { futureSkewMs: -5, maxValue: 'lots' } }, reason: 'bad' });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    const paths = r.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toContain('/patch/events/futureSkewMs');
    expect(paths).toContain('/patch/events/maxValue');
    expect((await getJson(server.base, '/config')).body.id).toBe(current);
    const missingReason = await postJson(server.base, '/config', { patch: {} });
    expect(missingReason.status).toBe(400);
    expect(missingReason.body.errors[0].path).toBe('/reason');
    const audit = await getJson(server.base, '/config/audit?limit=1');
    expect(audit.body.items[0]).toMatchObject({ action: 'refused', version: null, reason: 'bad' });
  });

  it('refuses a change that cannot apply live, with the reason', async () => {
    const r = await postJson(server.base, '/config', { patch: { rings: { resolutions: [{ name: '1s', bucketMs: 1000, window: 2048 }, { name: '1m', bucketMs: 60_000, window: 1440 }, { name: '1h', bucketMs: 3_600_000, window: 2160 }] } }, reason: 'longer 1 s ring' });
    expect(r.status).toBe(409);
    expect(r.body.type).toBe('/problems/config_not_live');
    expect(r.body.errors[0]).toMatchObject({ path: '/patch/rings/resolutions' });
    expect(r.body.errors[0].message).toContain('restart');
  });

  it('refuses a stale expectedVersion (compare-and-set)', async () => {
    const r = await postJson(server.base, '/config', { patch: { queue: { retryAfterMs: 75 } }, reason: 'stale', expectedVersion: 1 });
    expect(r.status).toBe(409);
    expect(r.body.type).toBe('/problems/config_conflict');
    expect(r.body.currentVersion).toBeGreaterThan(1);
  });

  it('never loses one of many concurrent patches', async () => {
    const start = (await getJson(server.base, '/config')).body.id;
    const patches = Array.from({ length: 12 }, (_, i) => ({ patch: { limits: { maxFrameSellers: 1000 + i } }, reason: `concurrent ${i}` }));
    const results = await Promise.all(patches.map((p) => postJson(server.base, '/config', p)));
    expect(results.every((r) => r.status === 201)).toBe(true);
    const ids = results.map((r) => r.body.id).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 12 }, (_, i) => start + 1 + i));
    const list = await getJson(server.base, '/config/versions?limit=12');
    expect(new Set(list.body.items.map((v: { reason: string }) => v.reason))).toEqual(new Set(patches.map((p) => p.reason)));
  });

  it('rolls back: a new version equal to the old one; paginates versions', async () => {
    const r = await postJson(server.base, '/config/rollback/1', { reason: 'back to defaults', author: 'ops-anna' });
    expect(r.status).toBe(201);
    expect(r.body.restores).toBe(1);
    const v1 = (await getJson(server.base, '/config/version/1')).body.config;
    expect(r.body.config).toEqual(v1);
    expect((await getJson(server.base, '/config')).body.config.events.futureSkewMs).toBe(v1.events.futureSkewMs);
    for (const s of await server.handle.engine.stats()) expect(s.configVersion).toBe(r.body.id);

    const seen: number[] = [];
    let cursor: number | null = null;
    do {
      const page: { body: { items: { id: number }[]; nextCursor: number | null } } = await getJson(server.base, `/config/versions?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items.map((v) => v.id));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(Array.from({ length: r.body.id }, (_, i) => r.body.id - i));
    expect((await getJson(server.base, '/config/version/999')).status).toBe(404);
    expect((await postJson(server.base, '/config/rollback/999', {})).status).toBe(404);
  });
});
