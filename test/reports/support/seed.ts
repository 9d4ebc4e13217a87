/** Real events for report tests: a warm SALE seller with a daily-ish wave and a late surge. */
import { expect } from 'vitest';
import { postJson } from '../../helpers/server.js';

const kMinute = 60_000;
const kBatch = 2000;

/** ~4 sales a minute for `minutes` minutes before `now`, the last `surge` minutes at four times the rate. */
export async function seedSeller(base: string, sellerId: string, now: number, minutes = 1200, surge = 15): Promise<number> {
  const events: { sellerId: string; timestamp: number; type: string; value: number }[] = [];
  for (let m = 1; m <= minutes; m++) {
    const n = (3 + Math.round(2 * Math.sin((2 * Math.PI * m) / 240))) * (m <= surge ? 4 : 1);
    for (let k = 0; k < n; k++) events.push({ sellerId, timestamp: now - m * kMinute + k * 3000, type: 'SALE', value: 20 + ((m * 7 + k) % 11) });
  }
  for (let i = 0; i < events.length; i += kBatch) expect((await postJson(base, '/events/batch', events.slice(i, i + kBatch))).status).toBe(202);
  return events.length;
}

export interface Exported {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
  /** The problem document, when the answer is one. */
  problem: any;
}

export async function postExport(base: string, path: string, body: unknown, key: string): Promise<Exported> {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const json = (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(Buffer.from(bytes).toString('utf8')) : null;
  return { status: res.status, headers: res.headers, bytes, problem: json };
}
