/**
 * Newest-first pages over an index database keyed [...prefix, createdAt, id] → id. The cursor is
 * the last key's (createdAt, id), opaque to callers (base64url JSON).
 */
import type { Database, Key } from 'lmdb';

/** Sorts after every real timestamp in an index key. */
export const kIndexMaxTime = Number.MAX_SAFE_INTEGER;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(createdAt: number, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

/** The (createdAt, id) of a cursor, or null when it is not one of ours. */
export function decodeCursor(cursor: string): [number, string] | null {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string') return [v[0] as number, v[1] as string];
  } catch {
    // not a cursor
  }
  return null;
}

/**
 * Up to `limit` items under `prefix`, newest first, starting after `cursor`; `pick` resolves an id
 * to its item or undefined to skip it (a filter).
 */
export function pageOf<T>(index: Database<string, Key[]>, prefix: readonly Key[], limit: number, cursor: string | undefined, pick: (id: string) => T | undefined): Page<T> {
  const after = cursor === undefined ? null : decodeCursor(cursor);
  const start: Key[] = after === null ? [...prefix, kIndexMaxTime] : [...prefix, after[0], after[1]];
  const items: T[] = [];
  let last: Key[] | null = null;
  for (const { key, value } of index.getRange({ start, end: [...prefix], reverse: true })) {
    const k = key as Key[];
    if (after !== null && k[prefix.length] === after[0] && k[prefix.length + 1] === after[1]) continue;
    const item = pick(value);
    if (item === undefined) continue;
    items.push(item);
    last = k;
    if (items.length === limit) break;
  }
  const more = last !== null && items.length === limit;
  return { items, nextCursor: more ? encodeCursor(last![prefix.length] as number, last![prefix.length + 1] as string) : null };
}
