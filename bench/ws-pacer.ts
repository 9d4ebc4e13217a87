/**
 * Open-loop pacing: calls `onDue(scheduledAt)` once per interval from `firstDueAt` until the
 * deadline, catching up on every tick (timers are coarse), so the offered rate does not depend on
 * how fast the server answers.
 */
import { performance } from 'node:perf_hooks';

export class Pacer {
  readonly #intervalMs: number;
  readonly #deadline: number;
  readonly #onDue: (scheduledAt: number) => void;
  #next: number;
  #timer: NodeJS.Timeout | null = null;

  constructor(intervalMs: number, firstDueAt: number, deadline: number, onDue: (scheduledAt: number) => void) {
    if (!(intervalMs > 0)) throw new RangeError('pacing interval must be positive');
    this.#intervalMs = intervalMs;
    this.#next = firstDueAt;
    this.#deadline = deadline;
    this.#onDue = onDue;
  }

  start(): void {
    this.#tick();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #tick(): void {
    this.#timer = null;
    const now = performance.now();
    while (this.#next <= now && this.#next < this.#deadline) {
      this.#onDue(this.#next);
      this.#next += this.#intervalMs;
    }
    if (this.#next < this.#deadline) this.#timer = setTimeout(() => this.#tick(), Math.max(0, this.#next - performance.now()));
  }
}
