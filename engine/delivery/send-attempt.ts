/**
 * One HTTP attempt of one delivery: the signed POST with a per-attempt timeout. Never throws: the
 * outcome is data (status or error), except when `stop` aborted it — then 'stopped', and nothing is
 * recorded (the delivery stays pending and is attempted again on the next start).
 */
import type { DeliveryRecord } from './delivery-record.js';
import { signature } from './secret-box.js';

export interface AttemptOutcome {
  at: number;
  durationMs: number;
  status: number | null;
  error: string | null;
}

const kOkMin = 200;
const kOkMax = 299;

export function isDelivered(o: AttemptOutcome): boolean {
  return o.status !== null && o.status >= kOkMin && o.status <= kOkMax;
}

/** The body every attempt of a delivery sends (the same bytes each time). */
export function deliveryBody(d: DeliveryRecord): string {
  return JSON.stringify({ id: d.id, event: d.event, createdAt: d.createdAt, idempotencyKey: d.idempotencyKey, data: d.payload });
}

export async function sendAttempt(d: DeliveryRecord, url: string, secret: string, timeoutMs: number, stop: AbortSignal, now: () => number): Promise<AttemptOutcome | 'stopped'> {
  const body = deliveryBody(d);
  const at = now();
  const timestamp = String(at);
  const started = performance.now();
  let status: number | null = null;
  let error: string | null = null;
  try {
    const res = await fetch(url, {
      method: 'POST',
      body,
      // a redirect is an answer, not a delivery: the registered URL is the only receiver
      redirect: 'manual',
      signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), stop]),
      headers: {
        'content-type': 'application/json',
        'idempotency-key': d.idempotencyKey,
        'x-sellerpulse-event': d.event,
        'x-sellerpulse-delivery': d.id,
        'x-sellerpulse-timestamp': timestamp,
        'x-sellerpulse-signature': signature(secret, timestamp, body),
      },
    });
    status = res.status;
    await res.body?.cancel().catch(() => undefined);
  } catch (err) {
    if (stop.aborted) return 'stopped';
    error = describe(err, timeoutMs);
  }
  return { at, durationMs: Math.round(performance.now() - started), status, error };
}

/** A short reason for a failed fetch: timeout, or the socket error code (ECONNREFUSED, …). */
function describe(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && err.name === 'TimeoutError') return `timeout after ${timeoutMs} ms`;
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code !== undefined) return cause.code;
  if (cause?.message !== undefined) return cause.message;
  return err instanceof Error ? err.message : String(err);
}
