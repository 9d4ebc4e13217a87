/**
 * Who may call what (DESIGN §8, issue 5): bearer keys → principal, scope and tenant checks, and the
 * per-key rate limits. Every failure is a problem document that never says whether a tenant, key
 * or seller exists: an unknown key and a revoked key get the same 401.
 */
import type { HttpRequest, HttpResponse } from '../uws.js';
import type { Config } from '../../config/index.js';
import { kScopes, type Scope } from '../../engine/tenancy/api-key.js';
import { kOperatorTenantId, Principal, type TenantRegistry } from '../../engine/tenancy/tenant-registry.js';
import { LimitVerdict, type LimitClass, type RateLimiter } from '../../engine/tenancy/rate-limiter.js';
import { problem } from '../errors.js';
import { sendProblem, type ResponseState } from './reply.js';

/** Who may call a route. */
export type Access =
  | { readonly kind: 'public' }
  /** Any valid key of an active tenant. */
  | { readonly kind: 'key' }
  /** A key holding one of `scopes`; `operator`: of the operator tenant; `limit`: its rate-limit class. */
  | { readonly kind: 'scope'; readonly scopes: readonly Scope[]; readonly operator?: boolean; readonly limit: LimitClass | 'none' };

const kBearer = 'bearer ';
const kBearerCanonical = 'Bearer ';
const kUnauthorizedHeaders = { 'www-authenticate': 'Bearer realm="sellerpulse"' };

export class AccessControl {
  readonly registry: TenantRegistry;
  readonly limiter: RateLimiter;
  readonly #config: () => Readonly<Config>;
  readonly #now: () => number;
  /** Stands in for every caller while access is disabled (config access.enabled = false). */
  readonly #openPrincipal: Principal;
  readonly verdict = new LimitVerdict();
  /**
   * Authorization header → principal, in front of the registry's raw-key cache: a client sends the
   * same header string every time, so the common case skips cutting the key out of it. Revocation
   * and suspension live on the (canonical) principal and are checked per request by refusal().
   */
  readonly #byHeader = new Map<string, Principal>();
  /**
   * The last header and its principal, in front of the map: a string comparison instead of hashing
   * the header (a fresh string per request) for a map lookup when one client sends in a row.
   */
  #lastHeader = '';
  #lastPrincipal: Principal | undefined = undefined;

  constructor(registry: TenantRegistry, limiter: RateLimiter, config: () => Readonly<Config>, now: () => number) {
    this.registry = registry;
    this.limiter = limiter;
    this.#config = config;
    this.#now = now;
    const operator = registry.tenant(kOperatorTenantId);
    if (operator === undefined) throw new Error('the operator tenant is missing: bootstrap first');
    this.#openPrincipal = new Principal({
      id: 'access-disabled', tenantId: kOperatorTenantId, name: 'access disabled', scopes: [...kScopes], prefix: '', hash: '',
      createdAt: 0, revokedAt: null, lastUsedAt: null,
    }, operator);
  }

  get enabled(): boolean {
    return this.#config().access.enabled;
  }

  /** The bearer key of a request: Authorization header, or ?access_token= (RFC 6750 §2.3) for browsers' GETs and WebSockets. */
  static bearerOf(req: HttpRequest, header: string = req.getHeader('authorization')): string {
    if (header.length > kBearer.length) {
      // the common spelling first: no lower-casing copy per request
      if (header.startsWith(kBearerCanonical)) return header.slice(kBearer.length).trim();
      if (header.slice(0, kBearer.length).toLowerCase() === kBearer) return header.slice(kBearer.length).trim();
    }
    return header === '' ? req.getQuery('access_token') ?? '' : '';
  }

  /**
   * Authenticates and authorises a request; answers the problem and returns null when it may not
   * proceed. Reads `req` synchronously (its lifetime ends with the uWS callback).
   */
  admit(res: HttpResponse, req: HttpRequest, state: ResponseState, access: Access, authorization?: string): Principal | null {
    if (access.kind === 'public') return this.#openPrincipal;
    if (!this.enabled) {
      state.tenantId = kOperatorTenantId;
      return this.#openPrincipal;
    }
    const principal = this.#authenticate(req, authorization);
    if (principal === null) {
      sendProblem(res, state, problem('unauthorized', 'send Authorization: Bearer <key>', [{ path: 'header/authorization', message: 'missing' }]), kUnauthorizedHeaders);
      return null;
    }
    if (principal === undefined || principal.revoked) {
      sendProblem(res, state, problem('unauthorized', 'the key is not valid', [{ path: 'header/authorization', message: 'not a valid key' }]), kUnauthorizedHeaders);
      return null;
    }
    state.tenantId = principal.tenant.id;
    const refusal = this.refusal(principal, access);
    if (refusal !== null) {
      sendProblem(res, state, refusal);
      return null;
    }
    this.registry.touch(principal, this.#now());
    if (access.kind === 'scope' && access.limit !== 'none' && access.limit !== 'ingest') {
      if (!this.limit(res, state, principal, this.limitClassOf(principal, access.limit), 1)) return null;
    }
    return principal;
  }

  /** The principal of a request's key (null: no key sent; undefined: not a valid key), cached by header. */
  #authenticate(req: HttpRequest, authorization: string | undefined): Principal | null | undefined {
    const cacheable = authorization !== undefined && authorization !== '';
    if (cacheable && authorization === this.#lastHeader && this.#lastPrincipal !== undefined) return this.#lastPrincipal;
    const cached = cacheable ? this.#byHeader.get(authorization) : undefined;
    if (cached !== undefined) {
      this.#lastHeader = authorization as string;
      this.#lastPrincipal = cached;
      return cached;
    }
    const raw = AccessControl.bearerOf(req, authorization);
    if (raw === '') return null;
    const principal = this.registry.authenticate(raw);
    if (principal !== undefined && cacheable) {
      if (this.#byHeader.size >= this.#config().access.keyCacheEntries) this.#byHeader.clear();
      this.#byHeader.set(authorization, principal);
      this.#lastHeader = authorization;
      this.#lastPrincipal = principal;
    }
    return principal;
  }

  /** Why `principal` may not use a route with `access` (null: it may). Also used per WebSocket frame. */
  refusal(principal: Principal, access: Access): ReturnType<typeof problem> | null {
    if (principal.revoked) return problem('unauthorized', 'the key is not valid', [{ path: 'header/authorization', message: 'not a valid key' }]);
    if (principal.tenant.status !== 'active') return problem('tenant_suspended', 'the tenant of this key is suspended; no request is served');
    if (access.kind !== 'scope') return null;
    let scoped = false;
    for (const s of access.scopes) scoped ||= principal.has(s);
    if (!scoped) {
      return problem('forbidden', `this key lacks the ${access.scopes.join(' or ')} scope`, [{ path: 'header/authorization', message: `needs scope ${access.scopes.join(' or ')}` }]);
    }
    if (access.operator === true && !principal.isOperator) {
      return problem('forbidden', 'only the operator tenant may do this', [{ path: 'header/authorization', message: 'needs an operator admin key' }]);
    }
    return null;
  }

  /** Embed keys are limited by the embed table, whatever the route's class. */
  limitClassOf(principal: Principal, cls: LimitClass): LimitClass {
    return principal.has('embed') && !principal.has('read') && !principal.has('ingest') && !principal.has('admin') ? 'embed' : cls;
  }

  /**
   * Takes `cost` from the key's bucket of `cls`; records the X-RateLimit-* values on `state` and,
   * when refused, answers 429 with Retry-After and returns false.
   */
  limit(res: HttpResponse, state: ResponseState, principal: Principal, cls: LimitClass, cost: number): boolean {
    const v = this.take(principal, cls, cost);
    if (v === null) return true;
    state.rateLimit = v.limit;
    state.rateRemaining = v.remaining;
    state.rateReset = v.resetSec;
    if (v.allowed) return true;
    sendProblem(res, state, problem('rate_limited', `this key may send ${this.#config().access.rateLimits[principal.tenant.tier][cls].perSecond} ${cls === 'ingest' ? 'events' : 'requests'}/s; retry in ${v.retryAfterMs} ms`, [],
      { retryAfterMs: v.retryAfterMs }), { 'retry-after': String(Math.max(1, Math.ceil(v.retryAfterMs / 1000))) });
    return false;
  }

  /** The verdict for `cost` (shared object, valid until the next call), or null when limits are off. */
  take(principal: Principal, cls: LimitClass, cost: number): LimitVerdict | null {
    if (!this.enabled) return null;
    const limits = this.#config().access.rateLimits[principal.tenant.tier][cls];
    return this.limiter.check(principal.key.id, cls, limits, cost, this.verdict);
  }
}
