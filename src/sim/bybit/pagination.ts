import { bybitErrors } from './errors';
import type { BybitParams } from './params';

export interface Page<T> {
  items: T[];
  /** Empty when this is the last page, as on Bybit. */
  nextPageCursor: string;
}

/**
 * Bybit's cursor paging over a list the caller already ordered: `limit` within [1, max] (default
 * `fallback`), and an opaque `cursor` from the previous page's `nextPageCursor`. The simulator's
 * cursor is just the offset, base64url-encoded so clients treat it as opaque.
 */
export function paginate<T>(
  items: readonly T[],
  params: BybitParams,
  fallback: number,
  max: number,
): Page<T> {
  const limit = params.boundedInteger('limit', fallback, 1, max);
  const cursor = params.string('cursor');
  const offset = cursor === undefined ? 0 : decodeCursor(cursor);
  const page = items.slice(offset, offset + limit);
  const next = offset + limit;
  return { items: page, nextPageCursor: next < items.length ? encodeCursor(next) : '' };
}

function encodeCursor(offset: number): string {
  return Buffer.from(`offset=${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^offset=(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw bybitErrors.params('cursor invalid');
  return Number(match[1]);
}
