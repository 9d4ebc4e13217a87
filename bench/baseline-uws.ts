/**
 * Decode-only baseline: a bare uWebSockets.js server (the same native binary as the engine) that
 * reads each body, decodes it (JSON.parse or msgpack) and answers 202 with a constant body, and a
 * bare /stream WebSocket that decodes each frame and acks {seq, accepted: N} in the frame's own
 * encoding. No validation, no routing, no queues: the ceiling the engine is compared with.
 * GET /metrics/* answers a canned body (the file named by BASELINE_QUERY_BODY_FILE, e.g. an anomaly
 * answer captured from the engine): the floor a cached query is compared with.
 *
 * Run: node dist/bench/baseline-uws.js --port <n>   (or PORT=<n>; HOST defaults to 127.0.0.1)
 */
import { readFileSync } from 'node:fs';
import { Decoder, Encoder } from '@msgpack/msgpack';
import { uws, type HttpResponse } from '../api/uws.js';
import { benchConfig } from './bench-config.js';
import { portFromArgs } from './free-port.js';

const kAccepted = JSON.stringify({ accepted: 1 });
const kBadRequest = JSON.stringify({ error: 'cannot decode the body' });
const kTooLarge = JSON.stringify({ error: 'body too large' });
/** WebSocket close code 1007: invalid frame payload data (RFC 6455 §7.4.1). */
const kCloseInvalidPayload = 1007;

const limits = benchConfig.limits;
const textDecoder = new TextDecoder('utf-8', { fatal: true });
const msgpack = new Decoder({ maxStrLength: limits.maxFrameBytes, maxBinLength: limits.maxFrameBytes, maxArrayLength: limits.maxFrameBytes });
const encoder = new Encoder();

function isMsgpack(contentType: string): boolean {
  return contentType.startsWith('application/msgpack') || contentType.startsWith('application/x-msgpack');
}

function decodeBytes(bytes: Uint8Array, binary: boolean): unknown {
  return binary ? msgpack.decode(bytes) : JSON.parse(textDecoder.decode(bytes));
}

function answer(res: HttpResponse, status: string, body: string): void {
  res.cork(() => res.writeStatus(status).writeHeader('content-type', 'application/json').end(body));
}

/** Reads the body (single chunk in place, several chunks copied), decodes it, answers 202. */
function ingest(res: HttpResponse, contentType: string): void {
  let aborted = false;
  res.onAborted(() => {
    aborted = true;
  });
  const binary = isMsgpack(contentType);
  let parts: Buffer[] | null = null;
  let size = 0;
  res.onData((chunk, isLast) => {
    if (aborted) return;
    size += chunk.byteLength;
    if (size > limits.maxBodyBytes) {
      aborted = true;
      res.cork(() => res.writeStatus('413 Payload Too Large').end(kTooLarge, true));
      return;
    }
    if (!isLast) {
      (parts ??= []).push(Buffer.from(new Uint8Array(chunk)));
      return;
    }
    const bytes = parts === null ? new Uint8Array(chunk) : Buffer.concat([...parts, Buffer.from(new Uint8Array(chunk))], size);
    try {
      decodeBytes(bytes, binary);
    } catch {
      answer(res, '400 Bad Request', kBadRequest);
      return;
    }
    answer(res, '202 Accepted', kAccepted);
  });
}

/** Events in a decoded frame: rows, or columnar timestamps (bin of f64 or array). */
function eventCount(frame: Record<string, unknown>): number {
  if (Array.isArray(frame.events)) return frame.events.length;
  const ts = frame.timestamps;
  if (ts instanceof Uint8Array) return ts.byteLength / Float64Array.BYTES_PER_ELEMENT;
  return Array.isArray(ts) ? ts.length : 0;
}

function main(): void {
  const port = portFromArgs();
  const host = process.env.HOST || benchConfig.host;
  const app = uws.App();
  app.post('/events', (res, req) => ingest(res, req.getHeader('content-type')));
  app.post('/events/batch', (res, req) => ingest(res, req.getHeader('content-type')));
  app.get('/healthz', (res) => answer(res, '200 OK', '{"status":"ok"}'));
  const queryBody = process.env.BASELINE_QUERY_BODY_FILE ? readFileSync(process.env.BASELINE_QUERY_BODY_FILE, 'utf8') : '{}';
  app.get('/metrics/*', (res) => answer(res, '200 OK', queryBody));
  app.ws('/stream', {
    compression: 0,
    maxPayloadLength: limits.maxFrameBytes,
    idleTimeout: limits.wsIdleTimeoutSec,
    maxBackpressure: limits.wsMaxBackpressureBytes,
    closeOnBackpressureLimit: 1,
    message: (ws, message, isBinary) => {
      let frame: Record<string, unknown>;
      try {
        frame = decodeBytes(new Uint8Array(message), isBinary) as Record<string, unknown>;
      } catch {
        ws.end(kCloseInvalidPayload, 'cannot decode the frame');
        return;
      }
      const ack = { seq: frame.seq, accepted: eventCount(frame) };
      if (isBinary) ws.send(encoder.encode(ack), true);
      else ws.send(JSON.stringify(ack), false);
    },
  });
  app.listen(host, port, (socket) => {
    if (!socket) {
      process.stderr.write(`baseline-uws: cannot listen on ${host}:${port}\n`);
      process.exit(1);
    }
    process.stdout.write(`baseline-uws listening on ${host}:${port}\n`);
    const stop = () => {
      uws.us_listen_socket_close(socket);
      process.exit(0);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

main();
