/**
 * Preloaded into every server the bench starts (`node --import <this file> …`): when the
 * orchestrator goes away (its IPC channel closes), the server stops itself with SIGTERM — a normal
 * drain — so a killed bench never leaves servers running on the shared machine. The channel is
 * unref'd so it never keeps the server alive on its own.
 */
import { isMainThread } from 'node:worker_threads';

if (isMainThread && typeof process.send === 'function') {
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  process.channel?.unref();
}
