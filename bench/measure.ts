/**
 * One measurement: one scenario against one server for a bounded time, with the server's CPU, RSS
 * (from /proc) and main-thread ELU/GC (from the probe) sampled over exactly the timed part, and the
 * ring check for the engine's WebSocket runs.
 */
import { benchConfig, kMsPerSec } from './bench-config.js';
import type { HttpLoadResult } from './autocannon-driver.js';
import { runDriver } from './driver-runner.js';
import { sellerIds } from './event-fixtures.js';
import { ProcSampler, type ProcSample } from './proc-sampler.js';
import { checkRings, type RingCheck } from './ring-check.js';
import type { HttpScenario, Scenario, TargetName, WsScenario } from './scenarios.js';
import { probeServer, type ServerChild } from './server-process.js';
import type { ProbeSnapshot } from './engine-probe.js';
import { runWrk } from './wrk-driver.js';
import type { WsLoadResult } from './ws-load.js';

const kJsonContentType = 'application/json';

export interface WsDetails {
  retries: number;
  retryReasons: Record<string, number>;
  partialFrames: number;
  unackedAtEnd: number;
  missedFrames: number;
  completionP99Ms: number;
  ring: RingCheck | null;
}

export interface Measurement {
  scenarioId: string;
  target: TargetName;
  round: number;
  durationSec: number;
  requests: number;
  reqPerSec: number;
  eventsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx responses (HTTP) or error acks / socket errors (WS). */
  failures: number;
  firstError: string | null;
  server: ProcSample;
  clientCpuPct: number;
  /** Main-thread event-loop utilisation over the timed part (0..1), NaN without the probe. */
  elu: number;
  gcCount: number;
  gcMs: number;
  ws: WsDetails | null;
}

export interface MeasureContext {
  seconds: number;
  round: number;
  /** Scratch directory (wrk bodies and scripts). */
  workDir: string;
  /** Unique per measurement: names the WS producers and sellers. */
  runTag: string;
}

interface Sampling {
  server: ProcSample;
  clientCpuPct: number;
  elu: number;
  gcCount: number;
  gcMs: number;
}

/** Samples server and client between begin() and end(). */
class Sampler {
  readonly #server: ServerChild;
  #serverSampler: ProcSampler;
  #clientSampler: ProcSampler | null = null;
  #probe0: ProbeSnapshot | null = null;
  result: Sampling | null = null;

  constructor(server: ServerChild) {
    this.#server = server;
    this.#serverSampler = new ProcSampler(server.pid, benchConfig.sampling.intervalMs);
  }

  async begin(clientPid: number): Promise<void> {
    this.#probe0 = await probeServer(this.#server);
    if (clientPid > 0) {
      this.#clientSampler = new ProcSampler(clientPid, benchConfig.sampling.intervalMs);
      this.#clientSampler.start();
    }
    this.#serverSampler.start();
  }

  async end(): Promise<void> {
    if (this.result) return;
    const server = this.#serverSampler.stop();
    const clientCpuPct = this.#clientSampler?.stop().cpuPct ?? NaN;
    const p1 = await probeServer(this.#server);
    const p0 = this.#probe0;
    const haveProbe = p0 !== null && p1 !== null;
    const active = haveProbe ? p1.activeMs - p0.activeMs : NaN;
    const idle = haveProbe ? p1.idleMs - p0.idleMs : NaN;
    this.result = {
      server, clientCpuPct, elu: active / (active + idle),
      gcCount: haveProbe ? p1.gcCount - p0.gcCount : NaN, gcMs: haveProbe ? p1.gcMs - p0.gcMs : NaN,
    };
  }
}

function httpMeasurement(scenario: HttpScenario, target: TargetName, ctx: MeasureContext, r: HttpLoadResult, s: Sampling): Measurement {
  const reqPerSec = r.ok / r.durationSec;
  return {
    scenarioId: scenario.id, target, round: ctx.round, durationSec: r.durationSec, requests: r.requests,
    reqPerSec, eventsPerSec: reqPerSec * scenario.body.eventsPerRequest, p50Ms: r.p50Ms, p99Ms: r.p99Ms,
    failures: r.non2xx + r.errors, firstError: r.non2xx > 0 ? `${r.non2xx} non-2xx responses` : null,
    ...s, ws: null,
  };
}

async function measureHttp(scenario: HttpScenario, target: TargetName, server: ServerChild, ctx: MeasureContext): Promise<Measurement> {
  const url = `${server.baseUrl}${scenario.body.path}`;
  const sampler = new Sampler(server);
  const killAfterMs = ctx.seconds * kMsPerSec + benchConfig.timeouts.driverSlackMs;
  let result: HttpLoadResult;
  if (scenario.driver === 'wrk') {
    // wrk's own process is gone when it returns, so sampling ends just before its duration is up.
    const phases: Promise<void>[] = [];
    let endTimer: NodeJS.Timeout | undefined;
    try {
      result = await runWrk({
        url, body: scenario.body.json, contentType: kJsonContentType, threads: benchConfig.http.wrkThreads,
        connections: benchConfig.http.connections, durationSec: ctx.seconds, workDir: ctx.workDir, name: scenario.id, killAfterMs,
      }, (pid) => {
        const began = sampler.begin(pid);
        phases.push(began);
        endTimer = setTimeout(() => phases.push(began.then(() => sampler.end())), ctx.seconds * kMsPerSec - benchConfig.sampling.endMarginMs);
      });
    } finally {
      clearTimeout(endTimer);
    }
    await Promise.all(phases);
    await sampler.end();
  } else {
    const out = await runDriver({
      kind: 'autocannon',
      job: {
        url, body: scenario.body.json, contentType: kJsonContentType, connections: benchConfig.http.connections,
        pipelining: benchConfig.http.autocannonPipelining, durationSec: ctx.seconds,
      },
    }, { onReady: (pid) => sampler.begin(pid), onLoadEnded: () => sampler.end() }, killAfterMs + benchConfig.timeouts.driverPrepareMs);
    if (out.kind !== 'autocannon') throw new Error('unexpected driver result');
    result = out.result;
  }
  if (!sampler.result) throw new Error('sampling did not finish');
  return httpMeasurement(scenario, target, ctx, result, sampler.result);
}

async function measureWs(scenario: WsScenario, target: TargetName, server: ServerChild, ctx: MeasureContext): Promise<Measurement> {
  const { ws, fixtures, timeouts } = benchConfig;
  const sellers = sellerIds(`w${ctx.runTag}`, fixtures.sellers);
  const sampler = new Sampler(server);
  const durationMs = ctx.seconds * kMsPerSec;
  const out = await runDriver({
    kind: 'ws',
    job: {
      url: `ws://${benchConfig.host}:${server.port}/stream`, producerPrefix: `b${ctx.runTag}`, format: scenario.format,
      eventsPerFrame: scenario.eventsPerFrame, eventsPerSec: scenario.eventsPerSec, sellers, nowMs: Date.now(), seed: fixtures.seed, connections: ws.connections,
      window: ws.window, durationMs, graceMs: ws.graceMs, zeroMask: ws.zeroMask,
    },
  }, { onReady: (pid) => sampler.begin(pid), onLoadEnded: () => sampler.end() },
  timeouts.driverPrepareMs + durationMs + ws.graceMs + timeouts.driverSlackMs);
  if (out.kind !== 'ws' || !sampler.result) throw new Error('unexpected driver result');
  const r: WsLoadResult = out.result;
  const ring = target === 'engine'
    ? await checkRings(server.baseUrl, sellers, r.acceptedTotal, r.acceptedByType, r.partialFrames === 0)
    : null;
  const seconds = r.elapsedMs / kMsPerSec;
  return {
    scenarioId: scenario.id, target, round: ctx.round, durationSec: seconds, requests: r.framesInWindow,
    reqPerSec: r.framesInWindow / seconds, eventsPerSec: r.acceptedInWindow / seconds,
    p50Ms: r.ackLatency.p50, p99Ms: r.ackLatency.p99, failures: r.errors, firstError: r.firstError,
    ...sampler.result,
    ws: {
      retries: r.retries, retryReasons: r.retryReasons, partialFrames: r.partialFrames, unackedAtEnd: r.unackedAtEnd,
      missedFrames: r.missedFrames, completionP99Ms: r.completionLatency.p99, ring,
    },
  };
}

export function measure(scenario: Scenario, target: TargetName, server: ServerChild, ctx: MeasureContext): Promise<Measurement> {
  return scenario.kind === 'http' ? measureHttp(scenario, target, server, ctx) : measureWs(scenario, target, server, ctx);
}
