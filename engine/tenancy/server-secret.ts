/**
 * The server secret keys are hashed with: 32 random bytes generated into the data dir on first
 * start (mode 0600), read on every later start. Losing it invalidates every stored key.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const kSecretFileName = 'server.secret';
const kSecretBytes = 32;

export function loadServerSecret(dataDir: string): Buffer {
  const path = join(dataDir, kSecretFileName);
  if (existsSync(path)) {
    const secret = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
    if (secret.length !== kSecretBytes) throw new Error(`${path} is not a ${kSecretBytes}-byte hex secret; restore it from a backup`);
    return secret;
  }
  const secret = randomBytes(kSecretBytes);
  writeFileSync(path, secret.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return secret;
}
