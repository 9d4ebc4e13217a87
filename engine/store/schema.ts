/**
 * Everything the LMDB store holds: database names, key shapes and record types, in one place.
 *
 *   db                 key                         value (msgpack)
 *   config-versions    version id (uint)           ConfigVersionRecord
 *   config-audit       [atMs, seq]                 AuditRecord
 *   meta               string                      boot config, snapshot positions, …
 *   ring-snapshots     sellerId (string)           binary: f64 expiresAt, then the ring-snapshot.ts format
 *   seller-directory   sellerKey (string)          DirectoryRecord: location (shard × 2^24 + slot) in the current layout
 *   tenants            tenant id (string)          TenantRecord
 *   api-keys           key id (string)             ApiKeyRecord (the key itself only as its HMAC)
 *   key-index          HMAC hex (string)           key id
 *   insights           insight id (string)         InsightRecord (engine/insights/insight-record.ts)
 *   insight-index      [tenant, seller, createdAt, id]   insight id (per-seller listing, newest first)
 *   alerts             alert id (string)           AlertRecord (engine/alerts/alert-record.ts)
 *   alert-index        [tenant, createdAt, id]     alert id (per-tenant listing, newest first)
 *   rollup-sketches    [sellerKey, type, hourStart] StoredSketch: a serialized quantile sketch of that hour's values
 *   weekly-reports     [tenant, seller, weekStart]  StoredReport (engine/weekly/weekly-task.ts)
 *   webhooks           webhook id (string)         WebhookRecord (engine/delivery/delivery-record.ts; secret sealed)
 *   deliveries         delivery id (string)        DeliveryRecord (one per webhook per event)
 *   delivery-due       [nextAttemptAt, id]         tenant id (pending deliveries only, soonest first)
 *   delivery-index     [webhook, createdAt, id]    delivery id (per-webhook log, newest first)
 *   delivery-attempts  [delivery id, attempt]      AttemptRecord
 *
 * A sellerKey is `<tenant id>/<seller id>` (tenant ids never hold a '/'), so tenants' sellers never mix.
 *
 * Every record carries an explicit `expiresAt` (epoch ms) or null for records kept for good (the
 * config history and its audit trail). The retention job deletes records whose expiresAt passed.
 */
import type { Config, ConfigDiffEntry } from '../../config/index.js';

export const kDb = {
  configVersions: 'config-versions',
  configAudit: 'config-audit',
  meta: 'meta',
  ringSnapshots: 'ring-snapshots',
  directory: 'seller-directory',
  tenants: 'tenants',
  apiKeys: 'api-keys',
  keyIndex: 'key-index',
  insights: 'insights',
  insightIndex: 'insight-index',
  alerts: 'alerts',
  alertIndex: 'alert-index',
  webhooks: 'webhooks',
  deliveries: 'deliveries',
  deliveryDue: 'delivery-due',
  deliveryIndex: 'delivery-index',
  deliveryAttempts: 'delivery-attempts',
  rollupSketches: 'rollup-sketches',
  weeklyReports: 'weekly-reports',
} as const;

export type TierName = 'basic' | 'premium' | 'enterprise';
export type TenantStatus = 'active' | 'suspended';

export interface TenantRecord {
  id: string;
  name: string;
  tier: TierName;
  status: TenantStatus;
  createdAt: number;
  updatedAt: number;
}

export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  name: string;
  scopes: string[];
  /** The first characters of the key, for recognising it in lists; not enough to use it. */
  prefix: string;
  /** HMAC-SHA256 of the key under the server secret (hex). */
  hash: string;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

export const kMetaBootConfig = 'boot-config';
export const kMetaAuditSeq = 'audit-seq';
export const kMetaLayout = 'layout';

/** Which ring layout and logs the stored snapshots belong to. */
export interface LayoutRecord {
  /** Incremented at every start and reshard; log files carry it in their names. */
  epoch: number;
  shards: number;
  /** RingGeometry.signature(): snapshots restore only into the same layout. */
  signature: string;
  /** Per shard: the first log generation not covered by the snapshots. */
  generations: number[];
}

export interface DirectoryRecord {
  location: number;
  /** Like the seller's snapshot: its newest data (or its arrival) + the retention period. */
  expiresAt: number;
}

/**
 * A stored ring snapshot, binary (no per-seller encoding work): a header of three little-endian
 * float64 — expiresAt (the newest event time it holds + the retention period), and the log epoch
 * and generation it was taken at (it covers every log record of that epoch before that generation:
 * a restore replays only later records for this seller) — then the Float64Array of ring-snapshot.ts.
 */
export const kSnapshotHeaderF64 = 3;

export interface RingSnapshotHeader {
  expiresAt: number;
  epoch: number;
  generation: number;
}

/**
 * A stored ring snapshot record in place: the header goes into the kSnapshotHeaderF64 float64s that
 * the shard left free before the blob in `data` (at `at`), and the record is a view of
 * data[at .. end) — no copy on the main thread.
 */
export function sealRingSnapshot(header: RingSnapshotHeader, data: Float64Array, at: number, end: number): Uint8Array {
  data[at] = header.expiresAt;
  data[at + 1] = header.epoch;
  data[at + 2] = header.generation;
  return new Uint8Array(data.buffer, data.byteOffset + at * Float64Array.BYTES_PER_ELEMENT, (end - at) * Float64Array.BYTES_PER_ELEMENT);
}

export function ringSnapshotHeader(bytes: Uint8Array): RingSnapshotHeader {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { expiresAt: v.getFloat64(0, true), epoch: v.getFloat64(8, true), generation: v.getFloat64(16, true) };
}

export function ringSnapshotExpiresAt(bytes: Uint8Array): number {
  return ringSnapshotHeader(bytes).expiresAt;
}

export function decodeRingSnapshot(bytes: Uint8Array): Float64Array {
  const all = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(all.buffer).set(bytes);
  return all.subarray(kSnapshotHeaderF64);
}
export interface ConfigVersionRecord {
  id: number;
  effectiveSince: number;
  author: string;
  reason: string;
  config: Config;
  diff: ConfigDiffEntry[];
  /** Rollback: the version this one restores. */
  restores: number | null;
  expiresAt: null;
}

export type AuditAction = 'create' | 'rollback' | 'boot' | 'refused';

export interface AuditRecord {
  at: number;
  seq: number;
  action: AuditAction;
  version: number | null;
  author: string;
  reason: string;
  diff: ConfigDiffEntry[];
  /** For refused changes: why. */
  errors: { path: string; message: string }[];
  expiresAt: null;
}

/** One hour's quantile sketch of a seller's event values (engine/rollup/quantile-sketch.ts format). */
export interface StoredSketch {
  expiresAt: number;
  bytes: Uint8Array;
}

/** A generated report, kept under retention. */
export interface StoredReport {
  expiresAt: number;
  report: unknown;
}
