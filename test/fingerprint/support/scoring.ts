/**
 * Scores of a classified population against the planted truth (support/population.ts).
 *
 * Purity (Manning, Raghavan & Schütze, "Introduction to Information Retrieval", §16.3): every
 * predicted bot cluster (the sellers classified bot_cluster, grouped by cluster id) is credited
 * with its largest number of members from one planted cluster; purity = credited members / all
 * members of predicted clusters. Normal sellers and switchers are never credited, so a predicted
 * cluster that swallows them loses purity.
 * Recall (inverse purity): every planted cluster is credited with its largest number of members
 * in one predicted cluster; recall = credited / all planted bots.
 */
import type { SellerVerdict } from '../../../engine/fingerprint/types.js';
import type { Truth } from './population.js';

export interface Scores {
  predictedClusters: number;
  purity: number;
  recall: number;
  switchersFlagged: number;
  switchers: number;
  normalAsNormal: number;
  normals: number;
  normalRate: number;
  /** Confusion: true kind → classification → count. */
  confusion: Record<string, Record<string, number>>;
}

function bump(m: Map<string, Map<string, number>>, a: string, b: string): void {
  const row = m.get(a) ?? new Map<string, number>();
  row.set(b, (row.get(b) ?? 0) + 1);
  m.set(a, row);
}

function creditedMaxima(m: Map<string, Map<string, number>>, skip: (key: string) => boolean): number {
  let credited = 0;
  for (const row of m.values()) {
    let best = 0;
    for (const [key, n] of row) if (!skip(key)) best = Math.max(best, n);
    credited += best;
  }
  return credited;
}

export function score(verdicts: readonly SellerVerdict[], truth: ReadonlyMap<string, Truth>): Scores {
  const byPredicted = new Map<string, Map<string, number>>();
  const byPlanted = new Map<string, Map<string, number>>();
  const confusion: Record<string, Record<string, number>> = {};
  let inPredicted = 0;
  let planted = 0;
  let switchers = 0;
  let switchersFlagged = 0;
  let normals = 0;
  let normalAsNormal = 0;
  for (const v of verdicts) {
    const t = truth.get(v.sellerId);
    if (!t) throw new Error(`no truth for ${v.sellerId}`);
    const kind = t.kind === 'bot' ? `bot${t.cluster}` : t.kind;
    confusion[kind] ??= {};
    confusion[kind][v.classification] = (confusion[kind][v.classification] ?? 0) + 1;
    const predicted = v.classification === 'bot_cluster' && v.cluster ? `c${v.cluster.id}` : null;
    if (predicted) {
      inPredicted++;
      bump(byPredicted, predicted, t.kind === 'bot' ? `t${t.cluster}` : '-');
    }
    if (t.kind === 'bot') {
      planted++;
      bump(byPlanted, `t${t.cluster}`, predicted ?? '-');
    } else if (t.kind === 'switcher') {
      switchers++;
      if (v.classification === 'sudden_strategy_change') switchersFlagged++;
    } else {
      normals++;
      if (v.classification === 'normal') normalAsNormal++;
    }
  }
  const unassigned = (key: string): boolean => key === '-';
  return {
    predictedClusters: byPredicted.size,
    purity: inPredicted > 0 ? creditedMaxima(byPredicted, unassigned) / inPredicted : 0,
    recall: planted > 0 ? creditedMaxima(byPlanted, unassigned) / planted : 0,
    switchersFlagged,
    switchers,
    normalAsNormal,
    normals,
    normalRate: normals > 0 ? normalAsNormal / normals : 0,
    confusion,
  };
}
