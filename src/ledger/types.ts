/**
 * The trades ledger: every fill Ordo learns of, once, with who asked for it (strategy, decision,
 * parent order). Positions are derived from it (src/domain/positions.ts). Two stores implement it:
 * SQLite embedded (the default, under ORDO_DATA_DIR) and PostgreSQL (production).
 *
 * Money is never a float: sizes, prices and fees are decimal strings here, TEXT in SQLite and
 * NUMERIC in PostgreSQL.
 */
import type { Position } from '../domain/positions';

export type TradeDirection = 'BUY' | 'SELL';

export interface LedgerTrade {
  /** Primary key, venue-scoped: see ledgerTradeId (src/ledger/trade-id.ts). */
  tradeId: string;
  /** The venue's own trade id. */
  venueTradeId: string;
  /** When the venue executed it, ISO-8601 (stored to the millisecond). */
  timestamp: string;
  /** ccxt unified symbol, e.g. BTC/USDT. */
  symbol: string;
  direction: TradeDirection;
  /** Base-asset quantity, > 0. */
  size: string;
  price: string;
  /** Negative for a rebate. */
  fee: string;
  /** "" when the venue did not say. */
  feeCurrency: string;
  /** Ordo's order id (= the order workflow id). */
  orderId: string;
  clientOrderId: string;
  venueOrderId?: string;
  venue: string;
  strategyId?: string;
  decisionId?: string;
  parentId?: string;
}

export interface TradeFilter {
  symbol?: string;
  venue?: string;
  strategyId?: string;
  orderId?: string;
  parentId?: string;
  /** Trades at or after this time (ISO-8601 or a Date). */
  since?: string | Date;
  /** The most recent this many (still returned oldest first). */
  limit?: number;
}

export type PositionFilter = Pick<TradeFilter, 'symbol' | 'venue' | 'strategyId'>;

export interface Ledger {
  /** Which store this is, for logs (never with a password). */
  readonly description: string;
  /**
   * Records trades; a trade whose tradeId is already there is left as it is (so a retried call
   * never duplicates). Returns how many were new. Throws LedgerError INVALID_TRADE, before
   * writing anything, when any trade is malformed.
   */
  recordTrades(trades: readonly LedgerTrade[]): Promise<{ inserted: number }>;
  /** Matching trades in time order (timestamp, then tradeId). */
  trades(filter?: TradeFilter): Promise<LedgerTrade[]>;
  /** Positions of the matching trades (src/domain/positions.ts). */
  positions(filter?: PositionFilter): Promise<Position[]>;
  close(): Promise<void>;
}

export type LedgerErrorCode = 'INVALID_TRADE' | 'INVALID_FILTER' | 'BAD_LEDGER_URL';

export class LedgerError extends Error {
  override readonly name = 'LedgerError';
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}
