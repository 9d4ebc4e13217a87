/** The scenario matrix: HTTP bodies × drivers against three servers, WS frame shapes against two. */
import { benchConfig } from './bench-config.js';
import type { HttpBody } from './event-fixtures.js';
import { kWsFormats, type WsFormat } from './ws-frames.js';

export type TargetName = 'engine' | 'engineOpen' | 'baseline' | 'fastify';
export type HttpDriver = 'wrk' | 'autocannon';
const kHttpDrivers: readonly HttpDriver[] = ['wrk', 'autocannon'];
const kEventsPerMillion = 1_000_000;

export const kTargetLabels: Record<TargetName, string> = {
  engine: 'SellerPulse',
  engineOpen: 'SellerPulse, keys and rate limits off',
  baseline: 'bare uWS (decode only)',
  fastify: 'Fastify 5',
};

export interface HttpScenario {
  id: string;
  kind: 'http';
  driver: HttpDriver;
  body: HttpBody;
  targets: TargetName[];
}

export interface WsScenario {
  id: string;
  kind: 'ws';
  format: WsFormat;
  eventsPerFrame: number;
  /** Offered rate for the paced latency scenarios; 0 = closed loop (maximum rate). */
  eventsPerSec: number;
  targets: TargetName[];
}

export type Scenario = HttpScenario | WsScenario;

export function httpScenarioId(bodyName: string, driver: HttpDriver): string {
  return `http-${bodyName}-${driver}`;
}

export function wsScenarioId(format: WsFormat, eventsPerFrame: number, eventsPerSec = 0): string {
  const base = `ws-${format}-${eventsPerFrame}`;
  return eventsPerSec > 0 ? `${base}-paced-${eventsPerSec / kEventsPerMillion}M` : base;
}

function wsFormat(name: string): WsFormat {
  const format = kWsFormats.find((f) => f === name);
  if (format === undefined) throw new Error(`unknown WS format ${name} (use ${kWsFormats.join(', ')})`);
  return format;
}

function selected(id: string): boolean {
  return benchConfig.only === null || benchConfig.only.test(id);
}

export function buildScenarios(bodies: readonly HttpBody[]): Scenario[] {
  const out: Scenario[] = [];
  for (const body of bodies) {
    for (const name of benchConfig.http.drivers) {
      const driver = kHttpDrivers.find((d) => d === name);
      if (driver === undefined) throw new Error(`unknown HTTP driver ${name} (use ${kHttpDrivers.join(', ')})`);
      // the single-event scenario also runs against the engine with access off: the cost of auth and rate limits
      const targets: TargetName[] = body.name === 'single' ? ['engine', 'engineOpen', 'baseline', 'fastify'] : ['engine', 'baseline', 'fastify'];
      out.push({ id: httpScenarioId(body.name, driver), kind: 'http', driver, body, targets });
    }
  }
  for (const name of benchConfig.ws.formats) {
    const format = wsFormat(name);
    for (const eventsPerFrame of benchConfig.ws.frameSizes) {
      out.push({ id: wsScenarioId(format, eventsPerFrame), kind: 'ws', format, eventsPerFrame, eventsPerSec: 0, targets: ['engine', 'baseline'] });
    }
  }
  for (const p of benchConfig.ws.paced) {
    const format = wsFormat(p.format);
    out.push({
      id: wsScenarioId(format, p.eventsPerFrame, p.eventsPerSec), kind: 'ws', format, eventsPerFrame: p.eventsPerFrame,
      eventsPerSec: p.eventsPerSec, targets: ['engine', 'baseline'],
    });
  }
  return out.filter((s) => selected(s.id));
}
