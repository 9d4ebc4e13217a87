/**
 * The error catalogue (STYLE §4): every problem the API can answer, with its HTTP status and title.
 * Problem documents follow RFC 7807; `type` is `/problems/<code>` and documented in the README.
 */
export const kProblemTypeBase = '/problems/';

export const errorCatalogue = {
  invalid_json: { status: 400, title: 'Malformed JSON body' },
  invalid_msgpack: { status: 400, title: 'Malformed MessagePack body' },
  invalid_event: { status: 400, title: 'The event is invalid' },
  invalid_batch: { status: 400, title: 'The batch is invalid' },
  invalid_events: { status: 400, title: 'No event of the batch is valid' },
  invalid_query: { status: 400, title: 'Invalid query parameters' },
  invalid_frame: { status: 400, title: 'Invalid stream frame' },
  seq_too_old: { status: 409, title: 'Frame seq is older than the remembered window' },
  invalid_config: { status: 400, title: 'Invalid configuration change' },
  config_conflict: { status: 409, title: 'The configuration changed since the version the change was made against' },
  config_not_live: { status: 409, title: 'This setting cannot change while the server runs' },
  unauthorized: { status: 401, title: 'A valid API key is required' },
  forbidden: { status: 403, title: 'This key may not do that' },
  tenant_suspended: { status: 403, title: 'The tenant of this key is suspended' },
  rate_limited: { status: 429, title: 'Rate limit exceeded for this key' },
  invalid_request: { status: 400, title: 'The request is invalid' },
  operator_tenant: { status: 409, title: 'The operator tenant cannot be changed this way' },
  body_timeout: { status: 408, title: 'The request body did not arrive in time' },
  header_too_large: { status: 431, title: 'A request header is too large' },
  not_found: { status: 404, title: 'Not found' },
  tenant_not_found: { status: 404, title: 'Unknown tenant' },
  key_not_found: { status: 404, title: 'Unknown key' },
  insight_not_found: { status: 404, title: 'Unknown insight' },
  webhook_not_found: { status: 404, title: 'Unknown webhook' },
  webhook_limit: { status: 409, title: 'The tenant has as many webhooks as it may' },
  alert_not_found: { status: 404, title: 'Unknown alert' },
  insight_closed: { status: 409, title: 'The insight is no longer live' },
  vetoed_by_hook: { status: 403, title: 'A decision hook vetoed this request' },
  seller_not_found: { status: 404, title: 'Unknown seller' },
  report_not_found: { status: 404, title: 'No such report for this seller' },
  email_failed: { status: 502, title: 'The SMTP server did not take the message' },
  export_busy: { status: 503, title: 'Too many exports are running, retry later' },
  body_too_large: { status: 413, title: 'Body too large' },
  batch_too_large: { status: 413, title: 'Too many events in one batch' },
  frame_too_large: { status: 413, title: 'Too many events in one frame' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type' },
  queue_full: { status: 503, title: 'Ingest queue full, retry later' },
  shard_unavailable: { status: 503, title: 'Shard temporarily unavailable' },
  shutting_down: { status: 503, title: 'Server is shutting down' },
  internal: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export interface ProblemFieldError {
  path: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: ProblemFieldError[];
  [extension: string]: unknown;
}

export function problem(code: ErrorCode, detail: string, errors: ProblemFieldError[] = [], extensions: Record<string, unknown> = {}): Problem {
  const entry = errorCatalogue[code];
  return { type: kProblemTypeBase + code, title: entry.title, status: entry.status, detail, errors, ...extensions };
}
