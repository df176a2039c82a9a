/**
 * Ordo's holdings from its ledger positions: per venue and symbol, what Ordo's own trades added to
 * (or took from) the account's base asset. That is the book quantity (bought − sold) less the fees
 * paid in the base asset: a spot venue takes a buyer's fee out of the coins received (0.02 BTC
 * bought at 0.1% leaves 0.01998 BTC in the account), and the ledger's positions keep fees beside
 * the quantity, not in it (src/domain/positions.ts). The holding is the exposure Ordo's trading
 * created, and the amount a flatten must trade to undo it; the account's other coins (deposits)
 * are not Ordo's position.
 */
import { Dec, toDecimalString } from './decimal';
import type { Position } from './positions';

export interface Holding {
  venue: string;
  symbol: string;
  /** Σ position quantity (bought − sold) of the strategies summed, signed. */
  quantity: string;
  /** Σ fees paid in the base asset (negative: rebates). */
  baseFees: string;
  /** quantity − baseFees: what Ordo's trades changed the account's base asset by. */
  held: string;
}

/** "BTC/USDT" → "BTC"; a symbol without a slash is its own base. */
export function baseOf(symbol: string): string {
  const slash = symbol.indexOf('/');
  return slash < 0 ? symbol : symbol.slice(0, slash);
}

/** "BTC/USDT" → "USDT"; undefined without a slash. */
export function quoteOf(symbol: string): string | undefined {
  const slash = symbol.indexOf('/');
  return slash < 0 ? undefined : symbol.slice(slash + 1);
}

/**
 * One holding per venue and symbol of the positions given (every strategy in them summed), flat
 * ones included, sorted by venue then symbol.
 */
export function holdingsOf(positions: readonly Position[]): Holding[] {
  const sums = new Map<string, { venue: string; symbol: string; quantity: Dec; baseFees: Dec }>();
  for (const p of positions) {
    // JSON keeps venue and symbol apart whatever characters they hold.
    const key = JSON.stringify([p.venue, p.symbol]);
    const sum = sums.get(key) ?? {
      venue: p.venue,
      symbol: p.symbol,
      quantity: new Dec(0),
      baseFees: new Dec(0),
    };
    sum.quantity = sum.quantity.plus(p.quantity);
    sum.baseFees = sum.baseFees.plus(p.fees[baseOf(p.symbol)] ?? 0);
    sums.set(key, sum);
  }
  return [...sums.values()]
    .sort((a, b) => compareText(a.venue, b.venue) || compareText(a.symbol, b.symbol))
    .map((s) => ({
      venue: s.venue,
      symbol: s.symbol,
      quantity: toDecimalString(s.quantity),
      baseFees: toDecimalString(s.baseFees),
      held: toDecimalString(s.quantity.minus(s.baseFees)),
    }));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
