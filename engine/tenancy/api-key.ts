/**
 * API keys: generation and the stored form. A key is `sp_` + base64url random bytes; it is shown to
 * its creator once and stored only as HMAC-SHA256 under the server secret (so a copy of the store
 * alone does not let anyone recompute or test keys offline without the secret file).
 */
import { createHmac, randomBytes } from 'node:crypto';

export const kKeyPrefix = 'sp_';
/** Characters of a key kept (and shown) as its public prefix: `sp_` and the first few random ones. */
export const kShownPrefixLength = kKeyPrefix.length + 8;
/** Longest bearer token looked at; anything longer cannot be a key and is refused unhashed. */
export const kMaxKeyLength = 256;

export const kScopes = ['ingest', 'read', 'admin', 'embed'] as const;
export type Scope = (typeof kScopes)[number];

export function generateKey(bytes: number): string {
  return kKeyPrefix + randomBytes(bytes).toString('base64url');
}

export function shownPrefix(key: string): string {
  return key.slice(0, kShownPrefixLength);
}

/** The stored form of a key: hex HMAC-SHA256 under the server secret. */
export function keyHash(secret: Buffer, key: string): string {
  return createHmac('sha256', secret).update(key).digest('hex');
}

/** Opaque random identifiers for tenants and keys (never derived from a key). */
export function newId(kind: 't' | 'k'): string {
  return `${kind}_${randomBytes(9).toString('base64url')}`;
}
