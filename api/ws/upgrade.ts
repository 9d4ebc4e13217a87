/**
 * The common part of a WebSocket upgrade: request state, the handshake headers (read now — the uWS
 * request dies with the callback), the draining check and authentication. Returns null when the
 * upgrade was answered instead (503, 401, 403).
 */
import type { HttpRequest, HttpResponse } from '../uws.js';
import type { Principal } from '../../engine/tenancy/tenant-registry.js';
import type { Router } from '../http/router.js';
import type { Access } from '../http/access.js';
import type { ResponseState } from '../http/reply.js';
import { sendProblem } from '../http/reply.js';
import { problem } from '../errors.js';

export interface Upgrade {
  state: ResponseState;
  principal: Principal;
  key: string;
  protocol: string;
  extensions: string;
}

export function beginUpgrade(router: Router, res: HttpResponse, req: HttpRequest, route: string, access: Access, isClosing: () => boolean): Upgrade | null {
  const state = router.begin(res, req, route);
  const key = req.getHeader('sec-websocket-key');
  const protocol = req.getHeader('sec-websocket-protocol');
  const extensions = req.getHeader('sec-websocket-extensions');
  if (isClosing()) {
    sendProblem(res, state, problem('shutting_down', 'the server is draining'));
    return null;
  }
  const principal = router.access.admit(res, req, state, access);
  if (principal === null) return null;
  return { state, principal, key, protocol, extensions };
}

/** Records the upgrade as answered 101 (access log, latency) just before res.upgrade. */
export function upgraded(state: ResponseState): void {
  state.status = 101;
  state.onFinish?.(state);
  state.onFinish = null;
}
