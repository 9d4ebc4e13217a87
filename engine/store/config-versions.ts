/**
 * Versioned, audited configuration in LMDB (DESIGN §7) — the ConfigSource the engine runs on.
 * Every change is a new version {id, effectiveSince, author, reason, config, diff} written with its
 * audit entry in one transaction; a patch names the version it was made against (compare-and-set)
 * or is applied to whatever is current inside the transaction, so no concurrent change is lost.
 * Process settings (server, dataDir, log) come from the boot config on every start and are never
 * versioned; other changes to the boot config (file or environment) since the last start become a
 * version authored "boot".
 */
import {
  mergeConfig, validateConfig, diffConfig, refusedLiveChanges, ConfigError,
  type Config, type ConfigSource, type ConfigVersion, type ConfigListener, type ConfigDiffEntry, type RefusedChange,
} from '../../config/index.js';
import type { Store } from './store.js';
import { kMetaBootConfig, kMetaAuditSeq, type AuditAction, type AuditRecord, type ConfigVersionRecord } from './schema.js';

export class ConfigConflictError extends Error {
  constructor(readonly expected: number, readonly current: number) {
    super(`the change was made against version ${expected} but version ${current} is current`);
  }
}

export class ConfigNotLiveError extends Error {
  constructor(readonly refused: RefusedChange[]) {
    super('the change touches settings that cannot change while the server runs');
  }
}

export class ConfigVersionNotFoundError extends Error {}

export interface ChangeRequest {
  author: string;
  reason: string;
  /** Compare-and-set: refuse unless this version is current. */
  expectedVersion?: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: number | null;
}

const kProcessSettings = ['server', 'dataDir', 'log'] as const;

function withoutProcessSettings(config: Readonly<Config>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  for (const k of kProcessSettings) delete out[k];
  return out;
}

export class VersionedConfigStore implements ConfigSource {
  readonly #store: Store;
  readonly #listeners = new Set<ConfigListener>();
  readonly #now: () => number;
  #current!: ConfigVersion;
  #boot!: Readonly<Config>;

  private constructor(store: Store, now: () => number) {
    this.#store = store;
    this.#now = now;
  }

  /** Opens the history; writes version 1, or a "boot" version when the boot config changed. */
  static open(store: Store, bootConfig: Readonly<Config>, now: () => number = Date.now): VersionedConfigStore {
    const self = new VersionedConfigStore(store, now);
    self.#boot = bootConfig;
    const latest = self.#latest();
    if (latest === undefined) {
      self.#write('create', bootConfig, diffConfig({}, withoutProcessSettings(bootConfig)), { author: 'boot', reason: 'initial configuration' }, null);
    } else {
      const lastBoot = store.meta.get(kMetaBootConfig) as Config | undefined;
      const changed = diffConfig(withoutProcessSettings(lastBoot ?? latest.config), withoutProcessSettings(bootConfig));
      const effective = self.#withProcessSettings(latest.config);
      self.#current = Object.freeze({ id: latest.id, config: effective });
      if (changed.length > 0) {
        const patch = {} as Record<string, unknown>;
        for (const d of changed) setPath(patch, d.path, d.to);
        const next = self.#withProcessSettings(mergeConfig(latest.config, patch) as Config);
        self.#write('boot', next, diffConfig(withoutProcessSettings(latest.config), withoutProcessSettings(next)),
          { author: 'boot', reason: 'SELLERPULSE_CONFIG or environment changed since the last start' }, null);
      }
    }
    store.meta.putSync(kMetaBootConfig, bootConfig);
    return self;
  }

  current(): ConfigVersion {
    return this.#current;
  }

  subscribe(listener: ConfigListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #withProcessSettings(config: Readonly<Config>): Readonly<Config> {
    return this.#validate({ ...config, server: this.#boot.server, dataDir: this.#boot.dataDir, log: this.#boot.log });
  }

  #validate(candidate: unknown): Readonly<Config> {
    return validateConfig(candidate, 'config change');
  }

  #latest(): ConfigVersionRecord | undefined {
    for (const { value } of this.#store.configVersions.getRange({ reverse: true, limit: 1 })) return value;
    return undefined;
  }

  #nextAuditSeq(): number {
    const seq = ((this.#store.meta.get(kMetaAuditSeq) as number | undefined) ?? 0) + 1;
    this.#store.meta.putSync(kMetaAuditSeq, seq);
    return seq;
  }

  #audit(action: AuditAction, version: number | null, req: ChangeRequest, diff: ConfigDiffEntry[], errors: { path: string; message: string }[]): void {
    const at = this.#now();
    const seq = this.#nextAuditSeq();
    const record: AuditRecord = { at, seq, action, version, author: req.author, reason: req.reason, diff, errors, expiresAt: null };
    this.#store.configAudit.putSync([at, seq], record);
  }

  /** Writes a version and its audit entry in one transaction; makes it current. */
  #write(action: AuditAction, config: Readonly<Config>, diff: ConfigDiffEntry[], req: ChangeRequest, restores: number | null): ConfigVersionRecord {
    const record = this.#store.root.transactionSync(() => {
      const id = (this.#latest()?.id ?? 0) + 1;
      const rec: ConfigVersionRecord = {
        id, effectiveSince: this.#now(), author: req.author, reason: req.reason,
        config: withoutProcessSettings(config) as unknown as Config, diff, restores, expiresAt: null,
      };
      this.#store.configVersions.putSync(id, rec);
      this.#audit(action, id, req, diff, []);
      return rec;
    });
    this.#current = Object.freeze({ id: record.id, config: this.#withProcessSettings(config) });
    return record;
  }

  async #publish(): Promise<void> {
    await Promise.all([...this.#listeners].map((l) => l(this.#current)));
  }

  /** Applies a partial patch. Throws ConfigError (field problems), ConfigConflictError or ConfigNotLiveError. */
  async apply(patch: unknown, req: ChangeRequest): Promise<ConfigVersionRecord> {
    // validation, CAS and write run synchronously: no other change can slip in between (one process,
    // one thread); a refusal is audited in its own transaction
    if (req.expectedVersion !== undefined && req.expectedVersion !== this.#current.id) {
      const err = new ConfigConflictError(req.expectedVersion, this.#current.id);
      this.#auditRefusal(req, [], [{ path: '/expectedVersion', message: err.message }]);
      throw err;
    }
    const record = this.#change('create', mergeConfig(this.#current.config, patch), req, null);
    await this.#publish();
    return record;
  }

  /** A new version whose config equals version `id`. */
  async rollback(id: number, req: ChangeRequest): Promise<ConfigVersionRecord> {
    const target = this.#store.configVersions.get(id);
    if (!target) throw new ConfigVersionNotFoundError(`no config version ${id}`);
    const record = this.#change('rollback', target.config, req, id);
    await this.#publish();
    return record;
  }

  #auditRefusal(req: ChangeRequest, diff: ConfigDiffEntry[], errors: { path: string; message: string }[]): void {
    this.#store.root.transactionSync(() => this.#audit('refused', null, req, diff, errors));
  }

  #change(action: AuditAction, candidate: unknown, req: ChangeRequest, restores: number | null): ConfigVersionRecord {
    const current = this.#current;
    let next: Readonly<Config>;
    try {
      next = this.#validate({ ...(candidate as object), server: this.#boot.server, dataDir: this.#boot.dataDir, log: this.#boot.log });
    } catch (err) {
      if (err instanceof ConfigError) this.#auditRefusal(req, [], err.issues);
      throw err;
    }
    const diff = diffConfig(withoutProcessSettings(current.config), withoutProcessSettings(next));
    const refused = refusedLiveChanges(diff);
    if (refused.length > 0) {
      this.#auditRefusal(req, diff, refused);
      throw new ConfigNotLiveError(refused);
    }
    return this.#write(action, next, diff, req, restores);
  }

  get(id: number): ConfigVersionRecord | undefined {
    return this.#store.configVersions.get(id);
  }

  /** Newest first; `before` is the cursor (a version id). */
  list(limit: number, before?: number): Page<Omit<ConfigVersionRecord, 'config'>> {
    const items: Omit<ConfigVersionRecord, 'config'>[] = [];
    for (const { value } of this.#store.configVersions.getRange({ reverse: true, start: before === undefined ? undefined : before - 1, limit: limit + 1 })) {
      const { config: _config, ...rest } = value;
      items.push(rest);
    }
    const more = items.length > limit;
    if (more) items.length = limit;
    return { items, nextCursor: more ? items[items.length - 1].id : null };
  }

  /** Newest first within [from, to]; `before` is the cursor (an audit seq). */
  audit(limit: number, from = 0, to = Number.MAX_SAFE_INTEGER, before?: number): Page<AuditRecord> {
    const items: AuditRecord[] = [];
    for (const { value } of this.#store.configAudit.getRange({ reverse: true, start: [to, Number.MAX_SAFE_INTEGER], end: [from, 0] })) {
      if (before !== undefined && value.seq >= before) continue;
      items.push(value);
      if (items.length > limit) break;
    }
    const more = items.length > limit;
    if (more) items.length = limit;
    return { items, nextCursor: more ? items[items.length - 1].seq : null };
  }
}

function setPath(target: Record<string, unknown>, pointer: string, value: unknown): void {
  const parts = pointer.split('/').slice(1);
  let node = target;
  for (let i = 0; i < parts.length - 1; i++) {
    node = (node[parts[i]] ??= {}) as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}
