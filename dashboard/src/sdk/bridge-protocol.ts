/** Messages between the SDK (on the host page) and its bridge iframe (on the API's origin). */
import type { FeedMessage } from '../shared/api-types.js';
import type { Problem } from '../shared/transport.js';

export type ToBridge = { sp: 'get'; id: number; path: string } | { sp: 'feed' };
export type FromBridge =
  | { sp: 'ready' }
  | { sp: 'res'; id: number; ok: true; body: unknown }
  | { sp: 'res'; id: number; ok: false; status: number; problem: Problem | null }
  | { sp: 'feed'; m: FeedMessage };

/** Only paths on the API's own origin: "/x", never "//host". */
export const kSafePath = /^\/(?!\/)/;
