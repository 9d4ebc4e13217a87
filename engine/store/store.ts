/** The one LMDB environment under the data dir, and its named databases (see ./schema.ts). */
import { open, type Database, type Key, type RootDatabase } from 'lmdb';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { InsightRecord } from '../insights/insight-record.js';
import type { AlertRecord } from '../alerts/alert-record.js';
import type { AttemptRecord, DeliveryRecord, WebhookRecord } from '../delivery/delivery-record.js';
import { kDb, type StoredReport, type StoredSketch, type ApiKeyRecord, type AuditRecord, type ConfigVersionRecord, type DirectoryRecord, type TenantRecord } from './schema.js';

export class Store {
  readonly root: RootDatabase;
  readonly configVersions: Database<ConfigVersionRecord, number>;
  readonly configAudit: Database<AuditRecord, [number, number]>;
  readonly meta: Database<unknown, string>;
  readonly ringSnapshots: Database<Uint8Array, string>;
  readonly directory: Database<DirectoryRecord, string>;
  readonly tenants: Database<TenantRecord, string>;
  readonly apiKeys: Database<ApiKeyRecord, string>;
  readonly keyIndex: Database<string, string>;
  readonly insights: Database<InsightRecord, string>;
  readonly insightIndex: Database<string, Key[]>;
  readonly alerts: Database<AlertRecord, string>;
  readonly alertIndex: Database<string, Key[]>;
  readonly rollupSketches: Database<StoredSketch, Key[]>;
  readonly weeklyReports: Database<StoredReport, Key[]>;
  readonly webhooks: Database<WebhookRecord, string>;
  readonly deliveries: Database<DeliveryRecord, string>;
  readonly deliveryDue: Database<string, Key[]>;
  readonly deliveryIndex: Database<string, Key[]>;
  readonly deliveryAttempts: Database<AttemptRecord, Key[]>;
  readonly path: string;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.path = join(dataDir, 'sellerpulse.lmdb');
    this.root = open({ path: this.path, maxDbs: 32 });
    this.configVersions = this.root.openDB({ name: kDb.configVersions, encoding: 'msgpack' });
    this.configAudit = this.root.openDB({ name: kDb.configAudit, encoding: 'msgpack' });
    this.meta = this.root.openDB({ name: kDb.meta, encoding: 'msgpack' });
    this.ringSnapshots = this.root.openDB({ name: kDb.ringSnapshots, encoding: 'binary' });
    this.directory = this.root.openDB({ name: kDb.directory, encoding: 'msgpack' });
    this.tenants = this.root.openDB({ name: kDb.tenants, encoding: 'msgpack' });
    this.apiKeys = this.root.openDB({ name: kDb.apiKeys, encoding: 'msgpack' });
    this.keyIndex = this.root.openDB({ name: kDb.keyIndex, encoding: 'msgpack' });
    this.insights = this.root.openDB({ name: kDb.insights, encoding: 'msgpack' });
    this.insightIndex = this.root.openDB<string, Key[]>({ name: kDb.insightIndex, encoding: 'msgpack' });
    this.alerts = this.root.openDB({ name: kDb.alerts, encoding: 'msgpack' });
    this.alertIndex = this.root.openDB<string, Key[]>({ name: kDb.alertIndex, encoding: 'msgpack' });
    this.rollupSketches = this.root.openDB<StoredSketch, Key[]>({ name: kDb.rollupSketches, encoding: 'msgpack' });
    this.weeklyReports = this.root.openDB<StoredReport, Key[]>({ name: kDb.weeklyReports, encoding: 'msgpack' });
    this.webhooks = this.root.openDB({ name: kDb.webhooks, encoding: 'msgpack' });
    this.deliveries = this.root.openDB({ name: kDb.deliveries, encoding: 'msgpack' });
    this.deliveryDue = this.root.openDB<string, Key[]>({ name: kDb.deliveryDue, encoding: 'msgpack' });
    this.deliveryIndex = this.root.openDB<string, Key[]>({ name: kDb.deliveryIndex, encoding: 'msgpack' });
    this.deliveryAttempts = this.root.openDB<AttemptRecord, Key[]>({ name: kDb.deliveryAttempts, encoding: 'msgpack' });
  }

  async close(): Promise<void> {
    await this.root.close();
  }
}
