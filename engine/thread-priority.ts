/**
 * Thread priorities. On Linux os.setPriority(0, …) applies to the calling thread only, so a worker
 * thread can step back for the main thread, whose request handling has no slack, while it keeps
 * the cores when nothing else runs. A refusal (no permission) only costs the preference.
 */
import { setPriority } from 'node:os';
import { isWorkerThread, workerData } from 'piscina';

/** Nices the calling thread by `nice` (0: unchanged). */
export function lowerOwnPriority(nice: number): void {
  if (nice === 0) return;
  try {
    setPriority(0, nice);
  } catch {
    // not permitted here: run at normal priority
  }
}

/** What the pool's threads receive as piscina workerData (api/server.ts). */
export interface PoolWorkerData {
  threadNice: number;
}

let pooledThreadNiced = false;

/**
 * Called at the top of every piscina task module: nices a pool thread once (config
 * `pool.threadNice`, passed as workerData), whichever task it loads first.
 */
export function lowerPoolThreadPriority(): void {
  // render-task.ts is also imported on the main thread (for its file name): never nice that
  if (pooledThreadNiced || !isWorkerThread) return;
  pooledThreadNiced = true;
  const data = workerData as Partial<PoolWorkerData> | undefined;
  lowerOwnPriority(data?.threadNice ?? 0);
}
