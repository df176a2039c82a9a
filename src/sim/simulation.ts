import { AccountBook, type AccountConfig } from './engine/accounts';
import { dec, type Decimal } from './engine/decimal';
import { Exchange, type Clock } from './engine/exchange';
import type { Instrument } from './engine/instrument';
import { OrderRequestLog } from './engine/order-request-log';
import { FaultInjector } from './faults/fault-injector';
import { generateHistory } from './market/history';
import { Rng } from './market/prng';
import type { MarketProfile } from './market/profile';
import { SyntheticMarket } from './market/synthetic-market';
import type { Candle } from './marketdata/candles';
import { minuteStart } from './marketdata/intervals';
import { MarketData } from './marketdata/market-data';

export interface SimulationConfig {
  seed: number;
  instruments: readonly Instrument[];
  profiles: readonly MarketProfile[];
  accounts: readonly AccountConfig[];
  /** Minutes of synthetic one-minute history before start. */
  historyMinutes: number;
  clock: Clock;
}

/**
 * Everything one simulated venue is made of, wired together: accounts, the exchange core, the
 * synthetic market, candles, the order-request log and the fault injector. `reset()` rebuilds it
 * all from the same seed, so after a reset the market replays identically. Accounts added at run
 * time survive a reset (with their starting balances).
 */
export class Simulation {
  accounts!: AccountBook;
  exchange!: Exchange;
  market!: SyntheticMarket;
  marketData!: MarketData;
  orderLog!: OrderRequestLog;
  faults!: FaultInjector;
  private readonly addedAccounts = new Map<string, AccountConfig>();
  /** Generated history per symbol, reused by a reset within the same minute (it is the same data). */
  private readonly historyCache = new Map<string, { endMinute: number; candles: Candle[] }>();

  constructor(private readonly config: SimulationConfig) {
    this.build();
  }

  get clock(): Clock {
    return this.config.clock;
  }

  addAccount(account: AccountConfig): void {
    this.addedAccounts.set(account.apiKey, account);
    this.accounts.addUser(account, this.config.clock());
  }

  reset(): void {
    this.exchange.removeAllListeners();
    this.build();
  }

  private build(): void {
    const { seed, instruments, profiles, clock } = this.config;
    const rng = new Rng(seed);
    const now = clock();
    this.accounts = new AccountBook();
    for (const account of [...this.config.accounts, ...this.addedAccounts.values()]) {
      this.accounts.addUser(account, now);
    }
    const openingPrices = new Map<string, Decimal>();
    const histories = new Map<string, Candle[]>();
    for (const instrument of instruments) {
      const profile = profiles.find((candidate) => candidate.symbol === instrument.symbol);
      if (!profile) throw new Error(`no market profile for ${instrument.symbol}`);
      const opening = dec(profile.initialMid);
      openingPrices.set(instrument.symbol, opening);
      histories.set(instrument.symbol, this.history(rng, instrument, profile, opening, now));
    }
    this.exchange = new Exchange(instruments, openingPrices, this.accounts, clock);
    this.marketData = new MarketData(this.exchange, histories, openingPrices, clock);
    this.market = new SyntheticMarket(this.exchange, instruments, profiles, rng.fork('market'));
    this.orderLog = new OrderRequestLog(clock);
    this.faults = new FaultInjector(rng.fork('faults'));
    this.market.open();
  }

  private history(
    rng: Rng,
    instrument: Instrument,
    profile: MarketProfile,
    opening: Decimal,
    now: number,
  ): Candle[] {
    const endMinute = minuteStart(now);
    const cached = this.historyCache.get(instrument.symbol);
    if (cached?.endMinute === endMinute) return [...cached.candles];
    const historyRng = rng.fork(`history:${instrument.symbol}`);
    const candles = generateHistory(
      historyRng,
      instrument,
      profile,
      opening,
      now,
      this.config.historyMinutes,
    );
    this.historyCache.set(instrument.symbol, { endMinute, candles });
    return [...candles];
  }
}
