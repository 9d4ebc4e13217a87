/**
 * Retention decay, run on the piscina pool (DESIGN §1: stateless heavy jobs). It opens the same
 * LMDB environment from the pool thread and works in two steps so that no acknowledged event is
 * ever lost: `scan` lists the records whose expiresAt has passed; the main thread forgets those
 * sellers (new events then get a fresh directory entry); `delete` removes the listed records, each
 * only if it is still expired — a fresh entry written in between is left alone — and every expired
 * weekly report and hourly value sketch (records nothing else points at). Alerts, insights and
 * webhook deliveries carry expiresAt too but sit in per-tenant indexes: not swept yet.
 */
import { open, type Key } from 'lmdb';
import { join } from 'node:path';
import { kDb, ringSnapshotExpiresAt } from '../store/schema.js';
import { lowerPoolThreadPriority } from '../pool-thread-priority.js';

lowerPoolThreadPriority();

export interface DecayTask {
  step: 'scan' | 'delete';
  dataDir: string;
  now: number;
  /** For delete: the sellers the scan found. */
  sellers?: string[];
}

export interface DecayResult {
  sellers: string[];
  removed: { ringSnapshots: number; directory: number; weeklyReports: number; rollupSketches: number };
}

interface Expiring {
  expiresAt: number | null;
}

export default async function decay(task: DecayTask): Promise<DecayResult> {
  const root = open({ path: join(task.dataDir, 'sellerpulse.lmdb'), maxDbs: 16 });
  try {
    const snapshots = root.openDB<Uint8Array, string>({ name: kDb.ringSnapshots, encoding: 'binary' });
    const directory = root.openDB<Expiring, string>({ name: kDb.directory, encoding: 'msgpack' });
    const expired = (v: Expiring | undefined) => v !== undefined && v.expiresAt !== null && v.expiresAt <= task.now;
    const snapshotExpired = (v: Uint8Array | undefined) => v !== undefined && ringSnapshotExpiresAt(v) <= task.now;
    if (task.step === 'scan') {
      const sellers = new Set<string>();
      for (const { key, value } of directory.getRange()) if (expired(value)) sellers.add(key);
      for (const { key, value } of snapshots.getRange()) if (snapshotExpired(value)) sellers.add(key);
      return { sellers: [...sellers].sort(), removed: { ringSnapshots: 0, directory: 0, weeklyReports: 0, rollupSketches: 0 } };
    }
    const removed = { ringSnapshots: 0, directory: 0, weeklyReports: 0, rollupSketches: 0 };
    const unreferenced = (['weeklyReports', 'rollupSketches'] as const).map((name) => {
      const db = root.openDB<Expiring, Key[]>({ name: kDb[name], encoding: 'msgpack' });
      return { name, db, due: [...db.getRange()].filter((e) => expired(e.value)).map((e) => e.key) };
    });
    await root.transaction(() => {
      for (const id of task.sellers ?? []) {
        if (snapshotExpired(snapshots.get(id))) {
          snapshots.remove(id);
          removed.ringSnapshots++;
        }
        if (expired(directory.get(id))) {
          directory.remove(id);
          removed.directory++;
        }
      }
      for (const { name, db, due } of unreferenced) {
        for (const key of due) {
          if (expired(db.get(key))) {
            db.remove(key);
            removed[name]++;
          }
        }
      }
    });
    return { sellers: task.sellers ?? [], removed };
  } finally {
    await root.close();
  }
}
