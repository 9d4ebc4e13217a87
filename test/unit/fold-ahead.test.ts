import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { smallRingsConfig } from '../helpers/small-rings.js';
import { RingGeometry } from '../../dist/engine/ring/layout.js';
import { RingStore } from '../../dist/engine/ring/ring-store.js';
import { LiveSketches } from '../../dist/engine/rollup/live-sketches.js';
import { FoldAhead } from '../../dist/engine/ring/fold-ahead.js';
import { kRecordF64, kRecordU32, kTimestampF64, kUnitsF64, kSlotU32, kTypeU32 } from '../../dist/engine/queue/layout.js';

const kSlots = 6;
const config = smallRingsConfig({ rollup: { liveHours: 2 } });
const t0 = 1_800_000_000_000;

interface Rec { slot: number; type: number; offsetMs: number; units: number }

/** A queue's records SAB layout, written at counters starting at `start` (wrapping int32 counters). */
function queueOf(records: Rec[], capacity: number, start: number) {
  const buf = new ArrayBuffer(capacity * kRecordF64 * 8);
  const f64 = new Float64Array(buf);
  const u32 = new Uint32Array(buf);
  const mask = capacity - 1;
  records.forEach((r, k) => {
    const i = ((start + k) | 0) & mask;
    f64[i * kRecordF64 + kTimestampF64] = t0 + r.offsetMs;
    f64[i * kRecordF64 + kUnitsF64] = r.units;
    u32[i * kRecordU32 + kSlotU32] = r.slot;
    u32[i * kRecordU32 + kTypeU32] = r.type;
  });
  return { f64, u32, mask };
}

function storeWithSketches(): RingStore {
  const store = new RingStore(new RingGeometry(config));
  store.sketches = new LiveSketches(config);
  return store;
}

/** Everything a query or a snapshot can see of a store: every ring, the drop counters, the sketches. */
function stateOf(store: RingStore) {
  const g = store.geometry;
  const rings: number[][] = [];
  for (let slot = 0; slot < kSlots; slot++) {
    for (let type = 0; type < g.typeCount; type++) {
      for (let r = 0; r < g.resolutionCount; r++) {
        const counts = new Float64Array(g.window[r]);
        const sums = new Float64Array(g.window[r]);
        rings.push([store.read(slot, type, r, counts, sums), ...counts, ...sums]);
      }
    }
  }
  const sketches = (store.sketches as LiveSketches).flush().map((d) => [d.slot, d.type, d.hour, ...d.bytes]).sort();
  return { rings, outOfWindow: Array.from(store.outOfWindow), sketches };
}

const record = fc.record({
  slot: fc.integer({ min: 0, max: kSlots - 1 }),
  type: fc.integer({ min: 0, max: 2 }),
  // spans several laps of the 8 s ring and the 4 min ring, so resets and late drops happen
  offsetMs: fc.integer({ min: -400_000, max: 400_000 }),
  units: fc.integer({ min: 0, max: 1000 }),
});
/** What the worker does next: publish more records, fold a batch, or answer a query for a seller. */
const step = fc.oneof(
  fc.record({ op: fc.constant('publish' as const), n: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('fold' as const), n: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('query' as const), slot: fc.integer({ min: 0, max: kSlots - 1 }) }),
);

describe('FoldAhead', () => {
  it('leaves rings, drop counters and sketches bit-identical to folding the queue in order', () => {
    fc.assert(fc.property(fc.array(record, { minLength: 1, maxLength: 300 }), fc.array(step, { maxLength: 60 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 4 }),
      (records, steps, start, tableSize) => {
        const capacity = 512;
        const { f64, u32, mask } = queueOf(records, capacity, start);
        const end = (start + records.length) | 0;
        const inOrder = storeWithSketches();
        inOrder.foldRecords(f64, u32, start, end, mask);

        const store = storeWithSketches();
        const ahead = new FoldAhead(tableSize, 16);
        let head = start;
        let tail = start;
        const left = (a: number, b: number) => (b - a) | 0;
        for (const s of steps) {
          if (s.op === 'publish') tail = (tail + Math.min(s.n, left(tail, end))) | 0;
          else if (s.op === 'fold') {
            const to = (head + Math.min(s.n, left(head, tail))) | 0;
            store.foldRecords(f64, u32, head, to, mask, ahead);
            head = to;
          } else if (!ahead.foldSeller(store, f64, u32, head, tail, mask, s.slot)) {
            store.foldRecords(f64, u32, head, tail, mask, ahead); // the worker drains instead
            head = tail;
          }
        }
        store.foldRecords(f64, u32, head, end, mask, ahead);
        expect(stateOf(store)).toEqual(stateOf(inOrder));
        expect(ahead.active).toBe(false);
      }), { numRuns: 300 });
  });

  it('gives a query every record of its seller published so far, and nothing twice', () => {
    const records: Rec[] = Array.from({ length: 100 }, (_, k) => ({ slot: k % 3, type: 1, offsetMs: k * 10, units: 1 }));
    const { f64, u32, mask } = queueOf(records, 128, 0);
    const store = new RingStore(new RingGeometry(config));
    const ahead = new FoldAhead(4, 16);
    store.foldRecords(f64, u32, 0, 10, mask, ahead);
    expect(ahead.foldSeller(store, f64, u32, 10, 60, mask, 2)).toBe(true);
    const sumOf = (slot: number) => {
      const counts = new Float64Array(4);
      store.read(slot, 1, 1, counts, new Float64Array(4));
      return counts.reduce((a, b) => a + b);
    };
    expect(sumOf(2)).toBe(records.slice(0, 60).filter((r) => r.slot === 2).length);
    expect(sumOf(0)).toBe(records.slice(0, 10).filter((r) => r.slot === 0).length);
    expect(ahead.foldSeller(store, f64, u32, 10, 80, mask, 2)).toBe(true); // only 60..80 are new
    expect(sumOf(2)).toBe(records.slice(0, 80).filter((r) => r.slot === 2).length);
    store.foldRecords(f64, u32, 10, 100, mask, ahead);
    expect([0, 1, 2].map(sumOf)).toEqual([34, 33, 33]);
    expect(ahead.active).toBe(false);
  });

  it('refuses a new seller when its table is full and keeps serving the sellers it holds', () => {
    const records: Rec[] = Array.from({ length: 20 }, (_, k) => ({ slot: k % 4, type: 0, offsetMs: k, units: 1 }));
    const { f64, u32, mask } = queueOf(records, 32, 0);
    const store = new RingStore(new RingGeometry(config));
    const ahead = new FoldAhead(2, 16);
    expect(ahead.foldSeller(store, f64, u32, 0, 20, mask, 0)).toBe(true);
    expect(ahead.foldSeller(store, f64, u32, 0, 20, mask, 1)).toBe(true);
    expect(ahead.admits(2)).toBe(false);
    expect(ahead.foldSeller(store, f64, u32, 0, 20, mask, 2)).toBe(false);
    expect(ahead.foldSeller(store, f64, u32, 0, 20, mask, 1)).toBe(true);
    store.foldRecords(f64, u32, 0, 20, mask, ahead);
    expect(ahead.admits(2)).toBe(true);
  });
});
