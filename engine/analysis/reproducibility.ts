/**
 * reproducibilityHash: SHA-256 over everything a result depends on — the algorithm version, the
 * config version and the analytics settings it names, the request, and the exact input buckets
 * (their float64 bytes). Same events + same config ⇒ same hash, on any machine and shard count.
 */
import { createHash } from 'node:crypto';

/** Bumped whenever an analytics algorithm changes its output for the same input. */
export const kAlgorithmVersion = 'sellerpulse-analytics/1';

export function reproducibilityHash(configVersion: number, settings: unknown, request: unknown, inputs: readonly Float64Array[]): string {
  const h = createHash('sha256');
  h.update(kAlgorithmVersion);
  h.update('\0');
  h.update(String(configVersion));
  h.update('\0');
  h.update(JSON.stringify(settings));
  h.update('\0');
  h.update(JSON.stringify(request));
  for (const input of inputs) {
    h.update('\0');
    h.update(new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
  }
  return h.digest('hex');
}
