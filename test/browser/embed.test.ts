/**
 * Embeddable widgets (issue 8), on a host page served from another origin: the iframe URL and the
 * JS SDK (one script tag, shadow DOM) draw a tenant's widgets with its tier's watermark — light for
 * basic, reduced for premium, none for enterprise — and the theme the tag asks for; embed keys read
 * but cannot write; with the API down the SDK hides itself and leaves the console clean; the SDK
 * stays under 10 KB gzipped. The built files are served with their content types and cache headers.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, getJson, postJson, type TestServer } from '../helpers/server.js';
import { deadPort, hostServer, ingest, launchBrowser, tenantKey, watchConsole, type HostServer } from './support.js';

const kSdkPath = new URL('../../dist/dashboard/sdk.js', import.meta.url);
const kSdkBudgetBytes = 10 * 1024;
const kSeller = 'shop-1';
const kTiers = ['basic', 'premium', 'enterprise'] as const;
const kWatermark = { basic: 'light', premium: 'reduced', enterprise: 'none' } as const;
/** The SDK gives up on an unreachable API this long after its bridge frame loads (sdk/bridge-transport.ts), plus slack. */
const kSdkGiveUpMs = 2500;

let server: TestServer;
let host: HostServer;
let browser: Browser;
const embedKeys = {} as Record<(typeof kTiers)[number], string>;

function clicks(seconds: number): Record<string, unknown>[] {
  const start = Math.floor(Date.now() / 1000) * 1000 - seconds * 1000;
  const out: Record<string, unknown>[] = [];
  for (let s = 0; s < seconds; s++) for (let i = 0; i < 3 + (s % 4); i++) out.push({ sellerId: kSeller, timestamp: start + s * 1000 + i * 200, type: 'CLICK' });
  return out;
}

const page = (body: string) => ({ type: 'text/html; charset=utf-8', body: `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title><link rel="icon" href="data:,"><style>section, p { color: rgb(255, 0, 0); font-family: serif; }</style></head><body><p id="host-text">The shop's own page</p>${body}</body></html>` });

beforeAll(async () => {
  server = await startTestServer({ monitor: { enabled: false } });
  const api = server.base;
  for (const tier of kTiers) {
    const ingestKey = await tenantKey(api, tier, ['ingest']);
    embedKeys[tier] = (await tenantKey(api, tier, ['embed'], ingestKey.tenantId)).key;
    await ingest(api, clicks(900), ingestKey.key);
  }
  await server.handle.engine.drain();
  const pages: Record<string, { type: string; body: string | Buffer }> = {
    '/sdk.js': { type: 'text/javascript', body: readFileSync(kSdkPath) },
    '/sdk-down': page(`<script src="/sdk.js" data-widget="health" data-seller="${kSeller}" data-key="sp_whatever" data-api="http://127.0.0.1:${await deadPort()}"></script>`),
  };
  for (const tier of kTiers) {
    pages[`/iframe-${tier}`] = page(`<iframe id="w" title="Health" width="420" height="320" src="${api}/embed/health?seller=${kSeller}&type=CLICK&theme=dark&access_token=${embedKeys[tier]}"></iframe>`);
    pages[`/sdk-${tier}`] = page(`<script src="${api}/sdk.js" async data-widget="anomaly" data-seller="${kSeller}" data-type="CLICK" data-key="${embedKeys[tier]}" data-theme="dark" data-accent="#0a7d5a"></script>
      <div data-sellerpulse-widget="events" data-seller="${kSeller}" data-type="CLICK" data-theme="light"></div>`);
  }
  host = await hostServer(pages);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await server?.close();
});

async function open(path: string): Promise<{ p: Page; problems: string[] }> {
  const p = await (await browser.newContext({ viewport: { width: 900, height: 900 } })).newPage();
  const problems = watchConsole(p);
  await p.goto(host.base + path);
  return { p, problems };
}

describe('embeddable widgets', () => {
  for (const tier of kTiers) {
    it(`iframe: draws the health widget of a ${tier} tenant with watermark "${kWatermark[tier]}"`, async () => {
      const { p, problems } = await open(`/iframe-${tier}`);
      const frame = p.frameLocator('#w');
      const widget = frame.locator('section.sp-w[data-kind="health"]');
      await widget.waitFor();
      expect(await widget.getAttribute('data-tier')).toBe(tier);
      expect(await widget.getAttribute('data-theme')).toBe('dark');
      expect(await widget.locator('.sp-score strong').textContent()).toMatch(/^\d/);
      expect(await widget.locator('.sp-wm').count()).toBe(tier === 'enterprise' ? 0 : 1);
      if (tier !== 'enterprise') {
        expect(await widget.locator('.sp-wm').getAttribute('data-watermark')).toBe(kWatermark[tier]);
        expect(await widget.locator('.sp-wm').isVisible()).toBe(true);
      }
      expect(problems).toEqual([]);
      await p.context().close();
    });

    it(`SDK: one script tag draws the ${tier} tenant's widgets in shadow DOM, watermark "${kWatermark[tier]}"`, async () => {
      const { p, problems } = await open(`/sdk-${tier}`);
      const anomaly = p.locator('.sellerpulse-widget section.sp-w[data-kind="anomaly"]');
      await anomaly.waitFor();
      const events = p.locator('[data-sellerpulse-widget] section.sp-w[data-kind="events"]');
      await events.waitFor();
      expect(await p.locator('.sellerpulse-widget').evaluate((el) => el.shadowRoot !== null && !el.hidden)).toBe(true);
      expect(await anomaly.getAttribute('data-theme')).toBe('dark');
      expect(await events.getAttribute('data-theme')).toBe('light');
      expect(await anomaly.locator('svg.sp-chart').getAttribute('aria-label')).toMatch(/CLICK count of shop-1: \d+ points/);
      expect(await events.locator('tbody tr').count()).toBe(10);
      for (const w of [anomaly, events]) expect(await w.locator('.sp-wm').count()).toBe(tier === 'enterprise' ? 0 : 1);
      if (tier === 'basic') expect(await anomaly.locator('.sp-wm-light').isVisible()).toBe(true);
      // the host page's styles do not reach into the widget, and the widget's do not leak out
      expect(await anomaly.locator('.sp-title').evaluate((el) => (globalThis as any).getComputedStyle(el).color)).not.toBe('rgb(255, 0, 0)');
      expect(await p.locator('#host-text').evaluate((el) => (globalThis as any).getComputedStyle(el).color)).toBe('rgb(255, 0, 0)');
      expect(problems).toEqual([]);
      await p.context().close();
    });
  }

  it('embed keys read, within the embed rate limit of their tier, and cannot write', async () => {
    const key = embedKeys.basic;
    const cfg = await getJson(server.base, '/embed/config', key);
    expect(cfg.status).toBe(200);
    expect(cfg.body).toMatchObject({ tier: 'basic', watermark: server.config.pricing.tierDefaults.basic.embedWatermark, theme: server.config.dashboard.embedTheme });
    expect(cfg.headers.get('x-ratelimit-limit')).toBe(String(server.config.access.rateLimits.basic.embed.burst));
    const write = await postJson(server.base, '/events', { sellerId: kSeller, timestamp: Date.now(), type: 'CLICK' }, 'application/json', key);
    expect(write.status).toBe(403);
    expect(write.body.type).toBe('/problems/forbidden');
    expect((await postJson(server.base, '/events/batch', [{ sellerId: kSeller, timestamp: Date.now(), type: 'CLICK' }], 'application/json', key)).status).toBe(403);
    expect((await postJson(server.base, '/export/pdf', { kind: 'health', sellerId: kSeller }, 'application/json', key)).status).toBe(403);
    expect((await postJson(server.base, '/alerts/ack', { ids: ['a_x'] }, 'application/json', key)).status).toBe(403);
  });

  it('SDK with the API down: hides itself, leaves the host page and the console clean', async () => {
    const { p, problems } = await open('/sdk-down');
    await p.waitForTimeout(kSdkGiveUpMs);
    expect(await p.locator('.sellerpulse-widget').count()).toBe(0);
    expect(await p.locator('iframe').count()).toBe(0);
    expect(await p.locator('#host-text').textContent()).toBe('The shop\'s own page');
    expect(await p.evaluate('document.body.children.length')).toBe(2); // the host's paragraph and the script tag
    expect(problems).toEqual([]);
    await p.context().close();
  });

  it('SDK is under 10 KB gzipped, and served gzipped', async () => {
    const raw = readFileSync(kSdkPath);
    const gz = gzipSync(raw, { level: 9 }).length;
    console.log(`sdk.js: ${raw.length} bytes, ${gz} bytes gzipped (budget ${kSdkBudgetBytes})`);
    expect(gz).toBeLessThan(kSdkBudgetBytes);
    const res = await fetch(`${server.base}/sdk.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('serves the built files from memory with types, cache headers and framing rules', async () => {
    const index = await fetch(`${server.base}/`);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toMatch(/must-revalidate/);
    expect(index.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    const html = await index.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    const js = await fetch(server.base + asset);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe(`public, max-age=${server.config.dashboard.immutableMaxAgeSec}, immutable`);
    const embed = await fetch(`${server.base}/embed/anomaly`);
    expect(embed.headers.get('content-security-policy')).toMatch(/frame-ancestors \*/);
    expect(embed.headers.get('x-frame-options')).toBeNull();
    expect((await fetch(`${server.base}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${server.base}/embed/nope`)).status).toBe(404);
  });
});
