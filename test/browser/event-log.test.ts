/**
 * The dashboard's event log (issue 8): the seller's non-empty buckets newest first, 25 a page —
 * "Load more" fetches the next page, scrolling to the end of the list fetches the one after
 * (infinite scroll), and each page holds exactly the buckets GET /metrics/:seller/buckets names
 * for its cursor, down to the end of the window.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, getJson, type TestServer } from '../helpers/server.js';
import { ingest, launchBrowser, openDashboard, tenantKey, watchConsole } from './support.js';

const kMinute = 60_000;
const kNonEmpty = 70; // 25 + 25 + 20: three pages
const kPage = 25;
const kSeller = 'log-shop';

let server: TestServer;
let browser: Browser;
let page: Page;
let problems: string[];
let readKey: string;
let expected: number[];

beforeAll(async () => {
  server = await startTestServer({ monitor: { enabled: false } });
  readKey = (await tenantKey(server.base, 'enterprise', ['read'], 'default')).key;
  // every other minute has events (the empty ones must be skipped); bucket i holds i + 1 views
  const first = Math.floor(Date.now() / kMinute) * kMinute - 2 * kNonEmpty * kMinute;
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < kNonEmpty; i++) {
    for (let j = 0; j <= i; j++) events.push({ sellerId: kSeller, timestamp: first + 2 * i * kMinute + j, type: 'VIEW' });
  }
  await ingest(server.base, events);
  await server.handle.engine.drain();
  // what the API says, page by page, is what the browser must show
  expected = [];
  let cursor: string | null = null;
  do {
    const r = await getJson(server.base, `/metrics/${kSeller}/buckets?type=VIEW&resolution=1m&limit=${kPage}${cursor ? `&cursor=${cursor}` : ''}`, readKey);
    expect(r.status).toBe(200);
    expected.push(...r.body.buckets.map((b: { start: number }) => b.start));
    cursor = r.body.nextCursor;
  } while (cursor !== null);
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  problems = watchConsole(page);
  await openDashboard(page, server.base, readKey, `#seller=${kSeller}&type=VIEW&res=1m`);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const rows = () => page.locator('[data-testid="event-log-scroller"] tbody tr');
const starts = async () => (await rows().evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-start')))));

describe('event log', () => {
  it('pages through the API newest first with a cursor', async () => {
    expect(expected).toHaveLength(kNonEmpty);
    expect([...expected].sort((a, b) => b - a)).toEqual(expected);
    const first = (await getJson(server.base, `/metrics/${kSeller}/buckets?type=VIEW&resolution=1m&limit=${kPage}`, readKey)).body;
    expect(first.nonEmpty).toBe(kNonEmpty);
    expect(first.buckets[0]).toMatchObject({ count: kNonEmpty, sum: kNonEmpty });
    expect(first.buckets[0].end - first.buckets[0].start).toBe(kMinute);
    expect((await getJson(server.base, `/metrics/${kSeller}/buckets?limit=100000`, readKey)).status).toBe(400);
    expect((await getJson(server.base, '/metrics/nobody/buckets', readKey)).status).toBe(404);
  });

  it('shows the first page, then the next on "Load more"', async () => {
    await expect.poll(() => rows().count()).toBe(kPage);
    expect(await starts()).toEqual(expected.slice(0, kPage));
    expect(await rows().first().locator('td').nth(2).textContent()).toBe(String(kNonEmpty));
    await page.getByTestId('event-log-more').click();
    await expect.poll(() => rows().count()).toBe(2 * kPage);
    expect(await starts()).toEqual(expected.slice(0, 2 * kPage));
    expect(await page.getByTestId('event-log-status').textContent()).toMatch(`${2 * kPage} of ${kNonEmpty} non-empty buckets · 2 pages`);
  });

  it('loads the last page when the list is scrolled to its end, and stops there', async () => {
    await page.getByTestId('event-log-scroller').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect.poll(() => rows().count()).toBe(kNonEmpty);
    expect(await starts()).toEqual(expected);
    expect(await rows().last().locator('td').nth(2).textContent()).toBe('1');
    expect(await page.getByTestId('event-log-more').isHidden()).toBe(true);
    expect(await page.getByTestId('event-log-status').textContent()).toMatch(/3 pages · end of the window/);
    await page.getByTestId('event-log-scroller').evaluate((el) => el.scrollTo({ top: 0 }));
    await page.getByTestId('event-log-scroller').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await page.waitForTimeout(300);
    expect(await rows().count()).toBe(kNonEmpty);
  });

  it('can be used from the keyboard', async () => {
    await page.getByTestId('event-log-scroller').focus();
    expect(await page.evaluate('document.activeElement.getAttribute("aria-label")')).toBe('Event log, newest first');
    expect(problems.filter((p) => !/status of 404/.test(p))).toEqual([]);
  });
});
