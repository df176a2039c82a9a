import type { Decimal } from './decimal';
import type { PublicTrade } from './types';

const DEFAULT_CAPACITY = 1000;

/** The recent public trades of one symbol (bounded) and its last traded price. */
export class TradeTape {
  private readonly trades: PublicTrade[] = [];
  private last?: PublicTrade;

  constructor(
    /** Before the first trade the last price is the market's opening reference. */
    private openingPrice: Decimal,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {}

  record(trade: PublicTrade): void {
    this.trades.push(trade);
    if (this.trades.length > this.capacity) this.trades.splice(0, this.trades.length - this.capacity);
    this.last = trade;
  }

  lastPrice(): Decimal {
    return this.last?.price ?? this.openingPrice;
  }

  lastTrade(): PublicTrade | undefined {
    return this.last;
  }

  /** Oldest first, at most `limit` of the newest trades. */
  recent(limit: number): PublicTrade[] {
    return this.trades.slice(Math.max(0, this.trades.length - limit));
  }
}
