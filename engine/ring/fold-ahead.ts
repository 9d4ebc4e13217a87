/**
 * Read-your-writes for one seller without folding the whole queue first. A query for a seller folds
 * that seller's queued records now — all of them up to the queue's tail, in queue order — and the
 * worker remembers (slot, until) so its regular fold skips those records when it reaches them.
 *
 * A seller's rings and sketches depend only on its own records and in their order, which is kept: the
 * rings end bit-identical to folding the queue in order. The write-ahead log still appends whole
 * queue ranges when the regular fold passes them; a snapshot slice first folds through `horizon()`, so
 * it never holds a record that is not in an older log generation.
 *
 * Positions are the queue's wrapping int32 counters. A small fixed table, no allocation: when it is
 * full the caller drains the queue instead.
 */
import type { RingStore } from './ring-store.js';

export class FoldAhead {
  readonly #slots: Int32Array;
  /** Exclusive queue position up to which the slot's records have been folded ahead. */
  readonly #until: Int32Array;
  /** 1 for a slot with an entry: the regular fold's per-record check is one load for every other slot. */
  readonly #marked: Uint8Array;
  #count = 0;
  /** Records folded ahead since start (observability). */
  folded = 0;

  constructor(capacity: number, maxSlots: number) {
    this.#slots = new Int32Array(capacity);
    this.#until = new Int32Array(capacity);
    this.#marked = new Uint8Array(maxSlots);
  }

  /** Whether any record between the head and the tail has been folded ahead. */
  get active(): boolean {
    return this.#count > 0;
  }

  /** Whether record `n` of `slot` was already folded ahead (the regular fold skips it). */
  skips(slot: number, n: number): boolean {
    if (this.#marked[slot] !== 1) return false;
    const i = this.#find(slot);
    return i >= 0 && ((this.#until[i] - n) | 0) > 0;
  }

  /**
   * Folds `slot`'s queued records in [head, tail) that are not folded yet and remembers them.
   * Returns false, folding nothing, when the table is full: the caller then drains the queue.
   */
  foldSeller(rings: RingStore, f64: Float64Array, u32: Uint32Array, head: number, tail: number, mask: number, slot: number): boolean {
    if (!this.admits(slot)) return false;
    const from = this.#startOf(slot, head);
    if (from === tail) return true;
    this.folded += rings.foldSlotRecords(f64, u32, from, tail, mask, slot);
    this.#record(slot, tail);
    return true;
  }

  /** Whether `slot` can be folded ahead now (it has an entry, or the table has room for one). */
  admits(slot: number): boolean {
    return this.#count < this.#slots.length || this.#find(slot) >= 0;
  }

  /** Where a new fold-ahead of `slot` starts: after what was folded ahead already, else at `head`. */
  #startOf(slot: number, head: number): number {
    const i = this.#find(slot);
    return i >= 0 ? this.#until[i] : head;
  }

  /** Records that `slot` is folded up to `until` (only when admits(slot)). */
  #record(slot: number, until: number): void {
    let i = this.#find(slot);
    if (i < 0) {
      if (this.#count === this.#slots.length) throw new RangeError('fold-ahead table is full');
      i = this.#count++;
      this.#slots[i] = slot;
      this.#marked[slot] = 1;
    }
    this.#until[i] = until;
  }

  /** The furthest queue position folded ahead (`head` when none): folding up to it settles every entry. */
  horizon(head: number): number {
    let far = head;
    for (let i = 0; i < this.#count; i++) if (((this.#until[i] - far) | 0) > 0) far = this.#until[i];
    return far;
  }

  /** Forgets the entries the regular fold has passed (head at or beyond their `until`). */
  passed(head: number): void {
    let kept = 0;
    for (let i = 0; i < this.#count; i++) {
      if (((this.#until[i] - head) | 0) <= 0) {
        this.#marked[this.#slots[i]] = 0;
        continue;
      }
      this.#slots[kept] = this.#slots[i];
      this.#until[kept] = this.#until[i];
      kept++;
    }
    this.#count = kept;
  }

  #find(slot: number): number {
    for (let i = 0; i < this.#count; i++) if (this.#slots[i] === slot) return i;
    return -1;
  }
}
