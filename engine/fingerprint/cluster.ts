/**
 * Deterministic single-linkage clustering: the connected components of the graph that joins two
 * signatures closer than `linkDistance`. No randomness and no order dependence: the components of a
 * graph are a property of the set; ids are numbered by each component's first point in input order.
 */
import { signatureDistance } from './signature.js';

export interface Clustering {
  /** Component id of each point, 0-based in order of first appearance. */
  labels: Int32Array;
  /** Size of each component, by id. */
  sizes: number[];
  /** Distance from each point to its nearest other point in the same component (NaN when alone). */
  nearest: Float64Array;
}

function root(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

export function linkClusters(points: readonly Float64Array[], weights: Float64Array, linkDistance: number): Clustering {
  const n = points.length;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const nearest = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = signatureDistance(points[i], points[j], weights);
      if (!(d < linkDistance)) continue;
      if (!(d >= nearest[i])) nearest[i] = d;
      if (!(d >= nearest[j])) nearest[j] = d;
      const [a, b] = [root(parent, i), root(parent, j)];
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  }
  const labels = new Int32Array(n);
  const idOfRoot = new Map<number, number>();
  const sizes: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = root(parent, i);
    let id = idOfRoot.get(r);
    if (id === undefined) {
      id = sizes.length;
      idOfRoot.set(r, id);
      sizes.push(0);
    }
    labels[i] = id;
    sizes[id]++;
  }
  return { labels, sizes, nearest };
}
