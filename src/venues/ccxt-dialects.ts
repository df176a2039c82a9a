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
  /**
   * How fetchTrades (public trades) can page through a time window: `window` — the venue answers
   * the trades between `since` and ccxt's `until`; `latest` — only its newest trades, whatever
   * `since` says (a window older than them cannot be listed).
   */
  tradesPaging: 'window' | 'latest';
  /** Which end of a window holding more trades than one page the venue answers with. */
  tradesPageKeeps: 'first' | 'last';
  /** Trades per request: the venue's maximum. */
  tradesPageLimit: number;
  /** The longest window one trades request may span (null: any). */
  tradesMaxSpanMs: number | null;
}

export const DEFAULT_DIALECT: Readonly<CcxtDialect> = {
  clientOrderIdLookupParam: 'clientOrderId',
  thinOrderAnswers: false,
  listParams: {},
  amendClientOrderIdParam: 'newClientOrderId',
  amendAmountIsTotal: false,
  jsonAnswers: true,
  // ccxt's own pagination (fetchPaginatedCallDynamic) assumes this: a page starts at `since`.
  tradesPaging: 'window',
  tradesPageKeeps: 'first',
  tradesPageLimit: 500,
  tradesMaxSpanMs: null,
};

export const CCXT_DIALECTS: Readonly<Record<string, Partial<CcxtDialect>>> = {
  // ccxt's unified parameters work as documented; editOrder is Binance's cancel-replace.
  binance: {
    // fetchTrades is /api/v3/aggTrades: at most 1000 a request, startTime to endTime at most an
    // hour apart (-1127), and a window holding more than `limit` answers its LAST trades
    // (binance-spot-api-docs#10; ccxt.binance's fetchTrades caveats say the same).
    tradesPageKeeps: 'last',
    tradesPageLimit: 1000,
    tradesMaxSpanMs: 3_600_000,
  },
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
    // /v5/market/recent-trade (spot) has no time or cursor parameter: the newest 60 trades only.
    tradesPaging: 'latest',
    tradesPageLimit: 60,
  },
};

export function dialectFor(exchangeId: string, overrides: Partial<CcxtDialect> = {}): CcxtDialect {
  return { ...DEFAULT_DIALECT, ...CCXT_DIALECTS[exchangeId], ...overrides };
}
