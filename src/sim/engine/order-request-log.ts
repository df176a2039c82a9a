import type { Order } from './types';

/** What arrived at an order-placement endpoint, as sent (strings, before any validation). */
export interface OrderRequestFields {
  endpoint: string;
  apiKey?: string;
  clientOrderId?: string;
  symbol?: string;
  side?: string;
  type?: string;
  timeInForce?: string;
  price?: string;
  stopPrice?: string;
  quantity?: string;
  quoteOrderQty?: string;
  /** For cancel/replace requests: which order was to be replaced. */
  cancelOrderId?: string;
  cancelOrigClientOrderId?: string;
}

export interface OrderRequestRecord extends OrderRequestFields {
  seq: number;
  receivedAt: number;
  /** The order the request created, once accepted. */
  order?: Order;
  rejectCode?: number;
  rejectReason?: string;
  httpStatus?: number;
  /** Name of the injected fault that affected this request, if any. */
  fault?: string;
}

/** The admin view of one request; the order's fields are read live, so status stays current. */
export interface OrderRequestView {
  seq: number;
  receivedAt: number;
  endpoint: string;
  apiKey: string | null;
  clientOrderId: string | null;
  orderId: number | null;
  symbol: string | null;
  side: string | null;
  type: string | null;
  timeInForce: string | null;
  price: string | null;
  stopPrice: string | null;
  origQty: string | null;
  quoteOrderQty: string | null;
  executedQty: string;
  cummulativeQuoteQty: string;
  status: string;
  domainStatus: string;
  updatedAt: number;
  rejectCode?: number;
  rejectReason?: string;
  httpStatus?: number;
  fault?: string;
  cancelOrderId?: string;
  cancelOrigClientOrderId?: string;
}

export interface OrderRequestFilter {
  clientOrderId?: string;
  symbol?: string;
  apiKey?: string;
}

/**
 * Every order-placement request the simulator received, in arrival order — accepted, rejected,
 * duplicated or hit by an injected fault — so tests can count exactly what a venue saw.
 */
export class OrderRequestLog {
  private readonly records: OrderRequestRecord[] = [];

  constructor(private readonly clock: () => number) {}

  record(fields: OrderRequestFields): OrderRequestRecord {
    const record: OrderRequestRecord = { ...fields, seq: this.records.length + 1, receivedAt: this.clock() };
    this.records.push(record);
    return record;
  }

  list(filter: OrderRequestFilter = {}): OrderRequestView[] {
    return this.records
      .filter(
        (record) =>
          (filter.clientOrderId === undefined || record.clientOrderId === filter.clientOrderId) &&
          (filter.symbol === undefined || record.symbol === filter.symbol) &&
          (filter.apiKey === undefined || record.apiKey === filter.apiKey),
      )
      .map(toView);
  }
}

function toView(record: OrderRequestRecord): OrderRequestView {
  const order = record.order;
  // No order and no answer yet: the request is still being processed (e.g. injected latency).
  const answered = order !== undefined || record.httpStatus !== undefined;
  const view: OrderRequestView = {
    seq: record.seq,
    receivedAt: record.receivedAt,
    endpoint: record.endpoint,
    apiKey: record.apiKey ?? null,
    clientOrderId: order?.clientOrderId ?? record.clientOrderId ?? null,
    orderId: order?.orderId ?? null,
    symbol: record.symbol ?? null,
    side: record.side ?? null,
    type: record.type ?? null,
    timeInForce: record.timeInForce ?? null,
    price: record.price ?? null,
    stopPrice: record.stopPrice ?? null,
    origQty: order ? order.origQty.toString() : (record.quantity ?? null),
    quoteOrderQty: record.quoteOrderQty ?? null,
    executedQty: order ? order.executedQty.toString() : '0',
    cummulativeQuoteQty: order ? order.cumulativeQuoteQty.toString() : '0',
    status: order?.status ?? (answered ? 'REJECTED' : 'PENDING'),
    domainStatus: order?.domainStatus ?? (answered ? 'REJECTED' : 'SUBMITTED'),
    updatedAt: order?.updateTime ?? record.receivedAt,
  };
  const optional = {
    rejectCode: record.rejectCode,
    rejectReason: record.rejectReason,
    httpStatus: record.httpStatus,
    fault: record.fault,
    cancelOrderId: record.cancelOrderId,
    cancelOrigClientOrderId: record.cancelOrigClientOrderId,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(view, { [key]: value });
  }
  return view;
}
