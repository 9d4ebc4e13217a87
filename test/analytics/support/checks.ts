/** Shared assertions of the analytics suites. */
import { expect } from 'vitest';

/** Every number reachable from `value` is finite (null is allowed; NaN/±Infinity are not). */
export function expectFiniteDeep(value: unknown, path = '$'): void {
  if (typeof value === 'number') {
    expect(Number.isFinite(value), `${path} = ${value}`).toBe(true);
  } else if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    Array.from(value as ArrayLike<unknown>).forEach((v, i) => expectFiniteDeep(v, `${path}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) expectFiniteDeep(v, `${path}.${k}`);
  }
}

/** Attribution: four whole percentages >= 0 summing to exactly 100. */
export function expectValidAttribution(a: Record<string, number>): void {
  const values = Object.values(a);
  expect(values).toHaveLength(4);
  for (const v of values) {
    expect(Number.isInteger(v)).toBe(true);
    expect(v).toBeGreaterThanOrEqual(0);
  }
  expect(values.reduce((s, v) => s + v, 0)).toBe(100);
}

/** Relative-or-absolute closeness: |a - b| <= abs + rel × max(|a|, |b|). */
export function close(a: number, b: number, rel: number, abs: number): boolean {
  return Math.abs(a - b) <= abs + rel * Math.max(Math.abs(a), Math.abs(b));
}
