/**
 * Online replay scoring: each row is folded into a seller's ring with the server's own RingStore,
 * then the series as it stands (newest bucket included: the row's own data counts, nothing after
 * it exists yet) is scored with the server's own scoreAnomaly. One score per row, input order.
 */
import { mergeConfig, validateConfig, type Config } from '../../config/index.js';
import { RingGeometry } from '../ring/layout.js';
import { RingStore } from '../ring/ring-store.js';
import { scoreAnomaly } from '../analytics/index.js';
import type { DspKernels } from '../../dsp-wasm/host/types.js';
import type { ReplayRow } from './replay-input.js';

const kReplayResolution = 'replay';
const kSlot = 0;

/** The server config narrowed to one ring of `bucketMs` × the config's longest window. */
export function replayConfig(base: Readonly<Config>, bucketMs: number): Readonly<Config> {
  const window = Math.max(...base.rings.resolutions.map((r) => r.window));
  return validateConfig(mergeConfig(base, {
    rings: { resolutions: [{ name: kReplayResolution, bucketMs, window }] },
    sampling: { activityResolution: kReplayResolution, activityBuckets: 1, tiers: [{ name: 'replay', minEventsPerHour: 0, resolution: kReplayResolution, ttlMs: 1 }] },
    shard: { maxSellersPerShard: 1, sellersPerChunk: 1 },
  }), 'replay');
}

export class OnlineScorer {
  readonly #rings: RingStore;
  readonly #config: Readonly<Config>;
  readonly #dsp: DspKernels;
  readonly #type: number;
  readonly #counts: Float64Array;
  readonly #sums: Float64Array;

  constructor(config: Readonly<Config>, dsp: DspKernels, typeName: string) {
    this.#config = config;
    this.#dsp = dsp;
    this.#type = config.events.types.findIndex((t) => t.name === typeName);
    if (this.#type < 0) throw new Error(`unknown event type ${typeName}; configured: ${config.events.types.map((t) => t.name).join(', ')}`);
    this.#rings = new RingStore(new RingGeometry(config));
    const window = config.rings.resolutions[0].window;
    this.#counts = new Float64Array(window);
    this.#sums = new Float64Array(window);
  }

  /** Folds the row and returns the anomaly score of the series up to and including it. */
  score(row: ReplayRow): number {
    this.#rings.fold(kSlot, this.#type, row.timestamp, Math.round(row.value * this.#config.events.valueScale));
    this.#rings.read(kSlot, this.#type, 0, this.#counts, this.#sums);
    const scale = this.#config.events.valueScale;
    const series = this.#sums.map((u) => u / scale);
    return scoreAnomaly(series, this.#config.analytics, this.#dsp).score;
  }
}
