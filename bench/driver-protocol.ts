/** Messages between the orchestrator and a load-driver child process (bench/driver-child.ts). */
import type { AutocannonJob, HttpLoadResult } from './autocannon-driver.js';
import type { WsLoadJob, WsLoadResult } from './ws-load.js';

export type DriverJob = { kind: 'ws'; job: WsLoadJob } | { kind: 'autocannon'; job: AutocannonJob };
export type DriverResult = { kind: 'ws'; result: WsLoadResult } | { kind: 'autocannon'; result: HttpLoadResult };

/** Parent → child. */
export type ParentMessage = { type: 'job'; job: DriverJob } | { type: 'go' };

/** Child → parent. */
export type ChildMessage =
  | { type: 'ready' }
  | { type: 'load-ended' }
  | { type: 'result'; result: DriverResult }
  | { type: 'failed'; error: string };
