import { dec, type Decimal } from '../engine/decimal';
import type { Instrument } from '../engine/instrument';
import { amount } from './envelope';

/**
 * The engine's trading rules in Bybit's words. Bybit has no separate minimum price or quantity
 * step: `basePrecision` is the quantity step, `tickSize` the price step; `minOrderQty` /
 * `maxOrderQty` bound the quantity, `minOrderAmt` / `maxOrderAmt` the order value, and market
 * orders have their own `maxMarketOrderQty`. ccxt reads precision.amount from basePrecision,
 * precision.price from tickSize, limits.amount from min/maxOrderQty, limits.cost from
 * min/maxOrderAmt. The engine's min/max price are enforced (order-checks.ts) but, as on Bybit
 * spot, not listed.
 */
export function quotePrecision(instrument: Instrument): Decimal {
  return dec(10).pow(-instrument.quoteAssetPrecision);
}

/** One spot entry of GET /v5/market/instruments-info. */
export function instrumentInfo(instrument: Instrument): Record<string, unknown> {
  return {
    symbol: instrument.symbol,
    baseCoin: instrument.baseAsset,
    quoteCoin: instrument.quoteAsset,
    innovation: '0',
    status: 'Trading',
    marginTrading: 'none',
    stTag: '0',
    lotSizeFilter: {
      basePrecision: amount(instrument.stepSize),
      quotePrecision: amount(quotePrecision(instrument)),
      minOrderQty: amount(instrument.minQty),
      maxOrderQty: amount(instrument.maxQty),
      minOrderAmt: amount(instrument.minNotional),
      maxOrderAmt: amount(instrument.maxNotional),
      maxLimitOrderQty: amount(instrument.maxQty),
      maxMarketOrderQty: amount(instrument.marketMaxQty),
    },
    priceFilter: { tickSize: amount(instrument.tickSize) },
  };
}
