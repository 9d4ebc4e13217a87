/** The msgpack library the byte readers (api/*-frame-reader.ts) stand in for, with the server's limits for a 1 MiB frame. */
import { Decoder } from '@msgpack/msgpack';

const kMaxBytes = 1 << 20;
export const library = new Decoder({ maxArrayLength: kMaxBytes, maxMapLength: 64, maxStrLength: kMaxBytes, maxBinLength: kMaxBytes, maxExtLength: 0 });

/** What the library decodes, or undefined when it throws. */
export function decoded(bytes: Uint8Array): unknown {
  try {
    return library.decode(bytes);
  } catch {
    return undefined;
  }
}
