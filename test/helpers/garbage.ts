/** What a piece of code leaves for the garbage collector: V8's gc exposed, and a measure of one run. */
import { GCProfiler, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
/** A full collection, on demand. */
export const gc = runInNewContext('gc') as () => void;

/** Collects, then runs `run` `times` times: the collections meanwhile and how much the heap grew. */
export function garbageOf(run: () => void, times: number): { collections: number; heapGrowth: number } {
  gc();
  const profiler = new GCProfiler();
  profiler.start();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < times; i++) run();
  const after = process.memoryUsage().heapUsed;
  const { statistics } = profiler.stop();
  return { collections: statistics.length, heapGrowth: after - before };
}
