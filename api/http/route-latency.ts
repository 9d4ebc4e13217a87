/**
 * Request latency by route and status class as a Prometheus histogram. Observing is on every
 * request, so it is a linear scan over the bucket bounds and two additions into arrays made once
 * per route — no label hashing or object per observation (prom-client's own Histogram.observe
 * hashes its labels on every call). prom-client still formats it: the object below has the shape of
 * a prom-client metric (`name`, `help`, `type`, `get()`) and is registered with registerMetric.
 */
const kStatusClasses = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

interface RouteCells {
  /** Per status class: cumulative counts are built at scrape time from these per-bucket counts (last = +Inf). */
  buckets: Float64Array[];
  sums: Float64Array;
  counts: Float64Array;
}

export class RouteLatencyHistogram {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly #bounds: readonly number[];
  readonly #routes = new Map<string, RouteCells>();

  constructor(name: string, help: string, bounds: readonly number[]) {
    this.name = name;
    this.help = help;
    this.#bounds = bounds;
  }

  observe(route: string, status: number, seconds: number): void {
    let cells = this.#routes.get(route);
    if (cells === undefined) {
      cells = {
        buckets: kStatusClasses.map(() => new Float64Array(this.#bounds.length + 1)),
        sums: new Float64Array(kStatusClasses.length),
        counts: new Float64Array(kStatusClasses.length),
      };
      this.#routes.set(route, cells);
    }
    const cls = Math.min(kStatusClasses.length, Math.max(1, Math.floor(status / 100))) - 1;
    let b = 0;
    while (b < this.#bounds.length && seconds > this.#bounds[b]) b++;
    cells.buckets[cls][b]++;
    cells.sums[cls] += seconds;
    cells.counts[cls]++;
  }

  get(): { name: string; help: string; type: string; aggregator: string; values: { metricName: string; labels: Record<string, string | number>; value: number }[] } {
    const values: { metricName: string; labels: Record<string, string | number>; value: number }[] = [];
    for (const [route, cells] of this.#routes) {
      for (let c = 0; c < kStatusClasses.length; c++) {
        if (cells.counts[c] === 0) continue;
        const status = kStatusClasses[c];
        let acc = 0;
        for (let b = 0; b < this.#bounds.length; b++) {
          acc += cells.buckets[c][b];
          values.push({ metricName: `${this.name}_bucket`, labels: { le: this.#bounds[b], route, status }, value: acc });
        }
        values.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf', route, status }, value: cells.counts[c] });
        values.push({ metricName: `${this.name}_sum`, labels: { route, status }, value: cells.sums[c] });
        values.push({ metricName: `${this.name}_count`, labels: { route, status }, value: cells.counts[c] });
      }
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
