/**
 * How ccxt's unified API behaves per exchange where it differs in ways the adapter must know:
 * data keyed by ccxt exchange id (overridable per venue in configuration), so the adapter itself
 * has no `if (exchange.id === ...)`. Each entry says what ccxt 4.5.84 forced.
 */
export interface CcxtDialect {
  /** The fetchOrder parameter that looks an order up by client order id. */
  clientOrderIdLookupParam: string;
  /** createOrder/cancelOrder/editOrder answer with ids only: fetch the order after them. */
  thinOrderAnswers: boolean;
  /** Extra parameters for list calls (open orders, trades), so they return every page. */
  listParams: Readonly<Record<string, unknown>>;
  /**
   * The editOrder parameter for the replacement's client order id; null when the venue amends in
   * place and the order keeps its ids (the new client order id is then not sent).
   */
  amendClientOrderIdParam: string | null;
  /** editOrder's amount is the order's new total, filled part included (not what remains). */
  amendAmountIsTotal: boolean;
  /** Every successful answer is JSON: anything else is a garbled answer, never data. */
  jsonAnswers: boolean;
}

export const DEFAULT_DIALECT: Readonly<CcxtDialect> = {
  clientOrderIdLookupParam: 'clientOrderId',
  thinOrderAnswers: false,
  listParams: {},
  amendClientOrderIdParam: 'newClientOrderId',
  amendAmountIsTotal: false,
  jsonAnswers: true,
};

export const CCXT_DIALECTS: Readonly<Record<string, Partial<CcxtDialect>>> = {
  // ccxt's unified parameters work as documented; editOrder is Binance's cancel-replace.
  binance: {},
  bybit: {
    // ccxt.bybit.fetchOrder ignores the unified `clientOrderId` and sends an empty orderId, to
    // which the venue answers with its newest order: a different one, silently. Its own name works.
    clientOrderIdLookupParam: 'orderLinkId',
    // v5 create/cancel/amend answer {orderId, orderLinkId} only: no status, amount or fills.
    thinOrderAnswers: true,
    // /v5/order/realtime and /v5/execution/list answer a page (20 and 50 by default).
    listParams: { paginate: true },
    // /v5/order/amend changes the order in place: same orderId, same orderLinkId, qty = new total.
    amendClientOrderIdParam: null,
    amendAmountIsTotal: true,
  },
};

export function dialectFor(exchangeId: string, overrides: Partial<CcxtDialect> = {}): CcxtDialect {
  return { ...DEFAULT_DIALECT, ...CCXT_DIALECTS[exchangeId], ...overrides };
}
