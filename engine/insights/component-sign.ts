/** The sign of an anomaly component's evidence: which way the seller moved, per component. */
import type { AnomalyComponentName, AnomalyResult } from '../analytics/anomaly-types.js';

export type Sign = 'up' | 'down' | 'none';

/** deviation: its direction; trend and complexity: the sign of their z; periodic: up when the cycle is stronger than usual. */
export function componentSign(result: AnomalyResult, name: AnomalyComponentName): Sign {
  const c = result.components;
  switch (name) {
    case 'deviation':
      return c.deviation.details.direction;
    case 'periodic':
      return c.periodic.details.z > 0 ? 'up' : c.periodic.details.z < 0 ? 'down' : 'none';
    case 'complexity':
      return c.complexity.details.z > 0 ? 'up' : c.complexity.details.z < 0 ? 'down' : 'none';
    case 'trend':
      return c.trend.details.z > 0 ? 'up' : c.trend.details.z < 0 ? 'down' : 'none';
  }
}

export function signMatches(sign: Sign, wanted: 'up' | 'down' | 'any'): boolean {
  return wanted === 'any' ? sign !== 'none' : sign === wanted;
}

/** The component with the largest attribution (ties: the fixed component order). */
export function dominantComponent(result: AnomalyResult): AnomalyComponentName {
  let best: AnomalyComponentName = 'deviation';
  for (const name of ['deviation', 'periodic', 'complexity', 'trend'] as const) {
    if (result.attribution[name] > result.attribution[best]) best = name;
  }
  return best;
}
