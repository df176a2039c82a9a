import { SYNTHETIC_TAKER_ACCOUNT_ID } from '../engine/accounts';
import { dec, floorToStep, maxOf, type Decimal } from '../engine/decimal';
import type { Exchange, PlacementResult } from '../engine/exchange';
import type { Instrument } from '../engine/instrument';
import type { Side } from '../engine/types';
import type { Rng } from './prng';
import type { MarketProfile } from './profile';

/**
 * The rest of the market's order flow: market orders that hit whatever rests at the best prices,
 * users' orders included (in time priority), so trades and volume exist.
 */
export class SyntheticTakers {
  private nextClientId = 1;

  constructor(
    private readonly exchange: Exchange,
    private readonly rng: Rng,
  ) {}

  /** With the profile's probability, one market order of random side and size. */
  maybeTrade(instrument: Instrument, profile: MarketProfile, mid: Decimal): void {
    if (!this.rng.chance(profile.takerProbability)) return;
    const side: Side = this.rng.chance(0.5) ? 'BUY' : 'SELL';
    const notional = Math.round(this.rng.between(profile.takerNotional[0], profile.takerNotional[1]));
    const quantity = maxOf(floorToStep(dec(notional).div(mid), instrument.stepSize), instrument.minQty);
    this.trade(instrument.symbol, side, quantity);
  }

  trade(symbol: string, side: Side, quantity: Decimal): PlacementResult {
    return this.exchange.placeOrder({
      accountId: SYNTHETIC_TAKER_ACCOUNT_ID,
      symbol,
      side,
      type: 'MARKET',
      quantity,
      clientOrderId: `taker-${this.nextClientId++}`,
    });
  }
}
