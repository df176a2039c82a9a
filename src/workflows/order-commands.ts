/**
 * Synchronous checks of cancel/amend requests (update validators): an impossible request is
 * refused before it enters the history. Pure, so they run in the workflow sandbox.
 */
import { cmp, isDecimalText, isPositive, toDecimalString } from '../domain/decimal';
import { type MarketRules, checkMarketRules } from '../domain/market-rules';
import type { OrderState } from '../domain/order-state';
import { isTerminal } from '../domain/status';
import type { AmendRequest } from './messages';

/** An amend request with its decimals normalised. */
export interface AmendCommand {
  quantity?: string;
  limitPrice?: string;
  stopPrice?: string;
}

export class CommandRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'CommandRejected';
  }
}

export function validateCancel(state: OrderState): void {
  if (isTerminal(state.status)) throw new CommandRejected('ORDER_ENDED', `order is already ${state.status}`);
  if (state.status === 'DEAD_LETTER')
    throw new CommandRejected('ORDER_PARKED', 'order is in dead letter: retry or abandon it');
}

const INVALID_CODES: Record<string, string> = {
  quantity: 'INVALID_QUANTITY',
  limitPrice: 'INVALID_PRICE',
  stopPrice: 'INVALID_STOP_PRICE',
};

function positiveDecimal(field: string, value: string | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!isDecimalText(text) || !isPositive(text)) {
    throw new CommandRejected(
      INVALID_CODES[field] ?? 'INVALID_REQUEST',
      `${field} must be a positive decimal, got "${text}"`,
    );
  }
  return toDecimalString(text);
}

/**
 * Checks an amend request; with the market's rules, also its lot and tick sizes (ccxt would
 * otherwise round them silently). The minimum notional of what remains is checked at the venue
 * step, where the remaining quantity is known exactly.
 */
export function validateAmend(state: OrderState, req: AmendRequest, rules?: MarketRules): AmendCommand {
  if (isTerminal(state.status)) throw new CommandRejected('ORDER_ENDED', `order is already ${state.status}`);
  if (state.status === 'DEAD_LETTER') throw new CommandRejected('ORDER_PARKED', 'order is in dead letter');
  if (state.status === 'PENDING_CANCEL')
    throw new CommandRejected('CANCEL_PENDING', 'order is being cancelled');
  if (typeof req !== 'object' || req === null)
    throw new CommandRejected('INVALID_REQUEST', 'amend takes an object');
  const unknown = Object.keys(req).filter((k) => !['quantity', 'limitPrice', 'stopPrice'].includes(k));
  if (unknown.length > 0)
    throw new CommandRejected('UNKNOWN_FIELD', `unknown field(s): ${unknown.join(', ')}`);
  const quantity = positiveDecimal('quantity', req.quantity);
  const limitPrice = positiveDecimal('limitPrice', req.limitPrice);
  const stopPrice = positiveDecimal('stopPrice', req.stopPrice);
  if (quantity === undefined && limitPrice === undefined && stopPrice === undefined) {
    throw new CommandRejected('NOTHING_TO_AMEND', 'give quantity, limitPrice or stopPrice');
  }
  const type = state.request.type;
  if (type === 'market') throw new CommandRejected('NOT_AMENDABLE', 'a market order cannot be amended');
  if (limitPrice !== undefined && type !== 'limit' && type !== 'stop_limit') {
    throw new CommandRejected('UNEXPECTED_PRICE', `a ${type} order takes no limitPrice`);
  }
  if (stopPrice !== undefined && type !== 'stop' && type !== 'stop_limit') {
    throw new CommandRejected('UNEXPECTED_STOP_PRICE', `a ${type} order takes no stopPrice`);
  }
  if (quantity !== undefined && cmp(quantity, state.filledQuantity) <= 0) {
    throw new CommandRejected(
      'AMEND_BELOW_FILLED',
      `quantity ${quantity} is not above the filled ${state.filledQuantity}`,
    );
  }
  const command: AmendCommand = {
    ...(quantity === undefined ? {} : { quantity }),
    ...(limitPrice === undefined ? {} : { limitPrice }),
    ...(stopPrice === undefined ? {} : { stopPrice }),
  };
  if (rules !== undefined) {
    const amended = { ...state.request, ...command };
    const precision = checkMarketRules(amended, { ...rules, minNotional: undefined }).filter((i) =>
      ['QUANTITY_PRECISION', 'PRICE_PRECISION', 'MIN_PRICE', 'MAX_PRICE', 'MAX_QUANTITY'].includes(i.code),
    );
    const [first] = precision;
    if (first !== undefined)
      throw new CommandRejected(first.code, precision.map((i) => i.message).join('; '));
  }
  return command;
}

/** retry/abandon are an operator's answers to DEAD_LETTER, and to nothing else. */
export function validateOperatorCommand(state: OrderState): void {
  if (state.status !== 'DEAD_LETTER') {
    throw new CommandRejected('ORDER_NOT_PARKED', `order is ${state.status}, not DEAD_LETTER`);
  }
}
