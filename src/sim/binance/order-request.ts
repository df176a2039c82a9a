import { randomBytes } from 'node:crypto';
import type { Exchange } from '../engine/exchange';
import {
  ORDER_TYPES,
  SELF_TRADE_PREVENTION_MODES,
  TIME_IN_FORCE,
  type NewOrderRequest,
  type OrderType,
} from '../engine/types';
import { binanceErrors } from './errors';
import type { NewOrderResponseType } from './format';
import type { BinanceParams } from './params';

export interface ParsedNewOrder {
  request: NewOrderRequest;
  responseType: NewOrderResponseType;
}

interface TypeRules {
  timeInForce: boolean;
  price: boolean;
  stopPrice: boolean;
  /** Sized by quantity, or (market only) by quote amount. */
  quoteSizable: boolean;
}

/** Which parameters each order type requires (everything else is "sent when not required"). */
const RULES: Readonly<Record<OrderType, TypeRules>> = {
  LIMIT: { timeInForce: true, price: true, stopPrice: false, quoteSizable: false },
  MARKET: { timeInForce: false, price: false, stopPrice: false, quoteSizable: true },
  LIMIT_MAKER: { timeInForce: false, price: true, stopPrice: false, quoteSizable: false },
  STOP_LOSS: { timeInForce: false, price: false, stopPrice: true, quoteSizable: false },
  STOP_LOSS_LIMIT: { timeInForce: true, price: true, stopPrice: true, quoteSizable: false },
  TAKE_PROFIT: { timeInForce: false, price: false, stopPrice: true, quoteSizable: false },
  TAKE_PROFIT_LIMIT: { timeInForce: true, price: true, stopPrice: true, quoteSizable: false },
};

const RESPONSE_TYPES = ['ACK', 'RESULT', 'FULL'] as const;

/**
 * Reads POST /api/v3/order parameters (also the new-order half of cancelReplace) with Binance's
 * checks: mandatory parameters (-1102), parameters a type does not take (-1106), enum values
 * (-1115/-1116/-1117), number formats (-1100/-1111), unknown symbol (-1121).
 */
export function parseNewOrder(params: BinanceParams, exchange: Exchange, accountId: string): ParsedNewOrder {
  const symbol = params.requireString('symbol');
  if (!exchange.instrument(symbol)) throw binanceErrors.invalidSymbol();
  const side = params.requireOneOf('side', ['BUY', 'SELL'] as const, binanceErrors.invalidSide);
  const type = params.requireOneOf('type', ORDER_TYPES, binanceErrors.invalidOrderType);
  const rules = RULES[type];
  const timeInForce = params.oneOf('timeInForce', TIME_IN_FORCE, binanceErrors.invalidTimeInForce);
  const quantity = params.decimal('quantity');
  const quoteOrderQty = params.decimal('quoteOrderQty');
  const price = params.decimal('price');
  const stopPrice = params.decimal('stopPrice');
  const clientOrderId = params.clientOrderId('newClientOrderId') ?? generatedClientOrderId();
  const responseType =
    params.oneOf('newOrderRespType', RESPONSE_TYPES, () =>
      binanceErrors.invalidParameterValue('newOrderRespType'),
    ) ?? (type === 'MARKET' || type === 'LIMIT' ? 'FULL' : 'ACK');
  const selfTradePreventionMode = params.oneOf('selfTradePreventionMode', SELF_TRADE_PREVENTION_MODES, () =>
    binanceErrors.invalidParameterValue('selfTradePreventionMode'),
  );
  // Accepted and ignored: strategy tags only label the order.
  params.accept('strategyId', 'strategyType');

  requireWhen(rules.timeInForce, 'timeInForce', timeInForce !== undefined);
  requireWhen(rules.price, 'price', price !== undefined);
  requireWhen(rules.stopPrice, 'stopPrice', stopPrice !== undefined);
  if (rules.quoteSizable) {
    if (quantity === undefined && quoteOrderQty === undefined)
      throw binanceErrors.eitherParameter('quantity', 'quoteOrderQty');
    if (quantity !== undefined && quoteOrderQty !== undefined)
      throw binanceErrors.parameterNotRequired('quoteOrderQty');
  } else {
    if (quantity === undefined) throw binanceErrors.mandatoryParameter('quantity');
    if (quoteOrderQty !== undefined) throw binanceErrors.parameterNotRequired('quoteOrderQty');
  }

  return {
    request: {
      accountId,
      symbol,
      side,
      type,
      timeInForce,
      quantity,
      quoteOrderQty,
      price,
      stopPrice,
      clientOrderId,
      selfTradePreventionMode,
    },
    responseType,
  };
}

function requireWhen(required: boolean, name: string, present: boolean): void {
  if (required && !present) throw binanceErrors.mandatoryParameter(name);
  if (!required && present) throw binanceErrors.parameterNotRequired(name);
}

/** Binance's own ids look like this when the client sends none: 22 URL-safe characters. */
export function generatedClientOrderId(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}
