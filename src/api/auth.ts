/**
 * Bearer-token check. Both sides are hashed before the constant-time compare so neither the
 * token's content nor its length leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** True when the Authorization header is `Bearer <token>` with exactly this token. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer (.+)$/i.exec(header?.trim() ?? '');
  const given = match?.[1] ?? '';
  // Compare even when absent, so a missing header costs the same as a wrong one.
  const same = timingSafeEqual(digest(given), digest(token));
  return match !== null && same;
}
