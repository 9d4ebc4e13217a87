/** Whether this process may raise a thread's priority again after lowering it (CAP_SYS_NICE or RLIMIT_NICE). */
import { getPriority } from 'node:os';
import { setThreadPriority } from '../../dist/engine/thread-priority.js';

export function mayRaisePriority(): boolean {
  const before = getPriority(0);
  if (!setThreadPriority(0, before + 1)) return false;
  return setThreadPriority(0, before);
}
