import { describe, expect, it } from 'vitest';
import { smallRingsConfig } from '../helpers/small-rings.js';
import { LiveSketches } from '../../dist/engine/rollup/live-sketches.js';
import { kTimestampF64, kUnitsF64 } from '../../dist/engine/queue/layout.js';

const config = smallRingsConfig({ rollup: { liveHours: 2 } });
const kHourMs = 3_600_000;
const kSale = config.events.types.findIndex((t: { name: string }) => t.name === 'SALE');

/** Adds one SALE value to a seller's sketch at hour `hour`. */
function add(s: InstanceType<typeof LiveSketches>, slot: number, hour: number, value: number): void {
  const rec = new Float64Array(2);
  rec[kTimestampF64] = hour * kHourMs + 1;
  rec[kUnitsF64] = value;
  s.addFrom(slot, kSale, rec, 0);
}

/** Sketches for slots 0..7 over two hours, plus a closed hour for slot 3 (its third hour pushes out the first). */
function populated(): InstanceType<typeof LiveSketches> {
  const s = new LiveSketches(config);
  for (let slot = 0; slot < 8; slot++) for (let k = 0; k < 5; k++) add(s, slot, 100 + (k % 2), slot * 10 + k + 1);
  add(s, 3, 102, 7); // hour 102 takes hour 100's way: hour 100 of slot 3 closes (outbox)
  return s;
}

const key = (d: { slot: number; type: number; hour: number; bytes: Uint8Array }) => `${d.slot}|${d.type}|${d.hour}|${Array.from(d.bytes).join(',')}`;

describe('LiveSketches.flushSlice', () => {
  it('hands over in slices exactly what one flush hands over, closed hours with the first slice', () => {
    const whole = populated().flush().map(key).sort();
    const sliced = populated();
    const seen: string[] = [];
    const starts: number[] = [];
    let from = 0;
    let first = true;
    do {
      starts.push(from);
      const slice = sliced.flushSlice(from, 3);
      if (first) expect(slice.deltas.some((d) => d.slot === 3 && d.hour === 100)).toBe(true);
      else expect(slice.deltas.some((d) => d.slot === 3 && d.hour === 100)).toBe(false);
      first = false;
      // a slice ends after the slot at which it reached the limit: at most one slot's sketches beyond it
      expect(slice.deltas.length).toBeLessThanOrEqual(3 + 2);
      seen.push(...slice.deltas.map(key));
      from = slice.nextSlot;
    } while (from >= 0);
    expect(starts.length).toBeGreaterThan(2);
    expect(seen.sort()).toEqual(whole);
    expect(whole.length).toBe(8 * 2 + 1);
    // everything was reset: nothing left for the next flush
    expect(sliced.flush()).toEqual([]);
  });

  it('leaves a value added meanwhile to a visited slot for the next flush, and takes one added to a slot ahead', () => {
    const s = populated();
    const a = s.flushSlice(0, 1);
    expect(a.nextSlot).toBeGreaterThan(0);
    const visited = a.deltas.find((d) => d.hour !== 100)!.slot;
    add(s, visited, 101, 999);
    add(s, 7, 101, 555);
    let from = a.nextSlot;
    const rest: { slot: number; hour: number }[] = [];
    while (from >= 0) {
      const slice = s.flushSlice(from, 1);
      rest.push(...slice.deltas);
      from = slice.nextSlot;
    }
    expect(rest.some((d) => d.slot === visited)).toBe(false);
    expect(rest.filter((d) => d.slot === 7 && d.hour === 101)).toHaveLength(1);
    const next = s.flush();
    expect(next.map((d) => [d.slot, d.hour])).toEqual([[visited, 101]]);
  });
});
