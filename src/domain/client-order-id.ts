/**
 * Client order ids: the idempotency key we send to a venue. Derived deterministically from the
 * workflow id (= order id) and the replace sequence, so a retried submit after a crash sends the
 * *same* id and the venue (or our look-up) recognises it.
 *
 * The mapping is injective within one venue's rules:
 *   sequence 0, id fits as is           → "<id>"
 *   sequence n > 0, id fits              → "<id><sep><n>"
 *   id does not fit (length or charset)  → "<readable prefix><sep>h<hash>" (+ "<sep><n>")
 * Ids that contain the separator always take the hashed form, so the forms cannot collide.
 */

export interface ClientOrderIdRules {
  maxLength: number;
  /** Matches one allowed character. */
  allowedChar: RegExp;
  /** Made of allowed characters; marks the sequence and hash parts. */
  separator: string;
}

/** Binance: up to 36 characters of [.A-Z:/a-z0-9_-]. */
export const BINANCE_CLIENT_ID_RULES: ClientOrderIdRules = {
  maxLength: 36,
  allowedChar: /[.A-Z:/a-z0-9_-]/,
  separator: '..',
};

/** Bybit orderLinkId: up to 36 characters of letters, digits, '-' and '_'. */
export const BYBIT_CLIENT_ID_RULES: ClientOrderIdRules = {
  maxLength: 36,
  allowedChar: /[A-Za-z0-9_-]/,
  separator: '--',
};

const HASH_DIGITS = 13; // 64 bits in base 36

/** FNV-1a, 64 bit, over UTF-16 code units: pure and deterministic (usable in workflow code). */
export function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(36).padStart(HASH_DIGITS, '0');
}

function fitsAsIs(id: string, rules: ClientOrderIdRules): boolean {
  return id.length > 0 && !id.includes(rules.separator) && [...id].every((c) => rules.allowedChar.test(c));
}

export function deriveClientOrderId(
  workflowId: string,
  sequence = 0,
  rules: ClientOrderIdRules = BINANCE_CLIENT_ID_RULES,
): string {
  if (!Number.isSafeInteger(sequence) || sequence < 0)
    throw new RangeError(`sequence must be a non-negative integer`);
  const suffix = sequence === 0 ? '' : `${rules.separator}${sequence}`;
  if (fitsAsIs(workflowId, rules) && workflowId.length + suffix.length <= rules.maxLength) {
    return workflowId + suffix;
  }
  const hashPart = `${rules.separator}h${fnv1a64(workflowId)}`;
  const room = rules.maxLength - hashPart.length - suffix.length;
  if (room < 0) throw new RangeError(`venue client id length ${rules.maxLength} is too short`);
  // The readable prefix keeps no separator characters, so the hash boundary is unambiguous.
  const prefix = [...workflowId]
    .filter((c) => rules.allowedChar.test(c) && !rules.separator.includes(c))
    .join('')
    .slice(0, room);
  return prefix + hashPart + suffix;
}
