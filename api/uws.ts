/**
 * Loads uWebSockets.js and refuses to run on anything but its native binary. The alias package we
 * install (@trufflesuite/uws-js-unofficial) silently falls back to a slow pure-JS server when the
 * binary does not load (wrong Node ABI, or UWS_USE_FALLBACK set); we check the binary ourselves.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as UwsTypes from 'uWebSockets.js';

const require = createRequire(import.meta.url);

export class NativeUwsMissingError extends Error {
  constructor(detail: string) {
    super(`uWebSockets.js native binary is required: ${detail}`);
    this.name = 'NativeUwsMissingError';
  }
}

function loadNative(): typeof UwsTypes {
  const fallbackFlag = process.env.UWS_USE_FALLBACK;
  if (fallbackFlag !== undefined && fallbackFlag !== '' && fallbackFlag !== '0' && fallbackFlag.toLowerCase() !== 'false') {
    throw new NativeUwsMissingError('UWS_USE_FALLBACK is set; unset it — the JS fallback is not supported');
  }
  const entry = require.resolve('uWebSockets.js');
  const binary = join(dirname(entry), '..', 'binaries', `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`);
  if (!existsSync(binary)) {
    throw new NativeUwsMissingError(`no binary for ${process.platform}-${process.arch} Node ABI ${process.versions.modules} (${binary})`);
  }
  const uws = require('uWebSockets.js') as typeof UwsTypes;
  if (require.cache[binary] === undefined) {
    throw new NativeUwsMissingError(`the package loaded its JavaScript fallback instead of ${binary}`);
  }
  return uws;
}

export const uws = loadNative();
export type { HttpRequest, HttpResponse, TemplatedApp, WebSocket, us_listen_socket } from 'uWebSockets.js';
