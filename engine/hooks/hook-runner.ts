/**
 * Decision hooks (issue 6) at pre-anomaly, post-anomaly, pre-prediction, post-prediction and
 * alert-trigger: ES modules named in config (`export default async (point, context) => decision`)
 * or HTTP endpoints (POSTed `{point, context}`, answering the decision as JSON), each run with its
 * own timeout. What a hook may do:
 *   - pre-anomaly, pre-prediction: veto (`{veto: true, reason}`) — the query is refused 403
 *     `vetoed_by_hook` and the monitor skips the seller; the request itself cannot be changed;
 *   - post-anomaly, post-prediction: annotate (`{annotations: {...}}`) — returned under
 *     `hookAnnotations.<hook name>`; numbers, hashes and sufficiency cannot be changed;
 *   - alert-trigger: veto (the alert is not raised; counted) or annotate (stored on the alert).
 * A hook that throws, answers garbage or outlives its timeout is logged, counted and ignored — it
 * never breaks ingest (hooks never run on the ingest path) or the query. Hooks receive a copy of
 * the context: they cannot mutate what the engine holds.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import type { HookConfig, HookPoint } from '../../config/alerting-schema.js';

export interface HookDecision {
  veto: boolean;
  reason: string | null;
  /** Per hook name. */
  annotations: Record<string, unknown>;
}

type HookFn = (point: HookPoint, context: unknown) => unknown;

const kVetoPoints: ReadonlySet<HookPoint> = new Set(['pre-anomaly', 'pre-prediction', 'alert-trigger']);
const kNoDecision: HookDecision = Object.freeze({ veto: false, reason: null, annotations: Object.freeze({}) }) as HookDecision;
const kTimedOut = Symbol('timed out');

export interface HookStats {
  runs: number;
  failures: number;
  timeouts: number;
  vetoes: number;
}

export class HookRunner {
  readonly #config: () => Readonly<Config>;
  readonly #log: Logger;
  readonly #modules = new Map<string, Promise<HookFn | null>>();
  readonly stats = new Map<string, HookStats>();

  constructor(config: () => Readonly<Config>, log: Logger) {
    this.#config = config;
    this.#log = log.child({ component: 'hooks' });
  }

  /** Whether any hook runs at `point` (callers skip all work when none does). */
  has(point: HookPoint): boolean {
    return this.#config().hooks.hooks.some((h) => h.points.includes(point));
  }

  async run(point: HookPoint, context: unknown): Promise<HookDecision> {
    const hooks = this.#config().hooks.hooks.filter((h) => h.points.includes(point));
    if (hooks.length === 0) return kNoDecision;
    const decision: HookDecision = { veto: false, reason: null, annotations: {} };
    for (const hook of hooks) {
      const stats = this.#stats(hook.name);
      stats.runs++;
      let answer: unknown;
      try {
        answer = await this.#withTimeout(this.#call(hook, point, structuredClone(context)), hook.timeoutMs);
      } catch (err) {
        stats.failures++;
        this.#log.warn({ hook: hook.name, point, err }, 'hook failed; ignored');
        continue;
      }
      if (answer === kTimedOut) {
        stats.timeouts++;
        this.#log.warn({ hook: hook.name, point, timeoutMs: hook.timeoutMs }, 'hook timed out; ignored');
        continue;
      }
      if (answer === undefined || answer === null) continue;
      if (typeof answer !== 'object' || Array.isArray(answer)) {
        stats.failures++;
        this.#log.warn({ hook: hook.name, point }, 'hook answered something other than a decision object; ignored');
        continue;
      }
      const a = answer as { veto?: unknown; reason?: unknown; annotations?: unknown };
      if (a.annotations !== undefined && typeof a.annotations === 'object' && a.annotations !== null) {
        decision.annotations[hook.name] = JSON.parse(JSON.stringify(a.annotations)) as unknown;
      }
      if (a.veto === true && kVetoPoints.has(point) && !decision.veto) {
        stats.vetoes++;
        decision.veto = true;
        decision.reason = `${hook.name}: ${typeof a.reason === 'string' ? a.reason : 'vetoed'}`;
        this.#log.info({ hook: hook.name, point, reason: decision.reason }, 'hook vetoed');
      }
    }
    return decision;
  }

  #stats(name: string): HookStats {
    let s = this.stats.get(name);
    if (s === undefined) {
      s = { runs: 0, failures: 0, timeouts: 0, vetoes: 0 };
      this.stats.set(name, s);
    }
    return s;
  }

  async #call(hook: HookConfig, point: HookPoint, context: unknown): Promise<unknown> {
    if (hook.url !== undefined) {
      const res = await fetch(hook.url, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ point, context }),
        signal: AbortSignal.timeout(hook.timeoutMs),
      });
      if (!res.ok) throw new Error(`hook endpoint answered ${res.status}`);
      return res.json();
    }
    const fn = await this.#module(hook.module as string);
    if (fn === null) throw new Error(`hook module ${hook.module} could not be loaded`);
    return fn(point, context);
  }

  #module(path: string): Promise<HookFn | null> {
    let m = this.#modules.get(path);
    if (m === undefined) {
      m = import(pathToFileURL(resolve(path)).href).then(
        (mod: { default?: unknown }) => (typeof mod.default === 'function' ? (mod.default as HookFn) : null),
        (err: unknown) => {
          this.#log.error({ module: path, err }, 'hook module failed to load');
          return null;
        },
      );
      this.#modules.set(path, m);
    }
    return m;
  }

  #withTimeout(p: Promise<unknown>, ms: number): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof kTimedOut>((r) => {
      timer = setTimeout(() => r(kTimedOut), ms);
      timer.unref();
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }
}
