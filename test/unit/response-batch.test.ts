/** ResponseBatch: order, limit, skipped and failed answers — with a recording writer in place of uWS. */
import { describe, expect, it } from 'vitest';
import { ResponseBatch, type BatchWriter } from '../../dist/api/http/response-batch.js';
import type { HttpResponse } from '../../dist/api/uws.js';

interface State { aborted: boolean; id: number }

function recorder(throwFor = -1) {
  const log: string[] = [];
  const writer: BatchWriter<State> = {
    write: (_res, state, status, _type, payload) => {
      if (state.id === throwFor) throw new Error('write failed');
      log.push(`write ${state.id} ${status} ${String(payload)}`);
    },
    skip: (state) => log.push(`skip ${state.id}`),
    failed: (err, state) => log.push(`failed ${state.id} ${(err as Error).message}`),
  };
  return { log, writer };
}

const res = {} as HttpResponse;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('ResponseBatch', () => {
  it('holds answers until the end of the poll phase and writes them in order', async () => {
    const { log, writer } = recorder();
    const batch = new ResponseBatch(writer, () => 64);
    for (let id = 0; id < 5; id++) batch.add(res, { aborted: false, id }, 202, 'application/json', `{"n":${id}}`, undefined, false);
    expect(log).toEqual([]);
    expect(batch.size).toBe(5);
    await nextTurn();
    expect(log).toEqual([0, 1, 2, 3, 4].map((id) => `write ${id} 202 {"n":${id}}`));
    expect(batch.size).toBe(0);
    expect([batch.held, batch.batches]).toEqual([5, 1]);
  });

  it('writes at once when full, and at once when the limit is 0', async () => {
    const { log, writer } = recorder();
    let limit = 3;
    const batch = new ResponseBatch(writer, () => limit);
    for (let id = 0; id < 7; id++) batch.add(res, { aborted: false, id }, 202, 't', 'x', undefined, false);
    expect(log.length).toBe(6);
    await nextTurn();
    expect(log.length).toBe(7);
    expect([batch.held, batch.batches]).toEqual([7, 3]);
    limit = 0;
    batch.add(res, { aborted: false, id: 7 }, 400, 't', 'y', undefined, false);
    expect(log[7]).toBe('write 7 400 y');
    expect(batch.held).toBe(7);
  });

  it('skips an answer whose client went away, and one failed write does not stop the others', async () => {
    const { log, writer } = recorder(1);
    const batch = new ResponseBatch(writer, () => 64);
    const states = [0, 1, 2, 3].map((id) => ({ aborted: false, id }));
    for (const s of states) batch.add(res, s, 202, 't', 'x', undefined, false);
    states[2].aborted = true;
    await nextTurn();
    expect(log).toEqual(['write 0 202 x', 'failed 1 write failed', 'skip 2', 'write 3 202 x']);
  });

  it('writes an answer added while it writes (a callback answering another request) in the same pass, after the others', async () => {
    const log: string[] = [];
    const writer: BatchWriter<State> = {
      write: (_res, state) => {
        log.push(`write ${state.id}`);
        if (state.id === 0) batch.add(res, { aborted: false, id: 9 }, 202, 't', 'x', undefined, false);
      },
      skip: (state) => log.push(`skip ${state.id}`),
      failed: (err) => log.push(`failed ${(err as Error).message}`),
    };
    const batch = new ResponseBatch(writer, () => 2);
    batch.add(res, { aborted: false, id: 0 }, 202, 't', 'x', undefined, false);
    batch.add(res, { aborted: false, id: 1 }, 202, 't', 'x', undefined, false); // full: written now
    expect(log).toEqual(['write 0', 'write 1', 'write 9']);
    expect([batch.size, batch.held, batch.batches]).toEqual([0, 3, 1]);
    await nextTurn();
    expect(log.length).toBe(3);
  });
});
