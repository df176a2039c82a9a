import { dec, ZERO, type Decimal, type DecimalValue } from './decimal';
import { reject } from './rejections';

export interface AccountConfig {
  apiKey: string;
  secret: string;
  /** Starting balances by asset, as decimal strings (numbers accepted). */
  balances: Record<string, DecimalValue>;
  /** Fee rates as fractions, e.g. "0.001" for 0.1%. */
  makerFeeRate?: DecimalValue;
  takerFeeRate?: DecimalValue;
}

export interface AssetBalance {
  free: Decimal;
  locked: Decimal;
}

export const DEFAULT_FEE_RATE = '0.001';

/**
 * One trading account. User accounts must hold what they trade: locking more than is free is
 * refused. Internal accounts (market maker, synthetic takers) are the simulated rest of the
 * market: they have unlimited funds, pay no fees, and their balances are not tracked.
 */
export class Account {
  readonly balances = new Map<string, AssetBalance>();
  updateTime = 0;

  constructor(
    readonly id: string,
    readonly credentials: { apiKey: string; secret: string } | undefined,
    readonly makerFeeRate: Decimal,
    readonly takerFeeRate: Decimal,
    readonly internal: boolean,
  ) {}

  balance(asset: string): AssetBalance {
    let entry = this.balances.get(asset);
    if (!entry) {
      entry = { free: ZERO, locked: ZERO };
      this.balances.set(asset, entry);
    }
    return entry;
  }

  /** Moves funds from free to locked; refuses when not enough is free. */
  lock(asset: string, amount: Decimal, at: number): void {
    if (this.internal) return;
    const entry = this.balance(asset);
    if (entry.free.lt(amount)) reject({ kind: 'INSUFFICIENT_BALANCE' });
    entry.free = entry.free.minus(amount);
    entry.locked = entry.locked.plus(amount);
    this.updateTime = at;
  }

  unlock(asset: string, amount: Decimal, at: number): void {
    if (this.internal) return;
    const entry = this.balance(asset);
    entry.locked = entry.locked.minus(amount);
    entry.free = entry.free.plus(amount);
    this.updateTime = at;
  }

  credit(asset: string, amount: Decimal, at: number): void {
    if (this.internal) return;
    const entry = this.balance(asset);
    entry.free = entry.free.plus(amount);
    this.updateTime = at;
  }

  /** Takes free funds; callers check affordability first, so a shortfall here is an engine bug. */
  debit(asset: string, amount: Decimal, at: number): void {
    if (this.internal) return;
    const entry = this.balance(asset);
    if (entry.free.lt(amount)) throw new Error(`account ${this.id}: ${asset} free balance would go negative`);
    entry.free = entry.free.minus(amount);
    this.updateTime = at;
  }

  canAfford(asset: string, amount: Decimal): boolean {
    return this.internal || this.balance(asset).free.gte(amount);
  }
}

export const MARKET_MAKER_ACCOUNT_ID = '__market_maker__';
export const SYNTHETIC_TAKER_ACCOUNT_ID = '__synthetic_taker__';

/** Every account, findable by id and by API key. */
export class AccountBook {
  private readonly accounts = new Map<string, Account>();
  private readonly byKey = new Map<string, Account>();

  constructor() {
    this.addInternal(MARKET_MAKER_ACCOUNT_ID);
    this.addInternal(SYNTHETIC_TAKER_ACCOUNT_ID);
  }

  /** Adds (or replaces) a user account; its id is its API key. */
  addUser(config: AccountConfig, at: number): Account {
    const account = new Account(
      config.apiKey,
      { apiKey: config.apiKey, secret: config.secret },
      dec(config.makerFeeRate ?? DEFAULT_FEE_RATE),
      dec(config.takerFeeRate ?? DEFAULT_FEE_RATE),
      false,
    );
    for (const [asset, amount] of Object.entries(config.balances)) {
      account.balance(asset).free = dec(amount);
    }
    account.updateTime = at;
    this.accounts.set(account.id, account);
    this.byKey.set(config.apiKey, account);
    return account;
  }

  get(id: string): Account {
    const account = this.accounts.get(id);
    if (!account) throw new Error(`unknown account ${id}`);
    return account;
  }

  findByApiKey(apiKey: string): Account | undefined {
    return this.byKey.get(apiKey);
  }

  users(): Account[] {
    return [...this.accounts.values()].filter((account) => !account.internal);
  }

  private addInternal(id: string): void {
    this.accounts.set(id, new Account(id, undefined, ZERO, ZERO, true));
  }
}
