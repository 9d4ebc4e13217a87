/** Starts the real server (compiled dist/, real uWS, real shard workers) on a free port. */
import pino from 'pino';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config, type DeepPartial } from '../../dist/config/index.js';
import { startServer, type ServerHandle } from '../../dist/api/server.js';

import { authHeaders, kTestAdminKey } from './keys.js';

export { authHeaders, kTestAdminKey };

export interface TestServer {
  handle: ServerHandle;
  base: string;
  wsUrl: string;
  config: Readonly<Config>;
  close(): Promise<void>;
}

/** A fresh data dir per server, removed by close() unless the test passed its own. */
export async function startTestServer(overrides: DeepPartial<Config> = {}, logger = pino({ level: 'silent' }), now?: () => number): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'sellerpulse-test-'));
  const config = loadConfig({
    env: {},
    overrides: { ...overrides, server: { host: '127.0.0.1', port: 0 }, dataDir },
  });
  const handle = await startServer({ config, logger, now, bootstrapAdminKey: kTestAdminKey });
  return {
    handle,
    config,
    base: `http://127.0.0.1:${handle.port}`,
    wsUrl: `ws://127.0.0.1:${handle.port}/stream`,
    close: async () => {
      await handle.close();
      if (overrides.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function postJson(base: string, path: string, body: unknown, contentType = 'application/json', key: string = kTestAdminKey): Promise<{ status: number; body: any; headers: Headers }> {
  return sendJson('POST', base, path, body, contentType, key);
}

export async function sendJson(method: string, base: string, path: string, body: unknown, contentType = 'application/json', key: string = kTestAdminKey): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': contentType, ...authHeaders(key) },
    body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export async function getJson(base: string, path: string, key: string = kTestAdminKey): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(base + path, { headers: authHeaders(key) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

export async function deleteJson(base: string, path: string, key: string = kTestAdminKey): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(base + path, { method: 'DELETE', headers: authHeaders(key) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}
