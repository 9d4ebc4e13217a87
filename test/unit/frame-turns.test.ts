import { describe, expect, it } from 'vitest';
import { FrameTurns } from '../../dist/api/ws/frame-turns.js';

const frame = (n: number) => new Uint8Array([n]).buffer;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

function harness(o: { turnMs?: number; maxFrames?: number; pooledFrameBytes?: number; closed?: Set<string> } = {}) {
  const log: string[] = [];
  const turns = new FrameTurns<string>({
    turnMs: () => o.turnMs ?? 1000,
    maxFrames: o.maxFrames ?? 16,
    pooledFrameBytes: o.pooledFrameBytes ?? 4,
    isOpen: (s) => !(o.closed?.has(s) ?? false),
    process: (s, f, binary) => log.push(`${s}:${f[0]}${binary ? 'b' : 't'}`),
  });
  return { log, turns };
}

describe('FrameTurns', () => {
  it('processes frames later, in arrival order across sockets, from copies of their buffers', async () => {
    const { log, turns } = harness();
    const buf = new Uint8Array([1]);
    turns.push('a', buf.buffer, true);
    buf[0] = 99; // the uWS buffer is reused once the handler returns
    turns.push('b', frame(2), false);
    turns.push('a', frame(3), true);
    expect(log).toEqual([]);
    expect(turns.waiting).toBe(3);
    await turn();
    expect(log).toEqual(['a:1b', 'b:2t', 'a:3b']);
    expect(turns.waiting).toBe(0);
  });

  it('calls beforeTurn ahead of every turn (held HTTP answers go out before a turn of frames)', async () => {
    const log: string[] = [];
    const turns = new FrameTurns<string>({
      turnMs: () => 0.05, maxFrames: 16, pooledFrameBytes: 4, isOpen: () => true,
      beforeTurn: () => log.push('answers'),
      process: (s) => {
        const until = performance.now() + 0.2; // each frame outlasts the turn budget: one frame per turn
        while (performance.now() < until);
        log.push(s);
      },
    });
    turns.push('f0', frame(0), true);
    turns.push('f1', frame(1), true);
    while (turns.waiting > 0) await turn();
    expect(log).toEqual(['answers', 'f0', 'answers', 'f1']);
  });

  it('lets the event loop poll between turns once a turn has used its time', async () => {
    const log: string[] = [];
    const slowFrames = 6;
    const turnsWithSlow = new FrameTurns<string>({
      turnMs: () => 0.05, maxFrames: 16, pooledFrameBytes: 4, isOpen: () => true,
      process: (s) => {
        const until = performance.now() + 0.2; // each frame outlasts the turn budget
        while (performance.now() < until);
        log.push(s);
      },
    });
    for (let i = 0; i < slowFrames; i++) turnsWithSlow.push(`f${i}`, frame(i), true);
    // something else that became ready meanwhile (a query) gets its turn between frames
    setImmediate(() => setImmediate(() => log.push('query')));
    while (turnsWithSlow.waiting > 0) await turn();
    expect(log.indexOf('query')).toBeGreaterThan(0);
    expect(log.indexOf('query')).toBeLessThan(slowFrames);
    expect(log.filter((x) => x !== 'query')).toEqual(['f0', 'f1', 'f2', 'f3', 'f4', 'f5']);
  });

  it('processes the frames one socket has waiting back to back inside one cork of that socket, order kept', async () => {
    const log: string[] = [];
    const closed = new Set<string>();
    const turns = new FrameTurns<string>({
      turnMs: () => 1000, maxFrames: 16, pooledFrameBytes: 4, isOpen: (s) => !closed.has(s),
      cork: (s, work) => {
        log.push(`cork ${s}`);
        work();
        log.push(`uncork ${s}`);
      },
      process: (s, f) => {
        log.push(`${s}:${f[0]}`);
        if (f[0] === 6) closed.add(s); // the frame closes its socket: the cork ends there
      },
    });
    for (const [s, n] of [['a', 1], ['a', 2], ['b', 3], ['a', 4], ['c', 5], ['c', 6], ['c', 7], ['b', 8]] as const) turns.push(s, frame(n), true);
    await turn();
    expect(log).toEqual([
      'cork a', 'a:1', 'a:2', 'uncork a', 'cork b', 'b:3', 'uncork b', 'cork a', 'a:4', 'uncork a',
      'cork c', 'c:5', 'c:6', 'uncork c', 'cork b', 'b:8', 'uncork b',
    ]);
  });

  it('ends a cork when the turn has used its time', async () => {
    const log: string[] = [];
    const turns = new FrameTurns<string>({
      turnMs: () => 0.05, maxFrames: 16, pooledFrameBytes: 4, isOpen: () => true,
      cork: (s, work) => {
        log.push('cork');
        work();
      },
      process: (s, f) => {
        const until = performance.now() + 0.2;
        while (performance.now() < until);
        log.push(`${s}:${f[0]}`);
      },
    });
    turns.push('a', frame(1), true);
    turns.push('a', frame(2), true);
    while (turns.waiting > 0) await turn();
    expect(log).toEqual(['cork', 'a:1', 'cork', 'a:2']);
  });

  it('drops the frames of a socket that closed while they waited', async () => {
    const closed = new Set<string>();
    const { log, turns } = harness({ closed });
    turns.push('a', frame(1), true);
    turns.push('b', frame(2), true);
    closed.add('a');
    await turn();
    expect(log).toEqual(['b:2b']);
  });

  it('is bounded: a full queue processes its oldest frame at once, order kept', async () => {
    const { log, turns } = harness({ maxFrames: 2 });
    turns.push('a', frame(1), true);
    turns.push('a', frame(2), true);
    turns.push('a', frame(3), true);
    expect(log).toEqual(['a:1b']);
    expect(turns.waiting).toBe(2);
    turns.flush();
    expect(log).toEqual(['a:1b', 'a:2b', 'a:3b']);
    await turn(); // the scheduled turn finds nothing left
    expect(log).toHaveLength(3);
  });

  it('copies frames into reused buffers of their queue place (and larger ones apart), each frame seen whole', async () => {
    const seen: number[][] = [];
    const turns = new FrameTurns<string>({
      turnMs: () => 1000, maxFrames: 2, pooledFrameBytes: 4, isOpen: () => true,
      process: (_s, f) => seen.push([...f]),
    });
    // the "handler's" buffers are reused for later messages, as uWS does, and overwritten once pushed
    const uws = new Map<number, Uint8Array<ArrayBuffer>>();
    const push = (bytes: number[]) => {
      const message = uws.get(bytes.length) ?? new Uint8Array(new ArrayBuffer(bytes.length));
      uws.set(bytes.length, message);
      message.set(bytes);
      turns.push('a', message.buffer, true);
      message.fill(0xee);
    };
    // three rounds over both places: shorter frames after longer ones in the same place, one frame
    // over the pool size, a full queue processing its oldest at once
    const frames = [[1, 2, 3, 4], [5, 6, 7], [8], [9, 10, 11, 12, 13, 14], [15, 16], [17, 18, 19, 20]];
    for (const f of frames) push(f);
    turns.flush();
    expect(seen).toEqual(frames);
    await turn();
    expect(seen).toHaveLength(frames.length);
  });
});
