import { describe, expect, it } from 'vitest';
import { smallRingsConfig } from '../helpers/small-rings.js';
import { RingGeometry } from '../../dist/engine/ring/layout.js';
import { RingStore } from '../../dist/engine/ring/ring-store.js';

const config = smallRingsConfig();
const SALE = 0;
const CLICK = 1;
const t0 = 1_800_000_000_000; // a minute boundary

function read(store: RingStore, slot: number, type: number, res: number) {
  const w = store.geometry.window[res];
  const counts = new Float64Array(w);
  const sums = new Float64Array(w);
  const head = store.read(slot, type, res, counts, sums);
  return { head, counts: Array.from(counts), sums: Array.from(sums) };
}

describe('RingStore', () => {
  it('folds events into their bucket at every resolution, per type', () => {
    const store = new RingStore(new RingGeometry(config));
    store.fold(3, SALE, t0 + 500, 10);
    store.fold(3, SALE, t0 + 900, 5);
    store.fold(3, CLICK, t0 + 1500, 1);
    const s = read(store, 3, SALE, 0);
    expect(s.head).toBe(Math.floor((t0 + 1500) / 1000));
    expect(s.counts).toEqual([0, 0, 0, 0, 0, 0, 2, 0]);
    expect(s.sums).toEqual([0, 0, 0, 0, 0, 0, 15, 0]);
    expect(read(store, 3, CLICK, 0).counts).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(read(store, 3, SALE, 1).counts).toEqual([0, 0, 0, 2]);
  });

  it('places out-of-order events in their own bucket and drops those older than a ring', () => {
    const store = new RingStore(new RingGeometry(config));
    store.fold(0, SALE, t0 + 7_000, 1);
    store.fold(0, SALE, t0 + 2_000, 1); // 5 s late, inside the 8 s ring
    store.fold(0, SALE, t0 - 5_000, 1); // 12 s late: outside the 1 s ring, inside the 1 min ring
    expect(read(store, 0, SALE, 0).counts).toEqual([0, 0, 1, 0, 0, 0, 0, 1]);
    expect(store.outOfWindow[0]).toBe(1);
    expect(read(store, 0, SALE, 1).counts).toEqual([0, 0, 1, 2]);
  });

  it('resets a bucket the ring has moved past before reusing it', () => {
    const store = new RingStore(new RingGeometry(config));
    store.fold(1, SALE, t0, 4);
    store.fold(1, SALE, t0 + 8_000, 1); // same index in the 8-bucket ring, one lap later
    const s = read(store, 1, SALE, 0);
    expect(s.counts).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(s.sums).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    store.fold(1, SALE, t0 + 100_000, 1); // far ahead: every old bucket reads as empty
    expect(read(store, 1, SALE, 0).counts.reduce((a, b) => a + b)).toBe(1);
  });

  it('grows ring storage in chunks as sellers arrive and reports unknown sellers as empty', () => {
    const store = new RingStore(new RingGeometry(config));
    expect(store.chunks.length).toBe(0);
    store.fold(5, SALE, t0, 1);
    expect(store.chunks.length).toBe(3);
    expect(read(store, 9, SALE, 0)).toEqual({ head: 0, counts: new Array(8).fill(0), sums: new Array(8).fill(0) });
    expect(store.fold(16, SALE, t0, 1)).toBe(1);
  });
});
