/**
 * Acceptance (issue: store, retention): with an injected clock, records past expiresAt are gone
 * after the decay job (run on the piscina pool) and nothing younger is touched; an expired seller
 * that comes back starts afresh and is kept.
 */
import { describe, expect, it } from 'vitest';
import { startTestServer, postJson, getJson, authHeaders } from '../helpers/server.js';
import { ringSnapshotExpiresAt } from '../../dist/engine/store/schema.js';

const kDay = 86_400_000;

describe('retention decay', () => {
  it('removes what expired, keeps what did not, reports what it removed', async () => {
    let clock = Date.now();
    const server = await startTestServer({}, undefined, () => clock);
    try {
      const now = Date.now();
      // retention follows the tenant's tier: a basic tenant keeps 30 days
      const tenant = (await postJson(server.base, '/tenants', { name: 'shop', tier: 'basic' })).body;
      const key = (await postJson(server.base, `/tenants/${tenant.id}/keys`, { name: 'k', scopes: ['ingest', 'read'] })).body.key;
      const t = (id: string) => `${tenant.id}/${id}`;
      const r = await postJson(server.base, '/events/batch', [
        { sellerId: 'old-1', timestamp: now - 20 * kDay, type: 'VIEW' },
        { sellerId: 'old-2', timestamp: now - 25 * kDay, type: 'SALE', value: 3 },
        { sellerId: 'young-1', timestamp: now - 2 * kDay, type: 'VIEW' },
        { sellerId: 'young-2', timestamp: now, type: 'CLICK' },
      ], undefined, key);
      // the operator tenant (enterprise) keeps a year
      expect((await postJson(server.base, '/events', { sellerId: 'old-1', timestamp: now - 20 * kDay, type: 'VIEW' })).status).toBe(202);
      expect(r.body.accepted).toBe(4);
      await server.handle.persistence.snapshot();
      const store = server.handle.store;
      const stored = () => [...store.ringSnapshots.getKeys()].sort();
      expect(stored()).toEqual(['default/old-1', t('old-1'), t('old-2'), t('young-1'), t('young-2')].sort());
      const expiry = (id: string) => ringSnapshotExpiresAt(store.ringSnapshots.get(id)!);
      // explicit expiresAt: the newest data + the basic tier's 30 days
      expect(expiry(t('old-1'))).toBeGreaterThan(now - 20 * kDay + 30 * kDay - 3_600_000);
      expect(expiry(t('old-1'))).toBeLessThanOrEqual(now - 20 * kDay + 30 * kDay + 3_600_000);
      expect(expiry('default/old-1')).toBeGreaterThan(now - 20 * kDay + 365 * kDay - 3_600_000);

      // weekly reports and hourly value sketches: removed once their own expiresAt has passed
      await store.weeklyReports.put([tenant.id, 'old-1', now - 21 * kDay], { expiresAt: now + 10 * kDay, report: { sellerId: 'old-1' } });
      await store.weeklyReports.put([tenant.id, 'young-1', now - 7 * kDay], { expiresAt: now + 20 * kDay, report: { sellerId: 'young-1' } });
      await store.rollupSketches.put([t('old-2'), 'SALE', now - 25 * kDay], { expiresAt: now + 5 * kDay, bytes: new Uint8Array([1]) });
      await store.rollupSketches.put([t('young-1'), 'SALE', now - 2 * kDay], { expiresAt: now + 28 * kDay, bytes: new Uint8Array([1]) });

      // nothing has expired yet
      let report = await server.handle.retention.run();
      expect(report.removed).toEqual({ ringSnapshots: 0, directory: 0, weeklyReports: 0, rollupSketches: 0 });
      expect(stored()).toHaveLength(5);

      clock = now + 15 * kDay; // old-1 and old-2 are past expiresAt (≤ now + 10 d), the young ones are not
      const res = await fetch(server.base + '/admin/retention/run', { method: 'POST', headers: authHeaders() });
      expect(res.status).toBe(200);
      report = (await res.json()) as typeof report;
      expect(report).toMatchObject({ sellers: 2, removed: { ringSnapshots: 2, directory: 2, weeklyReports: 1, rollupSketches: 1 } });
      expect(stored()).toEqual(['default/old-1', t('young-1'), t('young-2')].sort());
      expect([...store.weeklyReports.getKeys()].map((k) => (k as unknown[])[1])).toEqual(['young-1']);
      expect([...store.rollupSketches.getKeys()].map((k) => (k as unknown[])[0])).toEqual([t('young-1')]);
      expect([...store.directory.getKeys()].sort()).toEqual(['default/old-1', t('young-1'), t('young-2')].sort());
      expect((await getJson(server.base, '/metrics/young-1/series?type=VIEW&resolution=1h', key)).body.totals.count).toBe(1);
      expect((await getJson(server.base, '/metrics/old-1/series?type=VIEW&resolution=1h', key)).status).toBe(404);
      expect((await getJson(server.base, '/metrics/old-1/series?type=VIEW&resolution=1h')).body.totals.count).toBe(1);

      // an expired seller that comes back is a new seller, stored with a fresh expiry
      expect((await postJson(server.base, '/events', { sellerId: 'old-1', timestamp: now, type: 'VIEW' }, undefined, key)).status).toBe(202);
      expect((await getJson(server.base, '/metrics/old-1/series?type=VIEW&resolution=1h', key)).body.totals.count).toBe(1);
      report = await server.handle.retention.run();
      expect(report.removed).toEqual({ ringSnapshots: 0, directory: 0, weeklyReports: 0, rollupSketches: 0 });
      expect(store.directory.get(t('old-1'))!.expiresAt).toBeGreaterThan(clock);
    } finally {
      await server.close();
    }
  });
});
