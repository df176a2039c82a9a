import { MARKET_MAKER_ACCOUNT_ID } from '../engine/accounts';
import { dec, Decimal, floorToStep, maxOf, roundToStep, type DecimalValue } from '../engine/decimal';
import type { Exchange, SettledEvent } from '../engine/exchange';
import type { Instrument } from '../engine/instrument';
import type { Side } from '../engine/types';
import { MarketMaker } from './market-maker';
import type { Rng } from './prng';
import type { MarketProfile } from './profile';
import { SyntheticTakers } from './synthetic-takers';

interface SymbolState {
  instrument: Instrument;
  profile: MarketProfile;
  mid: Decimal;
}

/** The lowest mid the walk may reach, in ticks, so a long run can never walk prices to zero. */
const MIN_MID_TICKS = 100;

/**
 * The seeded synthetic market around the users: a random-walk mid per symbol, the market maker's
 * ladder around it, and synthetic takers trading against the book. With a fixed seed and the same
 * sequence of calls, everything it does is reproducible.
 */
export class SyntheticMarket {
  private readonly symbols = new Map<string, SymbolState>();
  private readonly marketMaker: MarketMaker;
  private readonly takers: SyntheticTakers;
  private readonly walkRng: Rng;
  private requoting = false;

  constructor(
    private readonly exchange: Exchange,
    instruments: readonly Instrument[],
    profiles: readonly MarketProfile[],
    rng: Rng,
  ) {
    this.walkRng = rng.fork('walk');
    this.marketMaker = new MarketMaker(exchange, rng.fork('market-maker'));
    this.takers = new SyntheticTakers(exchange, rng.fork('takers'));
    for (const instrument of instruments) {
      const profile = profiles.find((candidate) => candidate.symbol === instrument.symbol);
      if (!profile) throw new Error(`no market profile for ${instrument.symbol}`);
      this.symbols.set(instrument.symbol, { instrument, profile, mid: dec(profile.initialMid) });
    }
    // Refill the ladder as soon as anyone trades against it, so the book never stays hollow.
    exchange.on('settled', (event) => this.onSettled(event));
  }

  /** Lays the first ladder on every book. */
  open(): void {
    for (const state of this.symbols.values()) this.requote(state);
  }

  /** One step of the market: every mid walks, ladders follow, and synthetic takers may trade. */
  tick(): void {
    for (const state of this.symbols.values()) {
      state.mid = this.walk(state);
      this.requote(state);
      this.takers.maybeTrade(state.instrument, state.profile, state.mid);
    }
  }

  mid(symbol: string): Decimal {
    return this.state(symbol).mid;
  }

  /**
   * Moves the market to `price`: the ladder is laid around it (filling user orders it crosses,
   * users as makers) and a minimum-size trade prints in the direction of the move, so the last
   * price follows and stop orders see the move.
   */
  setMid(symbol: string, price: DecimalValue): void {
    const state = this.state(symbol);
    const next = floorToStep(dec(price), state.instrument.tickSize);
    if (next.lte(0)) throw new Error('mid must be positive');
    const direction: Side = next.lt(state.mid) ? 'SELL' : 'BUY';
    state.mid = next;
    this.requote(state);
    this.takers.trade(symbol, direction, state.instrument.minQty);
  }

  /** One synthetic market order (for tests and demos). */
  trade(symbol: string, side: Side, quantity: DecimalValue): void {
    this.takers.trade(this.state(symbol).instrument.symbol, side, dec(quantity));
  }

  private walk(state: SymbolState): Decimal {
    const tick = state.instrument.tickSize;
    // The float draw becomes a fixed-precision decimal before it touches the price.
    const relativeMove = dec((this.walkRng.normal() * state.profile.tickVolatility).toFixed(10));
    // Round to the nearest tick: flooring would drag every walk down by half a tick per step.
    const moved = roundToStep(state.mid.mul(Decimal.add(1, relativeMove)), tick);
    return maxOf(moved, tick.mul(MIN_MID_TICKS));
  }

  private requote(state: SymbolState): void {
    this.requoting = true;
    try {
      this.marketMaker.requote(state.instrument, state.profile, state.mid);
    } finally {
      this.requoting = false;
    }
  }

  private onSettled(event: SettledEvent): void {
    if (this.requoting) return;
    for (const [symbol, makers] of event.liquidityTaken) {
      const state = this.symbols.get(symbol);
      if (state && makers.has(MARKET_MAKER_ACCOUNT_ID)) this.requote(state);
    }
  }

  private state(symbol: string): SymbolState {
    const state = this.symbols.get(symbol);
    if (!state) throw new Error(`unknown symbol ${symbol}`);
    return state;
  }
}
