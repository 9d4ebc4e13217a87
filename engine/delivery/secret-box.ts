/**
 * Webhook signing secrets: generated, shown once, stored only sealed with AES-256-GCM under a key
 * derived from the server secret (HKDF-SHA256), and used to sign each attempt's body
 * (HMAC-SHA256 over `timestamp + "." + body`). The webhook id is the associated data, so a sealed
 * secret copied onto another webhook record does not open.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { SealedSecret } from './delivery-record.js';

const kCipher = 'aes-256-gcm';
const kKeyBytes = 32;
/** GCM's recommended nonce size (NIST SP 800-38D §8.2). */
const kIvBytes = 12;
const kHkdfSalt = 'sellerpulse/webhook-secrets';
const kHkdfInfo = 'aes-256-gcm v1';
export const kSecretPrefix = 'whsec_';

export class SecretBox {
  readonly #key: Buffer;

  constructor(serverSecret: Buffer) {
    this.#key = Buffer.from(hkdfSync('sha256', serverSecret, kHkdfSalt, kHkdfInfo, kKeyBytes));
  }

  seal(secret: string, webhookId: string): SealedSecret {
    const iv = randomBytes(kIvBytes);
    const cipher = createCipheriv(kCipher, this.#key, iv);
    cipher.setAAD(Buffer.from(webhookId));
    const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return { iv, tag: cipher.getAuthTag(), data };
  }

  /** Throws when the sealed secret was tampered with or belongs to another webhook id. */
  open(sealed: SealedSecret, webhookId: string): string {
    const decipher = createDecipheriv(kCipher, this.#key, sealed.iv);
    decipher.setAAD(Buffer.from(webhookId));
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.data), decipher.final()]).toString('utf8');
  }
}

export function generateSecret(bytes: number): string {
  return kSecretPrefix + randomBytes(bytes).toString('base64url');
}

/** The `x-sellerpulse-signature` value: `sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`. */
export function signature(secret: string, timestamp: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(timestamp).update('.').update(body).digest('hex');
}
