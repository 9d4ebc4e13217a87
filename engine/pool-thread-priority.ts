/**
 * Nices the piscina pool's threads (config `pool.threadNice`, passed as workerData by api/server.ts).
 * Kept apart from thread-priority.ts so the shard workers, which are not pool threads, never load piscina.
 */
import { isWorkerThread, workerData } from 'piscina';
import { lowerOwnPriority } from './thread-priority.js';

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
