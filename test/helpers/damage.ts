/** Damaged copies of a body or frame for the byte readers' property tests: cut short, a byte changed, a byte appended. */
import fc from 'fast-check';

export type Damage = ['cut' | 'flip' | 'append', number, number];

/** How to damage: the kind, where (any natural number, taken modulo the length) and the byte to write or append. */
export const damage: fc.Arbitrary<Damage> = fc.tuple(fc.constantFrom('cut' as const, 'flip' as const, 'append' as const), fc.nat(), fc.integer({ min: 0, max: 255 }));

export function damaged(whole: Uint8Array, [how, at, byte]: Damage): Uint8Array {
  const i = at % whole.length;
  if (how === 'cut') return whole.subarray(0, i);
  if (how === 'append') return Uint8Array.from([...whole, byte]);
  const bytes = Uint8Array.from(whole);
  bytes[i] = byte;
  return bytes;
}
