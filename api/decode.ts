/**
 * Body and frame decoding. One msgpack Decoder and one TextDecoder per thread (STYLE §10). Decoders
 * throw on malformed input; callers turn that into a 400 problem at the boundary.
 */
import { Decoder, Encoder } from '@msgpack/msgpack';
import { StringIntern, internStringValues, type StringInternOptions } from './string-intern.js';

const textDecoder = new TextDecoder('utf-8', { fatal: true });

export class DecodeFailure extends Error {}

export class BodyDecoder {
  readonly #msgpack: Decoder;
  readonly encoder = new Encoder({ ignoreUndefined: true });

  /** Repeated seller IDs and type names of msgpack bodies and frames, decoded once. */
  readonly intern: StringIntern;

  constructor(maxBytes: number, intern: StringInternOptions) {
    this.#msgpack = new Decoder({
      maxArrayLength: maxBytes,
      maxMapLength: 64,
      maxStrLength: maxBytes,
      maxBinLength: maxBytes,
      maxExtLength: 0,
    });
    // a hit skips the library's string-length check: every interned string must pass it
    if (intern.maxBytes > maxBytes) throw new RangeError('interned strings may not be longer than the decoder allows');
    this.intern = new StringIntern(intern);
    internStringValues(this.#msgpack, this.intern);
  }

  json(bytes: Uint8Array): unknown {
    try {
      return JSON.parse(textDecoder.decode(bytes));
    } catch (err) {
      throw new DecodeFailure((err as Error).message);
    }
  }

  msgpack(bytes: Uint8Array): unknown {
    try {
      return this.#msgpack.decode(bytes);
    } catch (err) {
      throw new DecodeFailure((err as Error).message);
    }
  }
}
