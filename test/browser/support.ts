/**
 * Browser-test support (issue 8): Debian's headless chromium driven by playwright-core, tenants and
 * keys made through the admin API, events ingested over HTTP, a console watcher, and a host page
 * server on another port (another origin) for the embed tests.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { postJson, kTestAdminKey } from '../helpers/server.js';

export const kChromium = '/usr/bin/chromium';
const kBatch = 5000;
/** The key the dashboard keeps in sessionStorage (dashboard/src/app/session.ts). */
const kSessionKey = 'sellerpulse.key';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(kChromium)) throw new Error(`${kChromium} is missing: apt-get install -y chromium (.ci/run installs it)`);
  return chromium.launch({ executablePath: kChromium });
}

/** A new tenant of `tier` and a key of `scopes` for it. */
export async function tenantKey(base: string, tier: 'basic' | 'premium' | 'enterprise', scopes: string[], tenantId?: string): Promise<{ tenantId: string; key: string }> {
  let id = tenantId;
  if (id === undefined) {
    const t = await postJson(base, '/tenants', { name: `browser-${tier}-${Math.random().toString(36).slice(2, 8)}`, tier });
    expect(t.status).toBe(201);
    id = t.body.id as string;
  }
  const k = await postJson(base, `/tenants/${id}/keys`, { name: `browser-${scopes.join('-')}`, scopes });
  expect(k.status).toBe(201);
  return { tenantId: id, key: k.body.key as string };
}

export async function ingest(base: string, events: Record<string, unknown>[], key = kTestAdminKey): Promise<void> {
  for (let i = 0; i < events.length; i += kBatch) {
    const r = await postJson(base, '/events/batch', events.slice(i, i + kBatch), 'application/json', key);
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(202);
  }
}

/** Every console message of level error or warning and every uncaught error of a page (and its frames). */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

/** Opens the dashboard signed in with `key` (as the sign-in form would leave it) at `hash`. */
export async function openDashboard(page: Page, base: string, key: string, hash = ''): Promise<void> {
  await page.addInitScript(`sessionStorage.setItem(${JSON.stringify(kSessionKey)}, ${JSON.stringify(key)})`);
  await page.goto(`${base}/${hash}`);
}

export interface HostServer {
  base: string;
  close(): Promise<void>;
}

/** A plain HTTP server on its own port — another origin than the API — answering `pages` by path. */
export async function hostServer(pages: Record<string, { type: string; body: string | Buffer }>): Promise<HostServer> {
  const server: Server = createServer((req, res) => {
    const page = pages[new URL(req.url ?? '/', 'http://x').pathname];
    if (page === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': page.type }).end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A port nothing listens on (bound, then released). */
export async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
