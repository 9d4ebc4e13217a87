/**
 * Seller IDs are opaque surrogate keys (DESIGN §2). Anything that could be a direct identifier —
 * an e-mail address or a phone number — is refused.
 */
export const kSellerIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
/** An e-mail needs '@', which the pattern above already forbids; this catches obfuscated forms. */
const kEmailLike = /(@|\(at\)|\[at\])/i;
/** Digits with optional phone separators, an optional leading '+' or '00'. */
const kPhoneShape = /^\+?[0-9][0-9 .()-]*[0-9]$/;

export const enum SellerIdCheck {
  Ok = 0,
  Format = 1,
  Email = 2,
  Phone = 3,
}

function countDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/**
 * Shaped like a seller ID and not like a phone number at any digit count: stricter than SellerIdRules
 * (which needs the configured digit range), for code that must not keep anything else.
 */
export function looksOpaque(id: string): boolean {
  return kSellerIdPattern.test(id) && !kPhoneShape.test(id);
}

export class SellerIdRules {
  readonly #phoneMin: number;
  readonly #phoneMax: number;
  constructor(phoneDigits: { min: number; max: number }) {
    this.#phoneMin = phoneDigits.min;
    this.#phoneMax = phoneDigits.max;
  }

  check(id: string): SellerIdCheck {
    if (kEmailLike.test(id)) return SellerIdCheck.Email;
    if (!kSellerIdPattern.test(id)) return SellerIdCheck.Format;
    if (kPhoneShape.test(id)) {
      const digits = countDigits(id);
      if (digits >= this.#phoneMin && digits <= this.#phoneMax) return SellerIdCheck.Phone;
    }
    return SellerIdCheck.Ok;
  }
}
