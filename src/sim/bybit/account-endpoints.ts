import { createHash } from 'node:crypto';
import type { Account } from '../engine/accounts';
import { dec, ZERO, type Decimal } from '../engine/decimal';
import type { Simulation } from '../simulation';
import type { BybitEndpoint, PrivateContext } from './endpoint';
import { amount } from './envelope';
import { bybitErrors } from './errors';

/** USD values are estimates; Bybit prints them with a handful of decimals. */
const USD_DECIMALS = 8;
const STABLE_COINS: ReadonlySet<string> = new Set(['USDT', 'USDC']);

/** A coin's price in USD: 1 for stable coins, else its last price against USDT (0 if unlisted). */
function usdPrice(sim: Simulation, coin: string): Decimal {
  if (STABLE_COINS.has(coin)) return dec(1);
  const instrument = sim.exchange.instrument(`${coin}USDT`);
  return instrument ? sim.exchange.lastPrice(instrument.symbol) : ZERO;
}

/** A stable, positive numeric user id for an account (Bybit ids are numbers; ours are API keys). */
function userId(account: Account): number {
  return createHash('sha256').update(account.id).digest().readUInt32BE(0) % 100_000_000;
}

/**
 * GET /v5/account/wallet-balance, accountType=UNIFIED. Per coin: walletBalance = free + locked,
 * `locked` = what open spot orders hold. `availableToWithdraw` is empty, as Bybit now sends it
 * (deprecated), so ccxt computes free = walletBalance − (locked + totalOrderIM + totalPositionIM).
 */
function walletBalance(context: PrivateContext): Record<string, unknown> {
  const { sim, params, account } = context;
  const accountType = params.string('accountType');
  if (accountType === undefined) throw bybitErrors.params('accountType is required');
  if (accountType !== 'UNIFIED') throw bybitErrors.params('accountType only support UNIFIED.');
  const wanted = params.string('coin')?.split(',');
  let equity = ZERO;
  let available = ZERO;
  const coins = [...account.balances.entries()]
    .filter(([coin]) => wanted === undefined || wanted.includes(coin))
    .map(([coin, balance]) => {
      const wallet = balance.free.plus(balance.locked);
      const price = usdPrice(sim, coin);
      equity = equity.plus(wallet.mul(price));
      available = available.plus(balance.free.mul(price));
      return {
        coin,
        equity: amount(wallet),
        usdValue: amount(wallet.mul(price).toDecimalPlaces(USD_DECIMALS)),
        walletBalance: amount(wallet),
        locked: amount(balance.locked),
        spotHedgingQty: '0',
        borrowAmount: '0',
        accruedInterest: '0',
        availableToWithdraw: '',
        availableToBorrow: '',
        totalOrderIM: '0',
        totalPositionIM: '0',
        totalPositionMM: '0',
        unrealisedPnl: '0',
        cumRealisedPnl: '0',
        bonus: '0',
        marginCollateral: true,
        collateralSwitch: true,
      };
    });
  const usd = (value: Decimal): string => amount(value.toDecimalPlaces(USD_DECIMALS));
  return {
    list: [
      {
        accountType: 'UNIFIED',
        accountIMRate: '0',
        accountMMRate: '0',
        accountLTV: '0',
        totalEquity: usd(equity),
        totalWalletBalance: usd(equity),
        totalMarginBalance: usd(equity),
        totalAvailableBalance: usd(available),
        totalPerpUPL: '0',
        totalInitialMargin: '0',
        totalMaintenanceMargin: '0',
        coin: coins,
      },
    ],
  };
}

/** GET /v5/user/query-api: what ccxt reads to tell a unified trading account (uta: 1). */
function apiKeyInfo(context: PrivateContext): Record<string, unknown> {
  const { account } = context;
  return {
    id: String(userId(account)),
    note: 'ordo simulator',
    apiKey: account.credentials?.apiKey ?? '',
    readOnly: 0,
    secret: '',
    permissions: {
      ContractTrade: [],
      Spot: ['SpotTrade'],
      Wallet: ['AccountTransfer'],
      Options: [],
      Derivatives: [],
      CopyTrading: [],
      BlockTrade: [],
      Exchange: [],
      NFT: [],
      Affiliate: [],
    },
    ips: ['*'],
    type: 1,
    deadlineDay: -1,
    expiredAt: '',
    createdAt: new Date(0).toISOString(),
    unified: 0,
    uta: 1,
    userID: userId(account),
    inviterID: 0,
    vipLevel: 'No VIP',
    mktMakerLevel: '0',
    affiliateID: 0,
    rsaPublicKey: '',
    isMaster: true,
    parentUid: '0',
  };
}

/** GET /v5/account/info: a UTA 2.0 (pro) account, regular margin, no spot hedging. */
function accountInfo(context: PrivateContext): Record<string, unknown> {
  return {
    unifiedMarginStatus: 6,
    marginMode: 'REGULAR_MARGIN',
    isMasterTrader: false,
    spotHedgingStatus: 'OFF',
    updatedTime: String(context.account.updateTime),
    dcpStatus: 'OFF',
    timeWindow: 10,
    smpGroup: 0,
  };
}

/**
 * GET /v5/asset/coin/query-info: the coins the listed pairs use. The simulator has no deposits
 * or withdrawals, so no coin lists a chain.
 */
function coinInfo(context: PrivateContext): Record<string, unknown> {
  const { sim, params } = context;
  const wanted = params.string('coin');
  const coins = new Set(sim.exchange.instruments().flatMap((i) => [i.baseAsset, i.quoteAsset]));
  const rows = [...coins]
    .filter((coin) => wanted === undefined || coin === wanted)
    .map((coin) => ({ name: coin, coin, remainAmount: '0', chains: [] }));
  return { rows };
}

export const ACCOUNT_ENDPOINTS: readonly BybitEndpoint[] = [
  { method: 'GET', path: '/v5/account/wallet-balance', auth: 'private', handle: walletBalance },
  { method: 'GET', path: '/v5/user/query-api', auth: 'private', handle: apiKeyInfo },
  { method: 'GET', path: '/v5/account/info', auth: 'private', handle: accountInfo },
  { method: 'GET', path: '/v5/asset/coin/query-info', auth: 'private', handle: coinInfo },
];
