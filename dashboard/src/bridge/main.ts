/**
 * The SDK's bridge (GET /embed/bridge?access_token=<embed key>, an invisible iframe): makes the
 * SDK's GETs on the API's own origin and forwards the live feed, over postMessage to the page that
 * framed it. It can only do what the key it was given can do (embed keys: read only).
 */
import { HttpTransport, type ApiError } from '../shared/transport.js';
import { kSafePath, type FromBridge, type ToBridge } from '../sdk/bridge-protocol.js';

const transport = new HttpTransport('', new URLSearchParams(location.search).get('access_token') ?? '');
let feeding = false;

function reply(to: MessageEventSource, origin: string, m: FromBridge): void {
  (to as Window).postMessage(m, origin === 'null' ? '*' : origin);
}

addEventListener('message', (e: MessageEvent) => {
  if (e.source === null || e.source !== parent) return;
  const m = e.data as ToBridge;
  if (m.sp === 'get' && typeof m.path === 'string' && kSafePath.test(m.path)) {
    transport.get(m.path).then(
      (body) => reply(e.source!, e.origin, { sp: 'res', id: m.id, ok: true, body }),
      (err: ApiError) => reply(e.source!, e.origin, { sp: 'res', id: m.id, ok: false, status: err.status ?? 0, problem: err.problem ?? null }),
    );
  } else if (m.sp === 'feed' && !feeding) {
    feeding = true;
    transport.feed((msg) => reply(e.source!, e.origin, { sp: 'feed', m: msg }));
  }
});

if (parent !== window) parent.postMessage({ sp: 'ready' } satisfies FromBridge, '*');
