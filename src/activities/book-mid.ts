/** A venue's mid price from the top of its book: one read shared by risk and flatten. */
import { Dec, toDecimalString } from '../domain/decimal';
import type { Venue } from '../venues/types';

/** Levels asked for: the top is all a mid needs, a few more cost nothing. */
const BOOK_DEPTH = 5;

/** Exactly halfway between the best bid and ask (not rounded to the tick); undefined if a side is empty. */
export async function bookMid(venue: Venue, symbol: string): Promise<string | undefined> {
  const book = await venue.fetchOrderBook(symbol, BOOK_DEPTH);
  const bid = book.bids[0]?.price;
  const ask = book.asks[0]?.price;
  return bid === undefined || ask === undefined
    ? undefined
    : toDecimalString(new Dec(bid).plus(ask).dividedBy(2));
}
