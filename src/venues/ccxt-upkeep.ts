/**
 * What one long-lived ccxt instance needs kept up: its markets (loaded, reloaded when stale or
 * when a symbol turns out unknown) and its clock offset to the venue (resynchronised periodically
 * and after the venue refused our timestamp). No timers: everything happens on the way into a
 * call, so a closed venue leaves nothing running.
 */
import type * as ccxt from 'ccxt';

export interface UpkeepOptions {
  /** Reload markets this often, so listings and filters stay current. */
  marketsTtlMs: number;
  /** After a failed reload (old markets kept), try again after this long. */
  marketsRetryMs: number;
  /** An unknown symbol reloads the markets at most this often. */
  unknownSymbolReloadMs: number;
  /** Resynchronise the clock offset this often (0: only after the venue refused a timestamp). */
  clockSyncIntervalMs: number;
  /** After a failed periodic clock sync, try again after this long. */
  clockRetryMs: number;
  now?: () => number;
}

export const DEFAULT_UPKEEP: Readonly<UpkeepOptions> = {
  marketsTtlMs: 15 * 60_000,
  marketsRetryMs: 30_000,
  unknownSymbolReloadMs: 10_000,
  clockSyncIntervalMs: 10 * 60_000,
  clockRetryMs: 30_000,
};

export class ExchangeUpkeep {
  private readonly options: UpkeepOptions;
  private readonly now: () => number;
  private marketsLoadedAt = -Infinity;
  private nextMarketsLoadAt = 0;
  private marketsLoading: Promise<void> | undefined;
  private nextClockSyncAt = 0;
  private clockSyncing: Promise<boolean> | undefined;

  constructor(
    private readonly exchange: ccxt.Exchange,
    options: Partial<UpkeepOptions> = {},
  ) {
    this.options = { ...DEFAULT_UPKEEP, ...options };
    this.now = options.now ?? Date.now;
  }

  /**
   * Markets loaded and current. A failed first load throws (the caller's error policy decides) and
   * leaves the instance usable: every load here is loadMarkets(true), because ccxt caches a failed
   * load and hands it to every later loadMarkets() until one is forced. A failed reload, with
   * markets already held, is not the caller's problem: it keeps trading on the markets it has.
   */
  async ensureMarkets(): Promise<void> {
    const held = this.exchange.markets !== undefined;
    if (held && this.now() < this.nextMarketsLoadAt) return;
    try {
      await this.reload();
    } catch (err) {
      if (!held) throw err;
      this.keepHeldMarkets();
      this.nextMarketsLoadAt = this.now() + this.options.marketsRetryMs;
    }
  }

  /**
   * A symbol turned out unknown: listings changed, reload before the next call (but not sooner
   * than unknownSymbolReloadMs after the last load, so a mistyped symbol cannot hammer the venue).
   */
  marketsStale(): void {
    const soonest = this.marketsLoadedAt + this.options.unknownSymbolReloadMs;
    this.nextMarketsLoadAt = Math.min(this.nextMarketsLoadAt, soonest);
  }

  /**
   * A symbol missing from the markets may have been listed since they were loaded: reload them
   * (at most every unknownSymbolReloadMs, so a typo cannot hammer the venue). True if reloaded.
   */
  async reloadForUnknownSymbol(): Promise<boolean> {
    if (this.now() - this.marketsLoadedAt < this.options.unknownSymbolReloadMs) return false;
    try {
      await this.reload();
      return true;
    } catch {
      if (this.exchange.markets !== undefined) this.keepHeldMarkets();
      return false;
    }
  }

  private reload(): Promise<void> {
    this.marketsLoading ??= this.exchange
      .loadMarkets(true)
      .then(() => {
        this.marketsLoadedAt = this.now();
        this.nextMarketsLoadAt = this.marketsLoadedAt + this.options.marketsTtlMs;
      })
      .finally(() => {
        this.marketsLoading = undefined;
      });
    return this.marketsLoading;
  }

  /**
   * ccxt methods start with `await this.loadMarkets()`, which answers with the last load's promise:
   * after a failed reload that is the failure, for every call, although the markets are still
   * there. Point it back at the markets held.
   */
  private keepHeldMarkets(): void {
    const markets = this.exchange.markets;
    if (markets !== undefined) this.exchange.marketsLoading = Promise.resolve(markets);
  }

  /** The periodic clock sync, started in the background when due: no call waits for it. */
  syncClockIfDue(): void {
    if (this.options.clockSyncIntervalMs <= 0 || this.exchange.has['fetchTime'] !== true) return;
    if (this.now() < this.nextClockSyncAt) return;
    this.nextClockSyncAt = Infinity; // until this sync ends
    void this.syncClock().then((ok) => {
      this.nextClockSyncAt = this.now() + (ok ? this.options.clockSyncIntervalMs : this.options.clockRetryMs);
    });
  }

  /**
   * Resynchronises ccxt's clock offset to the venue (loadTimeDifference: options.timeDifference,
   * which ccxt's nonce() subtracts when signing). Never throws; true if it worked.
   */
  syncClock(): Promise<boolean> {
    this.clockSyncing ??= this.exchange
      .loadTimeDifference()
      .then(
        () => true,
        () => false,
      )
      .finally(() => {
        this.clockSyncing = undefined;
      });
    return this.clockSyncing;
  }

  /** ccxt's options.timeDifference: our clock minus the venue's, in ms. */
  timeDifferenceMs(): number {
    const difference = Number(this.exchange.options['timeDifference']);
    return Number.isFinite(difference) ? difference : 0;
  }
}
