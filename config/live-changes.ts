/**
 * Which config paths can change while the server runs. A version that changes a boot-only path is
 * refused with the reason below (DESIGN §7: "a change that cannot apply live is refused with an
 * explanation"); to change one, edit SELLERPULSE_CONFIG and restart — the change is then recorded as
 * a version authored by "boot".
 */
import type { ConfigDiffEntry } from './diff.js';

export const kBootOnlyPaths: readonly { prefix: string; why: string }[] = [
  { prefix: '/server', why: 'the listening socket is bound at start' },
  { prefix: '/dataDir', why: 'the store is opened at start' },
  { prefix: '/log', why: 'the logger is built at start' },
  { prefix: '/events/types', why: 'event types shape every seller\'s ring layout in memory and in snapshots' },
  { prefix: '/events/valueScale', why: 'stored sums are integers in units of 1/valueScale; a new scale would change their meaning' },
  { prefix: '/events/eventIdMemory', why: 'the idempotency table is allocated at start' },
  { prefix: '/rings', why: 'ring resolutions shape every seller\'s ring layout in memory and in snapshots' },
  { prefix: '/queue/capacity', why: 'shard queues are allocated at start' },
  { prefix: '/queue/foldAheadSlots', why: 'each shard worker allocates its fold-ahead table at start' },
  { prefix: '/shard/sellersPerChunk', why: 'ring memory layout' },
  { prefix: '/shard/maxSellersPerShard', why: 'slot tables are allocated at start' },
  { prefix: '/shard/workerNice', why: 'shard workers set their thread priority at start' },
  { prefix: '/shard/requestNice', why: 'shard workers find out at start whether they may be raised' },
  { prefix: '/limits/maxFrameBytes', why: 'the WebSocket payload limit is fixed when the route is registered' },
  { prefix: '/ws/idleTimeoutSec', why: 'fixed when the WebSocket route is registered' },
  { prefix: '/ws/maxBackpressureBytes', why: 'fixed when the WebSocket route is registered' },
  { prefix: '/ws/seqWindow', why: 'producer seq windows are allocated with this size' },
  { prefix: '/ws/maxWaitingFrames', why: 'the queue of frames waiting for their turn is allocated at start' },
  { prefix: '/ws/pooledFrameBytes', why: 'the reused frame buffers are sized at start' },
  { prefix: '/decode', why: 'the decoder\'s string table is allocated at start' },
  { prefix: '/pool', why: 'the worker pool is created at start' },
  { prefix: '/durability/mode', why: 'acknowledgement semantics and the write-ahead log are set up at start' },
  { prefix: '/rollup/sketch', why: 'stored sketches are merged with the accuracy they were made with' },
  { prefix: '/rollup/sketchTypes', why: 'workers allocate their sketches at start' },
  { prefix: '/rollup/liveHours', why: 'workers allocate their sketches at start' },
  { prefix: '/rollup/granularities/hourly', why: 'stored hourly sketches are keyed by this width' },
  { prefix: '/access/publicMetrics', why: 'who may read /metrics is fixed when the route is registered' },
  { prefix: '/access/keyBytes', why: 'the key registry is built at start' },
  { prefix: '/access/keyCacheEntries', why: 'the key registry is built at start' },
  { prefix: '/access/lastUsedFlushMs', why: 'the flush timer is started at start' },
  { prefix: '/delivery/maxUrlLength', why: 'the POST /webhooks body schema is built when the route is registered' },
  { prefix: '/delivery/page/max', why: 'the delivery-log query schema is built when the route is registered' },
];

export interface RefusedChange {
  path: string;
  message: string;
}

/** The changes in `diff` that cannot be applied live, with why. */
export function refusedLiveChanges(diff: readonly ConfigDiffEntry[], live: readonly { prefix: string; why: string }[] = kBootOnlyPaths): RefusedChange[] {
  const out: RefusedChange[] = [];
  for (const d of diff) {
    const rule = live.find((r) => d.path === r.prefix || d.path.startsWith(r.prefix + '/'));
    if (rule) out.push({ path: d.path, message: `cannot change while running: ${rule.why}; change it in SELLERPULSE_CONFIG and restart` });
  }
  return out;
}
