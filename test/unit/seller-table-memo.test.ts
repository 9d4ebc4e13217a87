import { describe, expect, it } from 'vitest';
import { SellerDirectory, sellerKey } from '../../dist/engine/router/seller-directory.js';
import { SellerTableMemo } from '../../dist/engine/intake/seller-table-memo.js';

function setup() {
  const directory = new SellerDirectory(2, 1 << 10);
  const sellers = directory.tenant('t1');
  const ids = ['s-a', 's-b', 's-c'];
  const locations = Int32Array.from(ids.map((id) => sellers.locate(id)));
  const memo = new SellerTableMemo(8);
  memo.remember(sellers, ids, locations);
  return { directory, sellers, ids, locations, memo };
}

describe('SellerTableMemo', () => {
  it('recalls the locations of a repeated table from freshly decoded strings', () => {
    const { sellers, locations, memo } = setup();
    const into = new Int32Array(8).fill(-7);
    // new string objects with the same content, as each decoded frame brings
    const again = ['s-', 's-', 's-'].map((p, i) => p + 'abc'[i]);
    expect(memo.recall(sellers, again, into)).toBe(true);
    expect(Array.from(into.subarray(0, 3))).toEqual(Array.from(locations));
    expect(into[3]).toBe(-7);
  });

  it('does not recall a different, longer, shorter or reordered table, or another tenant', () => {
    const { directory, sellers, memo } = setup();
    const into = new Int32Array(8);
    expect(memo.recall(sellers, ['s-a', 's-b', 's-x'], into)).toBe(false);
    expect(memo.recall(sellers, ['s-a', 's-b', 's-c', 's-d'], into)).toBe(false);
    expect(memo.recall(sellers, ['s-a', 's-b'], into)).toBe(false);
    expect(memo.recall(sellers, ['s-b', 's-a', 's-c'], into)).toBe(false);
    expect(memo.recall(directory.tenant('t2'), ['s-a', 's-b', 's-c'], into)).toBe(false);
  });

  it('is void once the directory forgets or restores a seller, or is replaced', () => {
    const into = new Int32Array(8);
    const a = setup();
    a.directory.forget(sellerKey('t1', 's-b'));
    expect(a.memo.recall(a.sellers, a.ids, into)).toBe(false);
    const b = setup();
    b.directory.restore(sellerKey('t1', 's-b'), 5);
    expect(b.memo.recall(b.sellers, b.ids, into)).toBe(false);
    const c = setup();
    expect(c.memo.recall(new SellerDirectory(2, 1 << 10).tenant('t1'), c.ids, into)).toBe(false);
    // a new seller elsewhere moves nobody: still valid
    const d = setup();
    d.sellers.locate('s-new');
    expect(d.memo.recall(d.sellers, d.ids, into)).toBe(true);
  });

  it('keeps its own copy of the table (a caller may reuse its array) and skips tables beyond its capacity', () => {
    const { sellers, ids, memo } = setup();
    const into = new Int32Array(8);
    ids[1] = 's-z';
    expect(memo.recall(sellers, ['s-a', 's-b', 's-c'], into)).toBe(true);
    expect(memo.recall(sellers, ids, into)).toBe(false);
    const small = new SellerTableMemo(2);
    small.remember(sellers, ['s-a', 's-b', 's-c'], Int32Array.of(1, 2, 3));
    expect(small.recall(sellers, ['s-a', 's-b', 's-c'], into)).toBe(false);
  });
});
