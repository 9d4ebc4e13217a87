/**
 * The dashboard, the embed pages and the JS SDK (issue 8): the files `npm run build:dashboard`
 * writes to dist/dashboard/ are read once at start and served from memory — no disk access per
 * request; the gzip variants are made then too, and sent (config dashboard.gzipMinBytes and up) to
 * clients that accept them. Public routes (the pages hold no data; every API call they make
 * carries a key):
 *
 *   GET /                       index.html, the dashboard          (never framed)
 *   GET /embed/<widget>         embed.html, one widget per iframe  (framable by any site)
 *   GET /embed/bridge           bridge.html, the SDK's data bridge (framable by any site)
 *   GET /sdk.js                 the JS SDK (one <script> tag)
 *   GET /assets/:file           content-hashed scripts and styles  (cached for a year)
 */
import { gzipSync } from 'node:zlib';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import type { HttpRequest, HttpResponse } from '../uws.js';
import { problem } from '../errors.js';
import { sendProblem, sendText, type ResponseState } from './reply.js';
import type { Router } from './router.js';
import { problemResponses } from './docs.js';

/** Widgets served as iframe pages and by the SDK (dashboard/src/widgets/kinds.ts names the same). */
export const kWidgets = ['anomaly', 'prediction', 'health', 'alerts', 'events'] as const;

/** dist/api/http/static-route.js → dist/dashboard/ */
const kDefaultRoot = fileURLToPath(new URL('../../dashboard/', import.meta.url));

const kContentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};
const kCompressible = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);
const kPublic = { kind: 'public' } as const;

/** Content-Security-Policy of the pages: nothing from elsewhere; the dashboard is never framed, embed pages anywhere. */
const kCsp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";
const kPageHeaders = { 'content-security-policy': `${kCsp}; frame-ancestors 'none'`, 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' };
const kEmbedHeaders = { 'content-security-policy': `${kCsp}; frame-ancestors *`, 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' };
const kAssetHeaders = { 'x-content-type-options': 'nosniff', 'cross-origin-resource-policy': 'cross-origin' };

type Freshness = 'immutable' | 'page';

class Asset {
  readonly body: Buffer;
  readonly gzip: Buffer | null;
  readonly type: string;
  readonly freshness: Freshness;
  readonly headers: Readonly<Record<string, string>>;

  constructor(body: Buffer, gzip: Buffer | null, type: string, freshness: Freshness, headers: Readonly<Record<string, string>>) {
    this.body = body;
    this.gzip = gzip;
    this.type = type;
    this.freshness = freshness;
    this.headers = headers;
  }
}

export interface StaticContext {
  config: () => Readonly<Config>;
  log: Logger;
  /** Where the built files are (default dist/dashboard/). */
  root?: string;
}

/** Every file under `root`, by its URL path (/assets/x.js). */
function readTree(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(root, { recursive: true }) as string[]) {
    const path = join(root, name);
    if (statSync(path).isFile()) files.set('/' + relative(root, path).split(sep).join('/'), readFileSync(path));
  }
  return files;
}

export function registerStaticRoutes(router: Router, ctx: StaticContext): void {
  const root = ctx.root ?? kDefaultRoot;
  const files = existsSync(root) ? readTree(root) : new Map<string, Buffer>();
  if (files.size === 0) ctx.log.warn({ root }, 'the dashboard is not built (npm run build:dashboard): GET / will answer 404');
  const asset = (path: string, freshness: Freshness, headers: Readonly<Record<string, string>>): Asset | null => {
    const body = files.get(path);
    if (body === undefined) return null;
    const ext = extname(path);
    const gzip = kCompressible.has(ext) ? gzipSync(body) : null;
    return new Asset(body, gzip, kContentTypes[ext] ?? 'application/octet-stream', freshness, headers);
  };

  const serve = (res: HttpResponse, req: HttpRequest, state: ResponseState, a: Asset | null | undefined): void => {
    const config = ctx.config().dashboard;
    if (!config.enabled || a === null || a === undefined) {
      sendProblem(res, state, problem('not_found', config.enabled ? `no file ${req.getUrl()}` : 'the dashboard is disabled (config dashboard.enabled)'));
      return;
    }
    const maxAge = a.freshness === 'immutable' ? `public, max-age=${config.immutableMaxAgeSec}, immutable` : `public, max-age=${config.pageMaxAgeSec}, must-revalidate`;
    const gzip = a.gzip !== null && a.body.length >= config.gzipMinBytes && req.getHeader('accept-encoding').includes('gzip');
    const headers: Record<string, string> = { ...a.headers, 'cache-control': maxAge, vary: 'accept-encoding' };
    if (gzip) headers['content-encoding'] = 'gzip';
    sendText(res, state, 200, a.type, gzip ? a.gzip! : a.body, headers);
  };
  const html = { 200: { description: 'The page', media: 'text/html' }, ...problemResponses(404) };

  const index = asset('/index.html', 'page', kPageHeaders);
  router.route({ method: 'get', path: '/', tag: 'dashboard', access: kPublic, summary: 'The dashboard (sign in with a read key)', responses: html },
    (res, req, state) => serve(res, req, state, index));

  const embed = asset('/embed.html', 'page', kEmbedHeaders);
  for (const widget of kWidgets) {
    router.route({
      method: 'get', path: `/embed/${widget}`, tag: 'dashboard', access: kPublic,
      summary: `The ${widget} widget as an iframe page: ?seller=&access_token=<embed key>&theme=light|dark|auto&type=&resolution=&accent=`, responses: html,
    }, (res, req, state) => serve(res, req, state, embed));
  }
  const bridge = asset('/bridge.html', 'page', kEmbedHeaders);
  router.route({ method: 'get', path: '/embed/bridge', tag: 'dashboard', access: kPublic, summary: 'The JS SDK\'s data bridge (an invisible iframe page)', responses: html },
    (res, req, state) => serve(res, req, state, bridge));

  const sdk = asset('/sdk.js', 'page', kAssetHeaders);
  router.route({
    method: 'get', path: '/sdk.js', tag: 'dashboard', access: kPublic, summary: 'The embeddable-widget SDK: <script src=".../sdk.js" data-widget data-seller data-key data-theme>',
    responses: { 200: { description: 'The script', media: 'text/javascript' }, ...problemResponses(404) },
  }, (res, req, state) => serve(res, req, state, sdk));

  const assets = new Map<string, Asset>();
  for (const path of files.keys()) {
    if (path.startsWith('/assets/')) assets.set(path.slice('/assets/'.length), asset(path, 'immutable', kAssetHeaders)!);
  }
  router.route({
    method: 'get', path: '/assets/:file', tag: 'dashboard', access: kPublic, params: [{ name: 'file', description: 'a content-hashed file name' }],
    summary: 'Scripts and styles of the dashboard and embed pages (content-hashed, cached)',
    responses: { 200: { description: 'The file' }, ...problemResponses(404) },
  }, (res, req, state) => serve(res, req, state, assets.get(req.getParameter(0) ?? '')));
}
