/**
 * Fingerprints per tenant (issue 7): clusters need the whole population, so a tenant's sellers are
 * fingerprinted together — their fine and coarse count rings of `fingerprints.eventType`, read from
 * the shards — on the worker pool, and cached for `fingerprints.refreshMs`. Queries wait for a
 * fresh-enough population (one computation at a time per tenant); alert and anomaly context only
 * peeks at the cache and never triggers work.
 */
import { fileURLToPath } from 'node:url';
import type { Piscina } from 'piscina';
import type { Engine } from '../index.js';
import { sellerKey } from '../router/seller-directory.js';
import type { FingerprintTask, FingerprintView } from './fingerprint-task.js';

export interface Population {
  computedAt: number;
  configVersion: number;
  sellers: number;
  verdicts: Map<string, FingerprintView>;
}

export class FingerprintService {
  readonly #engine: Engine;
  readonly #pool: Piscina;
  readonly #now: () => number;
  readonly #cache = new Map<string, Population>();
  readonly #running = new Map<string, Promise<Population>>();
  computations = 0;

  constructor(engine: Engine, pool: Piscina, now: () => number) {
    this.#engine = engine;
    this.#pool = pool;
    this.#now = now;
  }

  static taskFile(): string {
    return fileURLToPath(new URL('./fingerprint-task.js', import.meta.url));
  }

  /** The cached verdict, if any (never computes). */
  peek(tenantId: string, sellerId: string): FingerprintView | undefined {
    return this.#cache.get(tenantId)?.verdicts.get(sellerId);
  }

  /** The tenant's population, recomputed when older than refreshMs or made under another config version. */
  async population(tenantId: string): Promise<Population> {
    const cached = this.#cache.get(tenantId);
    const fresh = cached !== undefined && this.#now() - cached.computedAt < this.#engine.config.fingerprints.refreshMs && cached.configVersion === this.#engine.configVersion;
    if (fresh) return cached;
    let run = this.#running.get(tenantId);
    if (run === undefined) {
      run = this.#compute(tenantId).finally(() => this.#running.delete(tenantId));
      this.#running.set(tenantId, run);
    }
    return run;
  }

  async #compute(tenantId: string): Promise<Population> {
    const engine = this.#engine;
    const config = engine.config;
    const cfg = config.fingerprints;
    const type = config.events.types.findIndex((t) => t.name === cfg.eventType);
    const fine = config.rings.resolutions.findIndex((r) => r.name === cfg.fineResolution);
    const coarse = config.rings.resolutions.findIndex((r) => r.name === cfg.coarseResolution);
    if (type < 0 || fine < 0 || coarse < 0) throw new Error('fingerprints.eventType, fineResolution and coarseResolution must name a configured event type and rings');
    const ids = [...engine.sellersOf(tenantId).locations.keys()].slice(0, cfg.maxSellers);
    const sellers: FingerprintTask['sellers'] = [];
    for (const id of ids) {
      const key = sellerKey(tenantId, id);
      const [f, c] = await Promise.all([engine.series(key, type, fine), engine.series(key, type, coarse)]);
      if (f === undefined || c === undefined) continue;
      sellers.push({ sellerId: id, fine: f.counts, coarse: c.counts });
    }
    const verdicts = (await this.#pool.run({ sellers, model: cfg.model } satisfies FingerprintTask, { filename: FingerprintService.taskFile() })) as FingerprintView[];
    this.computations++;
    const population: Population = { computedAt: this.#now(), configVersion: engine.configVersion, sellers: sellers.length, verdicts: new Map(verdicts.map((v) => [v.sellerId, v])) };
    this.#cache.set(tenantId, population);
    return population;
  }
}
