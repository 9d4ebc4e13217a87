/** Collects latency samples (ms) in a growable Float64Array and reports percentiles. */
const kInitialCapacity = 1 << 16;

export interface LatencySummary {
  samples: number;
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending-sorted array; NaN when empty. */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export class LatencyRecorder {
  #samples = new Float64Array(kInitialCapacity);
  #length = 0;

  record(ms: number): void {
    if (this.#length === this.#samples.length) {
      const grown = new Float64Array(this.#samples.length * 2);
      grown.set(this.#samples);
      this.#samples = grown;
    }
    this.#samples[this.#length++] = ms;
  }

  summary(): LatencySummary {
    const sorted = this.#samples.slice(0, this.#length).sort();
    return {
      samples: this.#length,
      p50: percentileOfSorted(sorted, 50),
      p99: percentileOfSorted(sorted, 99),
      max: this.#length === 0 ? NaN : sorted[this.#length - 1],
    };
  }
}
