/**
 * Thread priorities. On Linux os.setPriority(0, …) applies to the calling thread only, so a worker
 * thread can step back for the main thread, whose request handling has no slack, while it keeps
 * the cores when nothing else runs. A refusal (no permission) only costs the preference.
 */
import { setPriority } from 'node:os';

/** Nices the calling thread by `nice` (0: unchanged). */
export function lowerOwnPriority(nice: number): void {
  if (nice === 0) return;
  try {
    setPriority(0, nice);
  } catch {
    // not permitted here: run at normal priority
  }
}
