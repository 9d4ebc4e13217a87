/**
 * Thread priorities. On Linux os.setPriority(0, …) applies to the calling thread only, so a worker
 * thread can step back for the main thread, whose request handling has no slack, while it keeps
 * the cores when nothing else runs. A refusal (no permission) only costs the preference.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Nices the calling thread by `nice` (0: unchanged). */
export function lowerOwnPriority(nice: number): void {
  if (nice === 0) return;
  setThreadPriority(0, nice);
}

/**
 * Sets the nice value of a thread (0: the calling one); false when refused. Lowering a nice value
 * (raising the priority) needs CAP_SYS_NICE or an RLIMIT_NICE that allows it.
 */
export function setThreadPriority(threadId: number, nice: number): boolean {
  try {
    setPriority(threadId, nice);
    return true;
  } catch {
    return false;
  }
}

/** The calling thread's kernel thread id (Linux: /proc/thread-self), 0 where the platform has none. */
export function ownThreadId(): number {
  try {
    const id = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isSafeInteger(id) ? id : 0;
  } catch {
    return 0;
  }
}
