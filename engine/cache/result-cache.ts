/**
 * Main-thread cache of analytic results with probabilistic early refresh (XFetch: Vattani,
 * Chierichetti, Lowenstein, "Optimal Probabilistic Cache Stampede Prevention", VLDB 2015).
 *
 * Entries are refreshed only when queried: a query recomputes when
 *     now − recomputeMs · beta · ln(u) ≥ lastComputedAt + ttl,   u ~ U(0, 1]
 * so the chance of an early refresh rises as the entry ages toward its TTL, and is 1 past it.
 * An early refresh runs in the background while the query is answered from the entry, which is
 * still within its TTL (stale-while-revalidate): a hot entry is renewed before it expires, and no
 * query of a cached result waits for a computation. A missing or expired entry is computed while
 * the query waits, and concurrent queries for it share the one computation (single flight). Every
 * recomputation is counted by kind and reason and reported to a listener (logged) — no silent
 * recomputation (DESIGN §9).
 */
export type RecomputeReason = 'miss' | 'expired' | 'early';

export interface CacheEntry<T> {
  value: T;
  lastComputedAt: number;
  /** How long the computation took (ms): XFetch's delta. */
  recomputeMs: number;
  ttlMs: number;
}

export interface Cached<T> {
  value: T;
  lastComputedAt: number;
  ttlMs: number;
  /** true when this query was answered from the cache. */
  hit: boolean;
}

export interface ComputeOutcome<T> {
  value: T;
  /** TTL chosen for this result (e.g. by the seller's activity tier). */
  ttlMs: number;
}

export interface RecomputeEvent {
  kind: string;
  key: string;
  reason: RecomputeReason;
  durationMs: number;
}

export interface ResultCacheOptions {
  /** false: every get recomputes (still single-flight, still counted as 'miss'). */
  enabled?: () => boolean;
  beta: number;
  maxEntries: number;
  now?: () => number;
  random?: () => number;
  onRecompute?: (event: RecomputeEvent) => void;
}

export class ResultCache<T> {
  readonly #entries = new Map<string, CacheEntry<T>>();
  readonly #inFlight = new Map<string, Promise<Cached<T>>>();
  readonly #beta: number;
  readonly #max: number;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #onRecompute: (event: RecomputeEvent) => void;
  readonly #enabled: () => boolean;
  readonly recomputations = new Map<string, number>();
  hits = 0;
  misses = 0;

  constructor(options: ResultCacheOptions) {
    this.#beta = options.beta;
    this.#max = options.maxEntries;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#onRecompute = options.onRecompute ?? (() => {});
    this.#enabled = options.enabled ?? (() => true);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Why the entry must be recomputed now, or null to serve it. */
  #refreshReason(entry: CacheEntry<T> | undefined): RecomputeReason | null {
    if (entry === undefined) return 'miss';
    const now = this.#now();
    const expiry = entry.lastComputedAt + entry.ttlMs;
    if (now >= expiry) return 'expired';
    const u = 1 - this.#random(); // (0, 1]
    return now - entry.recomputeMs * this.#beta * Math.log(u) >= expiry ? 'early' : null;
  }

  async get(kind: string, key: string, compute: () => Promise<ComputeOutcome<T>>): Promise<Cached<T>> {
    const entry = this.#enabled() ? this.#entries.get(key) : undefined;
    const reason = this.#refreshReason(entry);
    if (reason === null || reason === 'early') {
      this.hits++;
      // a failed background refresh leaves the entry to expire; the query after that computes and reports the error
      if (reason === 'early' && !this.#inFlight.has(key)) this.#launch(kind, key, reason, compute).catch(() => undefined);
      return { value: entry!.value, lastComputedAt: entry!.lastComputedAt, ttlMs: entry!.ttlMs, hit: true };
    }
    const running = this.#inFlight.get(key);
    if (running) return running;
    this.misses++;
    return this.#launch(kind, key, reason, compute);
  }

  /** Runs one computation of `key`, shared by every query that arrives meanwhile, and stores it. */
  async #launch(kind: string, key: string, reason: RecomputeReason, compute: () => Promise<ComputeOutcome<T>>): Promise<Cached<T>> {
    const flight = (async () => {
      const started = this.#now();
      const outcome = await compute();
      const lastComputedAt = this.#now();
      const recomputeMs = lastComputedAt - started;
      this.#store(key, { value: outcome.value, lastComputedAt, recomputeMs, ttlMs: outcome.ttlMs });
      this.recomputations.set(`${kind}:${reason}`, (this.recomputations.get(`${kind}:${reason}`) ?? 0) + 1);
      this.#onRecompute({ kind, key, reason, durationMs: recomputeMs });
      return { value: outcome.value, lastComputedAt, ttlMs: outcome.ttlMs, hit: false };
    })();
    this.#inFlight.set(key, flight);
    try {
      return await flight;
    } finally {
      this.#inFlight.delete(key);
    }
  }

  #store(key: string, entry: CacheEntry<T>): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    if (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  invalidate(prefix: string): void {
    for (const key of this.#entries.keys()) if (key.startsWith(prefix)) this.#entries.delete(key);
  }
}
