/**
 * The request-priority protocol between a shard's host and its worker (engine/shard/request-priority.ts),
 * with a real worker thread: every request the worker receives finds it already raised to requestNice,
 * however the host's posts and the worker's answers interleave, and once all are answered it is back
 * at workerNice. Runs where this process may raise a thread's priority (root here; CAP_SYS_NICE).
 */
import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { allocateRequestPriority, RequestPriorityRaiser } from '../../dist/engine/shard/request-priority.js';
import { mayRaisePriority } from '../helpers/thread-priority.js';

const kFoldNice = 7;
const kRequestNice = 2;
const kRequests = 20_000;

const kWorkerSource = `
  const { parentPort, workerData } = require('node:worker_threads');
  const { getPriority } = require('node:os');
  import(workerData.module).then(({ RequestPriorityWorker }) => {
    const p = new RequestPriorityWorker(workerData.state, workerData.foldNice, workerData.requestNice);
    const seen = [];
    parentPort.on('message', (m) => {
      if (m === 'report') return parentPort.postMessage({ seen, nice: getPriority(0), enabled: p.enabled, lowered: p.loweredAfterRequests });
      seen.push(getPriority(0));
      // some work between receiving and answering, so posts overlap the answers
      let x = 0;
      for (let i = 0; i < (m % 7) * 200; i++) x += Math.sqrt(i);
      p.handled();
      parentPort.postMessage(x >= 0 ? 'answered' : 'never');
    });
    parentPort.postMessage('ready');
  });
`;

describe('request priority (host raises, worker steps back)', () => {
  it.runIf(mayRaisePriority())('every request finds the worker at requestNice; afterwards it folds at workerNice again', async () => {
    const state = allocateRequestPriority();
    const raiser = new RequestPriorityRaiser(state);
    raiser.reset();
    const module = new URL('../../dist/engine/shard/request-priority.js', import.meta.url).href;
    const worker = new Worker(kWorkerSource, { eval: true, workerData: { state, module, foldNice: kFoldNice, requestNice: kRequestNice } });
    try {
      const messages: unknown[] = [];
      let wake: (() => void) | undefined;
      worker.on('message', (m) => {
        messages.push(m);
        wake?.();
      });
      const next = async (): Promise<unknown> => {
        while (messages.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        return messages.shift();
      };
      expect(await next()).toBe('ready');
      expect(raiser.enabled).toBe(true);
      let answered = 0;
      for (let sent = 0; sent < kRequests;) {
        // bursts of 1–5 posts, so the count crosses 0 → 1 and 1 → 0 in every interleaving
        const burst = 1 + (sent % 5);
        for (let k = 0; k < burst && sent < kRequests; k++, sent++) {
          raiser.raise(kRequestNice);
          worker.postMessage(sent);
        }
        while (answered < sent - (sent % 3)) if ((await next()) === 'answered') answered++;
      }
      while (answered < kRequests) if ((await next()) === 'answered') answered++;
      worker.postMessage('report');
      const report = (await next()) as { seen: number[]; nice: number; enabled: boolean; lowered: number };
      expect(report.enabled).toBe(true);
      expect(report.seen).toHaveLength(kRequests);
      expect(report.seen.filter((n) => n !== kRequestNice)).toEqual([]);
      expect(report.nice).toBe(kFoldNice);
      expect(report.lowered).toBeGreaterThan(0);
    } finally {
      await worker.terminate();
    }
  });

  it.runIf(mayRaisePriority())('is off when requestNice is not above workerNice: nothing counted, nothing raised', async () => {
    const state = allocateRequestPriority();
    const raiser = new RequestPriorityRaiser(state);
    const module = new URL('../../dist/engine/shard/request-priority.js', import.meta.url).href;
    const worker = new Worker(kWorkerSource, { eval: true, workerData: { state, module, foldNice: kFoldNice, requestNice: kFoldNice } });
    try {
      await new Promise((resolve) => worker.once('message', resolve));
      expect(raiser.enabled).toBe(false);
      raiser.raise(kRequestNice);
      expect(Atomics.load(state, 0)).toBe(0);
      const report = await new Promise<{ seen: number[]; nice: number; enabled: boolean }>((resolve) => {
        worker.on('message', (m) => (typeof m === 'object' ? resolve(m) : undefined));
        worker.postMessage(1);
        worker.postMessage('report');
      });
      expect(report).toMatchObject({ enabled: false, nice: kFoldNice, seen: [kFoldNice] });
    } finally {
      await worker.terminate();
    }
  });
});
