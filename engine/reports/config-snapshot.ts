/**
 * The config snapshot a report carries: the config in force and its version, with the values of
 * secret-looking keys (export.redactKeys: SMTP password, hook tokens, …) replaced — a report is
 * mailed and filed, and must not leak what the config file holds.
 */

export const kRedacted = '[redacted]';

function redact(value: unknown, keys: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => redact(v, keys));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = keys.has(k.toLowerCase()) && v !== undefined && v !== null ? kRedacted : redact(v, keys);
  return out;
}

export function configSnapshot(config: object, version: number, redactKeys: readonly string[]): { version: number; config: object } {
  return { version, config: redact(config, new Set(redactKeys.map((k) => k.toLowerCase()))) as object };
}
