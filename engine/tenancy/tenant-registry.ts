/**
 * Tenants and their API keys (DESIGN §8), kept in LMDB. Authentication is a map lookup for a key
 * seen before (the principal cache) and one HMAC plus one LMDB read for a new one. Principals are
 * canonical per key id, so revoking a key or suspending a tenant is seen at once by every holder —
 * open WebSockets included. Raw keys are never stored or logged: only returned once by createKey.
 */
import type { Store } from '../store/store.js';
import type { ApiKeyRecord, TenantRecord, TenantStatus, TierName } from '../store/schema.js';
import { generateKey, keyHash, kMaxKeyLength, kScopes, newId, shownPrefix, type Scope } from './api-key.js';

/** The tenant created on first start; its admin keys administer every tenant (the operator). */
export const kOperatorTenantId = 'default';

/** A key chosen by the operator must still be hard to guess. */
const kMinGivenKeyLength = 16;

export const kScopeBits: Record<Scope, number> = { ingest: 1, read: 2, admin: 4, embed: 8 };

/** An authenticated key with its tenant. Mutated in place when either changes. */
export class Principal {
  readonly key: ApiKeyRecord;
  tenant: TenantRecord;
  readonly scopeBits: number;
  revoked = false;
  /** Used since the last flush of last-used times (so touch adds it to the dirty set once). */
  usedSinceFlush = false;

  constructor(key: ApiKeyRecord, tenant: TenantRecord) {
    this.key = key;
    this.tenant = tenant;
    let bits = 0;
    for (const s of key.scopes) bits |= kScopeBits[s as Scope] ?? 0;
    this.scopeBits = bits;
  }

  get isOperator(): boolean {
    return this.tenant.id === kOperatorTenantId;
  }

  has(scope: Scope): boolean {
    return (this.scopeBits & kScopeBits[scope]) !== 0;
  }
}

export interface NewKey {
  record: ApiKeyRecord;
  /** The key itself: shown this once. */
  key: string;
}

export interface RegistryOptions {
  secret: Buffer;
  keyBytes: number;
  cacheEntries: number;
  now: () => number;
}

export class TenantRegistry {
  readonly #store: Store;
  readonly #opts: RegistryOptions;
  /** raw key → principal, for keys that authenticated (bounded; cleared when full). */
  readonly #byKey = new Map<string, Principal>();
  /** key id → principal: one object per key, shared by every cache entry and open socket. */
  readonly #principals = new Map<string, Principal>();
  readonly #lastUsedDirty = new Set<Principal>();
  /**
   * Every tenant, in memory (there are few, and their tier and status are read per snapshot seller,
   * per monitor evaluation and per new key): the store is written through, never read again.
   */
  readonly #tenants = new Map<string, TenantRecord>();

  constructor(store: Store, opts: RegistryOptions) {
    this.#store = store;
    this.#opts = opts;
    for (const { key, value } of store.tenants.getRange()) this.#tenants.set(key, value);
  }

  async #putTenant(t: TenantRecord): Promise<void> {
    await this.#store.tenants.put(t.id, t);
    this.#tenants.set(t.id, t);
  }

  /**
   * First start on an empty store: the operator tenant and an admin key with every scope — the one
   * given (SELLERPULSE_BOOTSTRAP_ADMIN_KEY) or a generated one, returned so the caller prints it once.
   */
  async bootstrap(tier: TierName, givenKey: string | undefined): Promise<string | null> {
    if (this.#tenants.has(kOperatorTenantId)) return null;
    const key = given(givenKey) ? givenKey : undefined;
    if (key !== undefined && (key.length < kMinGivenKeyLength || key.length > kMaxKeyLength)) {
      throw new Error(`SELLERPULSE_BOOTSTRAP_ADMIN_KEY must be ${kMinGivenKeyLength}–${kMaxKeyLength} characters`);
    }
    const now = this.#opts.now();
    await this.#putTenant({ id: kOperatorTenantId, name: kOperatorTenantId, tier, status: 'active', createdAt: now, updatedAt: now });
    const made = await this.createKey(kOperatorTenantId, 'bootstrap admin', [...kScopes], key);
    return key === undefined ? made.key : null;
  }

  async createTenant(name: string, tier: TierName): Promise<TenantRecord> {
    const now = this.#opts.now();
    const tenant: TenantRecord = { id: newId('t'), name, tier, status: 'active', createdAt: now, updatedAt: now };
    await this.#putTenant(tenant);
    return tenant;
  }

  tenant(id: string): TenantRecord | undefined {
    return this.#tenants.get(id);
  }

  tenants(): TenantRecord[] {
    // the store's key order (tenant ids are ASCII: code-unit order)
    return [...this.#tenants.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async patchTenant(id: string, patch: { name?: string; tier?: TierName; status?: TenantStatus }): Promise<TenantRecord | undefined> {
    const old = this.tenant(id);
    if (old === undefined) return undefined;
    const updated: TenantRecord = { ...old, ...patch, updatedAt: this.#opts.now() };
    await this.#putTenant(updated);
    for (const p of this.#principals.values()) if (p.tenant.id === id) p.tenant = updated;
    return updated;
  }

  async createKey(tenantId: string, name: string, scopes: Scope[], given?: string): Promise<NewKey> {
    const key = given ?? generateKey(this.#opts.keyBytes);
    const hash = keyHash(this.#opts.secret, key);
    if (this.#store.keyIndex.get(hash) !== undefined) throw new Error('this key is already registered');
    const record: ApiKeyRecord = {
      id: newId('k'), tenantId, name, scopes: [...new Set(scopes)], prefix: shownPrefix(key), hash,
      createdAt: this.#opts.now(), revokedAt: null, lastUsedAt: null,
    };
    await this.#store.root.transaction(() => {
      void this.#store.apiKeys.put(record.id, record);
      void this.#store.keyIndex.put(hash, record.id);
    });
    return { record, key };
  }

  key(id: string): ApiKeyRecord | undefined {
    return this.#principals.get(id)?.key ?? this.#store.apiKeys.get(id);
  }

  keysOf(tenantId: string): ApiKeyRecord[] {
    const out: ApiKeyRecord[] = [];
    for (const { value } of this.#store.apiKeys.getRange()) if (value.tenantId === tenantId) out.push(this.key(value.id) ?? value);
    return out;
  }

  async revokeKey(id: string): Promise<ApiKeyRecord | undefined> {
    const record = this.key(id);
    if (record === undefined) return undefined;
    if (record.revokedAt === null) {
      record.revokedAt = this.#opts.now();
      await this.#store.apiKeys.put(id, { ...record });
    }
    const principal = this.#principals.get(id);
    if (principal) principal.revoked = true;
    for (const [raw, p] of this.#byKey) if (p.key.id === id) this.#byKey.delete(raw);
    return record;
  }

  /** The principal of a bearer key, or undefined for an unknown or revoked key (callers answer both alike). */
  authenticate(raw: string): Principal | undefined {
    const cached = this.#byKey.get(raw);
    if (cached !== undefined) return cached.revoked ? undefined : cached;
    if (raw.length === 0 || raw.length > kMaxKeyLength) return undefined;
    const id = this.#store.keyIndex.get(keyHash(this.#opts.secret, raw));
    if (id === undefined) return undefined;
    let principal = this.#principals.get(id);
    if (principal === undefined) {
      const record = this.#store.apiKeys.get(id);
      const tenant = record && this.#tenants.get(record.tenantId);
      if (!record || !tenant) return undefined;
      principal = new Principal(record, tenant);
      principal.revoked = record.revokedAt !== null;
      this.#principals.set(id, principal);
    }
    if (principal.revoked) return undefined;
    if (this.#byKey.size >= this.#opts.cacheEntries) this.#byKey.clear();
    this.#byKey.set(raw, principal);
    return principal;
  }

  /** Records a use (in memory; flushLastUsed writes them). */
  touch(p: Principal, now: number): void {
    p.key.lastUsedAt = now;
    if (!p.usedSinceFlush) {
      p.usedSinceFlush = true;
      this.#lastUsedDirty.add(p);
    }
  }

  async flushLastUsed(): Promise<void> {
    if (this.#lastUsedDirty.size === 0) return;
    const dirty = [...this.#lastUsedDirty];
    this.#lastUsedDirty.clear();
    for (const p of dirty) p.usedSinceFlush = false;
    await this.#store.root.transaction(() => {
      for (const p of dirty) {
        const stored = this.#store.apiKeys.get(p.key.id);
        if (stored) void this.#store.apiKeys.put(p.key.id, { ...stored, lastUsedAt: p.key.lastUsedAt, revokedAt: p.key.revokedAt });
      }
    });
  }
}

function given(key: string | undefined): key is string {
  return key !== undefined && key !== '';
}
