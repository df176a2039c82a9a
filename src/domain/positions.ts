/**
 * Positions derived from trades: per symbol, venue and strategy, the signed quantity held, its
 * average cost, and the PnL realised by reducing it (average-cost method). Fees are summed per
 * currency and reported beside the PnL, not folded into it: they are often paid in another asset
 * (the base asset, or a venue token) that has no price here.
 *
 * The open position carries its cost basis (quantity × average price) rather than the average
 * itself: a reduction takes its share of the basis, and the last one takes what is left, so the
 * PnL of a position opened and closed in full is exactly what was received minus what was paid,
 * with no rounding left behind by a repeating average.
 */
import { Dec, dec, toDecimalString } from './decimal';

/** The part of a ledger trade positions need. */
export interface PositionTrade {
  tradeId: string;
  /** ISO-8601. */
  timestamp: string;
  symbol: string;
  venue: string;
  strategyId?: string;
  direction: 'BUY' | 'SELL';
  size: string;
  price: string;
  fee: string;
  feeCurrency: string;
}

export interface Position {
  symbol: string;
  venue: string;
  /** Absent: trades without a strategy. */
  strategyId?: string;
  /** Signed: positive long, negative short, "0" flat. */
  quantity: string;
  /** Average price of the open quantity; "0" when flat. */
  averageCost: string;
  /** In the quote currency, before fees. */
  realizedPnl: string;
  /** Fees paid, by currency (a negative amount is a rebate). */
  fees: Record<string, string>;
  boughtQuantity: string;
  soldQuantity: string;
  trades: number;
  lastTradeAt: string;
}

/**
 * Averages and PnL are shown to 20 significant digits, like order average prices: a partial
 * reduction's share of the basis can repeat forever, and 20 digits hold any real amount exactly.
 */
const SHOWN_DIGITS = 20;

function shown(value: Dec): string {
  return toDecimalString(value.toSignificantDigits(SHOWN_DIGITS));
}

interface Book {
  symbol: string;
  venue: string;
  strategyId: string | undefined;
  quantity: Dec;
  /** |quantity| × average cost; always ≥ 0. */
  basis: Dec;
  realized: Dec;
  fees: Map<string, Dec>;
  bought: Dec;
  sold: Dec;
  trades: number;
  lastTradeAt: string;
}

/** The order trades are applied in: time, then trade id so equal timestamps give one answer. */
export function compareTradeTime(
  a: Pick<PositionTrade, 'timestamp' | 'tradeId'>,
  b: Pick<PositionTrade, 'timestamp' | 'tradeId'>,
): number {
  const byTime = Date.parse(a.timestamp) - Date.parse(b.timestamp);
  if (byTime !== 0) return byTime;
  return compareText(a.tradeId, b.tradeId);
}

function keyOf(t: Pick<PositionTrade, 'symbol' | 'venue' | 'strategyId'>): string {
  // JSON keeps the parts apart whatever characters they hold.
  return JSON.stringify([t.symbol, t.venue, t.strategyId ?? null]);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Symbol, venue, then strategy (trades without one first). */
function compareBooks(a: Book, b: Book): number {
  return (
    compareText(a.symbol, b.symbol) ||
    compareText(a.venue, b.venue) ||
    compareText(a.strategyId ?? '', b.strategyId ?? '') ||
    Number(a.strategyId !== undefined) - Number(b.strategyId !== undefined)
  );
}

/** Applies one trade to a book (mutates it: the book is private to positionsFromTrades). */
function apply(book: Book, trade: PositionTrade): void {
  const size = dec(trade.size);
  const price = dec(trade.price);
  const signed = trade.direction === 'BUY' ? size : size.negated();
  const held = book.quantity;
  if (held.isZero() || held.isNegative() === signed.isNegative()) {
    // Opening or adding: the basis grows by what this trade cost.
    book.basis = book.basis.plus(size.times(price));
  } else {
    const closing = Dec.min(size, held.abs());
    // The last reduction takes the whole basis; a partial one its proportional share.
    const basisClosed = closing.equals(held.abs())
      ? book.basis
      : book.basis.times(closing).dividedBy(held.abs());
    const value = closing.times(price);
    // Long: sold for `value`, had cost `basisClosed`. Short: bought back for `value`, sold for `basisClosed`.
    book.realized = book.realized.plus(
      held.greaterThan(0) ? value.minus(basisClosed) : basisClosed.minus(value),
    );
    book.basis = book.basis.minus(basisClosed);
    // Flipping through zero opens the other side at this trade's price.
    const opening = size.minus(closing);
    if (opening.greaterThan(0)) book.basis = opening.times(price);
  }
  book.quantity = held.plus(signed);
  if (book.quantity.isZero()) book.basis = new Dec(0);
  if (trade.direction === 'BUY') book.bought = book.bought.plus(size);
  else book.sold = book.sold.plus(size);
  const fee = dec(trade.fee);
  if (!fee.isZero() || trade.feeCurrency !== '') {
    const currency = trade.feeCurrency;
    book.fees.set(currency, (book.fees.get(currency) ?? new Dec(0)).plus(fee));
  }
  book.trades += 1;
  book.lastTradeAt = trade.timestamp;
}

function toPosition(book: Book): Position {
  const open = book.quantity.abs();
  return {
    symbol: book.symbol,
    venue: book.venue,
    ...(book.strategyId === undefined ? {} : { strategyId: book.strategyId }),
    quantity: toDecimalString(book.quantity),
    averageCost: open.isZero() ? '0' : shown(book.basis.dividedBy(open)),
    realizedPnl: shown(book.realized),
    fees: Object.fromEntries(
      [...book.fees.entries()]
        .sort(([a], [b]) => compareText(a, b))
        .map(([currency, amount]) => [currency, toDecimalString(amount)]),
    ),
    boughtQuantity: toDecimalString(book.bought),
    soldQuantity: toDecimalString(book.sold),
    trades: book.trades,
    lastTradeAt: book.lastTradeAt,
  };
}

/**
 * Positions from trades, in any order given (they are applied in time order). One position per
 * symbol, venue and strategy that has traded, flat ones included (they carry realised PnL),
 * sorted by symbol, venue, strategy.
 */
export function positionsFromTrades(trades: readonly PositionTrade[]): Position[] {
  const books = new Map<string, Book>();
  for (const trade of [...trades].sort(compareTradeTime)) {
    const key = keyOf(trade);
    let book = books.get(key);
    if (book === undefined) {
      book = {
        symbol: trade.symbol,
        venue: trade.venue,
        strategyId: trade.strategyId,
        quantity: new Dec(0),
        basis: new Dec(0),
        realized: new Dec(0),
        fees: new Map(),
        bought: new Dec(0),
        sold: new Dec(0),
        trades: 0,
        lastTradeAt: trade.timestamp,
      };
      books.set(key, book);
    }
    apply(book, trade);
  }
  return [...books.values()].sort(compareBooks).map(toPosition);
}
