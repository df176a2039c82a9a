import { MARKET_MAKER_ACCOUNT_ID } from '../engine/accounts';
import { ceilToStep, dec, Decimal, floorToStep, maxOf } from '../engine/decimal';
import type { Exchange } from '../engine/exchange';
import type { Instrument } from '../engine/instrument';
import { isOpen } from '../engine/order-status';
import type { Order, Side } from '../engine/types';
import type { Rng } from './prng';
import type { MarketProfile } from './profile';

const BASIS_POINT = new Decimal('0.0001');
/** Deeper levels are larger, as on real books. */
const DEPTH_SIZE_GROWTH = 0.25;

/**
 * The hidden liquidity provider: a ladder of limit orders on each side of the mid. A requote
 * cancels its ladder and lays a fresh one around the current mid, so any user order the new
 * quotes cross trades (with the user as maker), exactly as if the market had moved through it.
 */
export class MarketMaker {
  private readonly quotes = new Map<string, Order[]>();
  private nextClientId = 1;

  constructor(
    private readonly exchange: Exchange,
    private readonly rng: Rng,
  ) {}

  requote(instrument: Instrument, profile: MarketProfile, mid: Decimal): void {
    for (const order of this.quotes.get(instrument.symbol) ?? []) {
      if (isOpen(order))
        this.exchange.cancelOrder(MARKET_MAKER_ACCOUNT_ID, instrument.symbol, { orderId: order.orderId });
    }
    const placed: Order[] = [];
    for (const side of ['BUY', 'SELL'] as const) {
      for (const [price, quantity] of this.ladder(instrument, profile, mid, side)) {
        const { order } = this.exchange.placeOrder({
          accountId: MARKET_MAKER_ACCOUNT_ID,
          symbol: instrument.symbol,
          side,
          type: 'LIMIT',
          timeInForce: 'GTC',
          price,
          quantity,
          clientOrderId: `mm-${this.nextClientId++}`,
        });
        if (isOpen(order)) placed.push(order);
      }
    }
    this.quotes.set(instrument.symbol, placed);
  }

  /** Prices (distinct, on the tick grid, never crossing the mid) and sizes (whole lots) of one side. */
  private ladder(
    instrument: Instrument,
    profile: MarketProfile,
    mid: Decimal,
    side: Side,
  ): [Decimal, Decimal][] {
    const tick = instrument.tickSize;
    const levels: [Decimal, Decimal][] = [];
    // The best quote on each side stays at least one tick away from the mid.
    let limit = side === 'BUY' ? ceilToStep(mid, tick).minus(tick) : floorToStep(mid, tick).plus(tick);
    for (let level = 0; level < profile.quoteLevels; level++) {
      const offset = BASIS_POINT.mul(
        dec(profile.halfSpreadBps).plus(dec(profile.levelSpacingBps).mul(level)),
      );
      const price =
        side === 'BUY'
          ? Decimal.min(floorToStep(mid.mul(Decimal.sub(1, offset)), tick), limit)
          : Decimal.max(ceilToStep(mid.mul(Decimal.add(1, offset)), tick), limit);
      if (price.lt(instrument.minPrice)) break;
      limit = side === 'BUY' ? price.minus(tick) : price.plus(tick);
      const notional = Math.round(
        this.rng.between(profile.levelNotional[0], profile.levelNotional[1]) *
          (1 + DEPTH_SIZE_GROWTH * level),
      );
      const quantity = maxOf(floorToStep(dec(notional).div(price), instrument.stepSize), instrument.minQty);
      levels.push([price, quantity]);
    }
    return levels;
  }
}
