/**
 * Request bodies for every POST route: content type, size limit (declared and actual), deadline,
 * decoding (JSON or msgpack) — each failure answered with its problem document.
 */
import type { HttpRequest, HttpResponse } from '../uws.js';
import type { Config } from '../../config/index.js';
import { problem } from '../errors.js';
import { DecodeFailure, type BodyDecoder } from '../decode.js';
import { readBody, bodyFormatOf, BodyFormat, type SlowBodyWatch } from './body.js';
import { type ResponseState, sendProblem } from './reply.js';

export interface BodyContext {
  decoder: BodyDecoder;
  isClosing: () => boolean;
  bodies: SlowBodyWatch;
  config: () => Readonly<Config>;
}

/**
 * A route's own reading of a body's bytes, tried before the decoder: true when it took the body (and
 * answered), false to have it decoded and handed to the route's `handle` as usual.
 */
export type BodyBytesReader = (bytes: Uint8Array, format: BodyFormat) => boolean;

/** Reads, decodes and size-checks a body, then calls `handle` with the decoded value (or lets `readBytes` take it first). */
export function withDecodedBody(ctx: BodyContext, res: HttpResponse, req: HttpRequest, state: ResponseState, maxBodyBytes: number,
  handle: (value: unknown) => void, readBytes: BodyBytesReader | null = null): void {
  if (ctx.isClosing()) {
    sendProblem(res, state, problem('shutting_down', 'the server is draining; retry against another instance or later'), undefined, true);
    return;
  }
  const format = bodyFormatOf(req.getHeader('content-type'));
  if (format === BodyFormat.Unsupported) {
    sendProblem(res, state, problem('unsupported_media_type', 'send application/json or application/msgpack',
      [{ path: 'header/content-type', message: 'must be application/json or application/msgpack' }]), undefined, true);
    return;
  }
  const declared = Number(req.getHeader('content-length'));
  const tooLarge = () => sendProblem(res, state, problem('body_too_large', `the body exceeds ${maxBodyBytes} bytes`,
    [{ path: 'body', message: `at most ${maxBodyBytes} bytes` }]), undefined, true);
  if (declared > maxBodyBytes) {
    tooLarge();
    return;
  }
  readBody(res, state, maxBodyBytes, { bodies: ctx.bodies, timeoutMs: ctx.config().limits.bodyTimeoutMs }, (bytes) => {
    if (readBytes !== null && readBytes(bytes, format)) return;
    let value: unknown;
    try {
      value = format === BodyFormat.Json ? ctx.decoder.json(bytes) : ctx.decoder.msgpack(bytes);
    } catch (err) {
      if (!(err instanceof DecodeFailure)) throw err;
      const code = format === BodyFormat.Json ? 'invalid_json' : 'invalid_msgpack';
      sendProblem(res, state, problem(code, err.message, [{ path: 'body', message: 'cannot be decoded' }]));
      return;
    }
    handle(value);
  }, tooLarge);
}
