/**
 * WebSocket /feed (issue 6): the live feed of a tenant — alert and insight events as they happen,
 * through uWS pub/sub on one topic per tenant. Messages are JSON text `{event, data}`; the feed is
 * read-only (anything sent to it is ignored). Keys with read, embed or admin scope may listen.
 */
import type { TemplatedApp, WebSocket } from '../uws.js';
import type { Router } from '../http/router.js';
import { problemResponses } from '../http/docs.js';
import { beginUpgrade, upgraded } from './upgrade.js';

const kFeedAccess = { kind: 'scope', scopes: ['read', 'embed', 'admin'], limit: 'none' } as const;

export function feedTopic(tenantId: string): string {
  return `feed/${tenantId}`;
}

interface FeedSocketData {
  topic: string;
}

export interface FeedContext {
  router: Router;
  isClosing: () => boolean;
  idleTimeoutSec: number;
  maxBackpressureBytes: number;
  sockets: Set<WebSocket<FeedSocketData>>;
}

export function registerFeedRoute(app: TemplatedApp, ctx: FeedContext): (tenantId: string, event: string, data: unknown) => void {
  ctx.router.document({
    method: 'get', path: '/feed', tag: 'alerts', access: kFeedAccess,
    summary: 'WebSocket: the tenant\'s live feed — {event: alert.created | alert.acknowledged | alert.resolved | insight.transition, data}',
    responses: { 101: { description: 'Switching protocols' }, ...problemResponses(401, 403, 503) },
  });
  app.ws<FeedSocketData>('/feed', {
    compression: 0,
    idleTimeout: ctx.idleTimeoutSec,
    maxBackpressure: ctx.maxBackpressureBytes,
    closeOnBackpressureLimit: 1,
    upgrade: (res, req, context) => {
      const up = beginUpgrade(ctx.router, res, req, '/feed', kFeedAccess, ctx.isClosing);
      if (up === null) return;
      const { state, principal, key, protocol, extensions } = up;
      upgraded(state);
      res.upgrade<FeedSocketData>({ topic: feedTopic(principal.tenant.id) }, key, protocol, extensions, context);
    },
    open: (ws) => {
      ctx.sockets.add(ws);
      ws.subscribe(ws.getUserData().topic);
    },
    close: (ws) => {
      ctx.sockets.delete(ws);
    },
  });
  return (tenantId, event, data) => {
    app.publish(feedTopic(tenantId), JSON.stringify({ event, data }), false);
  };
}
