/**
 * Entry of a load-driver child process, so the load generator never shares an event loop with the
 * orchestrator. Protocol (IPC): job → ready (frames built, sockets open) → go → load-ended → result.
 */
import { runAutocannon } from './autocannon-driver.js';
import { runWsLoad } from './ws-load.js';
import type { ChildMessage, DriverJob, DriverResult, ParentMessage } from './driver-protocol.js';

function post(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) throw new Error('driver-child must be started with an IPC channel');
    process.send(message, undefined, {}, () => resolve());
  });
}

function waitForGo(): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (m: ParentMessage) => {
      if (m.type !== 'go') return;
      process.off('message', onMessage);
      resolve();
    };
    process.on('message', onMessage);
  });
}

async function execute(job: DriverJob): Promise<DriverResult> {
  const ready = async () => {
    const go = waitForGo();
    await post({ type: 'ready' });
    await go;
  };
  const ended = () => void post({ type: 'load-ended' });
  if (job.kind === 'ws') return { kind: 'ws', result: await runWsLoad(job.job, ready, ended) };
  await ready();
  const result = await runAutocannon(job.job);
  ended();
  return { kind: 'autocannon', result };
}

process.once('message', (m: ParentMessage) => {
  if (m.type !== 'job') return;
  execute(m.job).then(
    async (result) => {
      await post({ type: 'result', result });
      process.exit(0);
    },
    async (err: unknown) => {
      await post({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      process.exit(1);
    },
  );
});
