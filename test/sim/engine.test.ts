/**
 * The exchange core on its own (no HTTP, no ccxt): matching priority, fees, funds, order types
 * and the order state machine.
 */
import { InvalidTransitionError } from '../../src/domain/status';
import { DEFAULT_INSTRUMENTS } from '../../src/sim/config';
import { AccountBook, MARKET_MAKER_ACCOUNT_ID } from '../../src/sim/engine/accounts';
import { dec, type DecimalValue } from '../../src/sim/engine/decimal';
import { Exchange, type OrderEvent } from '../../src/sim/engine/exchange';
import { moveOrderStatus } from '../../src/sim/engine/order-status';
import { RejectionError } from '../../src/sim/engine/rejections';
import type { NewOrderRequest } from '../../src/sim/engine/types';

const BTC = DEFAULT_INSTRUMENTS.find((instrument) => instrument.symbol === 'BTCUSDT')!;

function setup() {
  const accounts = new AccountBook();
  for (const name of ['alice', 'bob', 'carol']) {
    accounts.addUser({ apiKey: name, secret: 's', balances: { USDT: '1000000', BTC: '10' } }, 0);
  }
  accounts.addUser(
    {
      apiKey: 'cheap',
      secret: 's',
      balances: { USDT: '1000000', BTC: '10' },
      makerFeeRate: '0',
      takerFeeRate: '0.002',
    },
    0,
  );
  let now = 1_000;
  const exchange = new Exchange([BTC], new Map([['BTCUSDT', dec('60000')]]), accounts, () => now++);
  let ids = 0;
  const order = (
    accountId: string,
    fields: Partial<NewOrderRequest> & Pick<NewOrderRequest, 'side' | 'type'>,
  ) => exchange.placeOrder({ accountId, symbol: 'BTCUSDT', clientOrderId: `c${++ids}`, ...fields });
  const limit = (
    accountId: string,
    side: 'BUY' | 'SELL',
    price: DecimalValue,
    quantity: DecimalValue,
    extra = {},
  ) =>
    order(accountId, {
      side,
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: dec(price),
      quantity: dec(quantity),
      ...extra,
    });
  const balance = (accountId: string, asset: string) => {
    const entry = accounts.get(accountId).balance(asset);
    return { free: entry.free.toString(), locked: entry.locked.toString() };
  };
  return { exchange, accounts, order, limit, balance };
}

function rejectionOf(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    if (error instanceof RejectionError) {
      const rejection = error.rejection;
      return rejection.kind === 'FILTER_FAILURE' ? `${rejection.kind}:${rejection.filter}` : rejection.kind;
    }
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('matching', () => {
  it('fills the better price first, then the older order at the same price', () => {
    const { limit, order } = setup();
    const late = limit('alice', 'SELL', '60010', '1');
    const early = limit('bob', 'SELL', '60010', '1');
    const best = limit('carol', 'SELL', '60005', '1');
    // Same price: alice arrived before bob.
    expect(late.order.orderId).toBeLessThan(early.order.orderId);

    const { fills } = order('cheap', { side: 'BUY', type: 'MARKET', quantity: dec('2.5') });

    expect(fills.map((fill) => [fill.price.toString(), fill.qty.toString(), fill.orderId])).toEqual([
      ['60005', '1', fills[0]!.orderId],
      ['60010', '1', fills[1]!.orderId],
      ['60010', '0.5', fills[2]!.orderId],
    ]);
    expect(best.order.status).toBe('FILLED');
    expect(late.order.status).toBe('FILLED');
    expect(early.order.status).toBe('PARTIALLY_FILLED');
    expect(early.order.executedQty.toString()).toBe('0.5');
  });

  it('trades at the maker price when a limit order crosses', () => {
    const { limit } = setup();
    limit('alice', 'SELL', '59990', '1');
    const { order, fills } = limit('bob', 'BUY', '60050', '1');
    expect(order.status).toBe('FILLED');
    expect(fills[0]!.price.toString()).toBe('59990');
    expect(fills[0]!.isMaker).toBe(false);
  });

  it('expires the unfilled rest of an IOC order and kills a FOK order it cannot fill', () => {
    const { limit } = setup();
    limit('alice', 'SELL', '60000', '1');
    const ioc = limit('bob', 'BUY', '60000', '1.5', { timeInForce: 'IOC' });
    expect(ioc.order.status).toBe('EXPIRED');
    expect(ioc.order.executedQty.toString()).toBe('1');

    limit('alice', 'SELL', '60000', '1');
    const fok = limit('bob', 'BUY', '60000', '1.5', { timeInForce: 'FOK' });
    expect(fok.order.status).toBe('EXPIRED');
    expect(fok.order.executedQty.toString()).toBe('0');
    expect(fok.fills).toHaveLength(0);
  });

  it('refuses a post-only order that would take', () => {
    const { limit, order } = setup();
    limit('alice', 'SELL', '60000', '1');
    expect(
      rejectionOf(() =>
        order('bob', { side: 'BUY', type: 'LIMIT_MAKER', price: dec('60000'), quantity: dec(1) }),
      ),
    ).toBe('WOULD_TAKE');
    const maker = order('bob', {
      side: 'BUY',
      type: 'LIMIT_MAKER',
      price: dec('59999.99'),
      quantity: dec(1),
    });
    expect(maker.order.status).toBe('NEW');
  });

  it("expires the taker's own resting order instead of trading with it (EXPIRE_MAKER)", () => {
    const { limit, order } = setup();
    const own = limit('alice', 'SELL', '60000', '1');
    limit('bob', 'SELL', '60001', '1');
    const { fills } = order('alice', { side: 'BUY', type: 'MARKET', quantity: dec(1) });
    expect(own.order.status).toBe('EXPIRED_IN_MATCH');
    expect(own.order.domainStatus).toBe('EXPIRED');
    expect(fills.map((fill) => fill.price.toString())).toEqual(['60001']);
  });

  it('spends a quote amount on whole lots', () => {
    const { limit, order } = setup();
    limit('alice', 'SELL', '60000', '1');
    const { order: placed } = order('bob', { side: 'BUY', type: 'MARKET', quoteOrderQty: dec('1000') });
    expect(placed.status).toBe('FILLED');
    // 1000 / 60000 = 0.016666… → 0.01666 BTC on the 0.00001 step.
    expect(placed.executedQty.toString()).toBe('0.01666');
    expect(placed.origQty.toString()).toBe('0.01666');
    expect(placed.cumulativeQuoteQty.toString()).toBe('999.6');
  });
});

describe('fees and funds', () => {
  it('charges the buyer in base and the seller in quote, at maker and taker rates', () => {
    const { limit, order, balance } = setup();
    limit('alice', 'SELL', '60000', '0.5'); // maker, 0.1% of 30000 USDT
    order('cheap', { side: 'BUY', type: 'MARKET', quantity: dec('0.5') }); // taker, 0.2% of 0.5 BTC

    expect(balance('alice', 'BTC')).toEqual({ free: '9.5', locked: '0' });
    expect(balance('alice', 'USDT')).toEqual({ free: String(1_000_000 + 30_000 - 30), locked: '0' });
    expect(balance('cheap', 'BTC')).toEqual({ free: '10.499', locked: '0' });
    expect(balance('cheap', 'USDT')).toEqual({ free: String(1_000_000 - 30_000), locked: '0' });
  });

  it('rounds fees up to eight decimals', () => {
    const { limit, balance } = setup();
    limit('alice', 'SELL', '60000.01', '0.00011'); // 6.6000011 USDT → fee 0.0066000011 → 0.00660001
    limit('bob', 'BUY', '60000.01', '0.00011');
    expect(balance('alice', 'USDT').free).toBe('1000006.59340109');
  });

  it('locks price × quantity for a resting buy and gives back the price improvement', () => {
    const { limit, balance } = setup();
    const resting = limit('alice', 'BUY', '59000', '2');
    expect(balance('alice', 'USDT')).toEqual({ free: '882000', locked: '118000' });
    limit('bob', 'SELL', '58000', '1'); // fills alice at her 59000 (she is maker)
    expect(balance('alice', 'USDT')).toEqual({ free: '882000', locked: '59000' });

    limit('bob', 'SELL', '60500', '1');
    const crossing = limit('carol', 'BUY', '61000', '1');
    expect(crossing.fills[0]!.price.toString()).toBe('60500');
    // carol locked 61000 but paid 60500: the 500 improvement is free again, nothing stays locked.
    expect(balance('carol', 'USDT')).toEqual({ free: '939500', locked: '0' });
    expect(resting.order.status).toBe('PARTIALLY_FILLED');
  });

  it('refuses what the account cannot afford, and locks nothing then', () => {
    const { limit, balance } = setup();
    expect(rejectionOf(() => limit('alice', 'BUY', '60000', '17'))).toBe('INSUFFICIENT_BALANCE');
    expect(rejectionOf(() => limit('alice', 'SELL', '60000', '10.00001'))).toBe('INSUFFICIENT_BALANCE');
    expect(balance('alice', 'USDT')).toEqual({ free: '1000000', locked: '0' });
  });

  it('releases the lock when an order is cancelled', () => {
    const { exchange, limit, balance } = setup();
    const { order } = limit('alice', 'SELL', '61000', '3');
    expect(balance('alice', 'BTC')).toEqual({ free: '7', locked: '3' });
    exchange.cancelOrder('alice', 'BTCUSDT', { orderId: order.orderId });
    expect(balance('alice', 'BTC')).toEqual({ free: '10', locked: '0' });
    expect(order.domainStatus).toBe('CANCELLED');
  });
});

describe('filters', () => {
  it.each([
    [{ price: '60000.001', quantity: '1' }, 'FILTER_FAILURE:PRICE_FILTER'],
    [{ price: '2000000', quantity: '1' }, 'FILTER_FAILURE:PRICE_FILTER'],
    [{ price: '60000', quantity: '0.000015' }, 'FILTER_FAILURE:LOT_SIZE'],
    [{ price: '60000', quantity: '0.00008' }, 'FILTER_FAILURE:NOTIONAL'],
    [{ price: '0', quantity: '1' }, 'INVALID_PRICE'],
  ])('refuses %o with %s', (fields, expected) => {
    const { limit } = setup();
    expect(rejectionOf(() => limit('alice', 'BUY', fields.price, fields.quantity))).toBe(expected);
  });
});

describe('stop orders', () => {
  it('waits for the last price to cross the stop, then works as a limit order', () => {
    const { limit, order } = setup();
    const stop = order('alice', {
      side: 'SELL',
      type: 'STOP_LOSS_LIMIT',
      timeInForce: 'GTC',
      stopPrice: dec('59000'),
      price: dec('58900'),
      quantity: dec(1),
    });
    expect(stop.order.status).toBe('NEW');
    expect(stop.order.isWorking).toBe(false);
    limit('bob', 'BUY', '58950', '2'); // a bid for the stop to hit once triggered
    limit('carol', 'SELL', '58950', '0.1'); // prints 58950 ≤ 59000: triggers
    expect(stop.order.isWorking).toBe(true);
    expect(stop.order.status).toBe('FILLED');
  });

  it('refuses a stop that would trigger at once', () => {
    const { order } = setup();
    const sellStopAboveLast = () =>
      order('alice', { side: 'SELL', type: 'STOP_LOSS', stopPrice: dec('61000'), quantity: dec(1) });
    expect(rejectionOf(sellStopAboveLast)).toBe('STOP_WOULD_TRIGGER');
  });
});

describe('order state machine', () => {
  it('moves every order through the domain statuses, starting at SUBMITTED', () => {
    const { exchange, limit } = setup();
    const seen: string[] = [];
    exchange.on('order', (event: OrderEvent) => {
      if (event.order.accountId === 'alice') seen.push(`${event.execution}:${event.order.domainStatus}`);
    });
    limit('alice', 'BUY', '60000', '1');
    limit('bob', 'SELL', '60000', '0.4');
    limit('bob', 'SELL', '60000', '0.6');
    expect(seen).toEqual(['NEW:ACCEPTED', 'TRADE:PARTIALLY_FILLED', 'TRADE:FILLED']);
  });

  it('throws on a move the state machine forbids', () => {
    const { limit } = setup();
    const { order } = limit('alice', 'BUY', '50000', '1');
    limit('bob', 'SELL', '50000', '1');
    expect(order.domainStatus).toBe('FILLED');
    expect(() => moveOrderStatus(order, 'CANCELED', 0)).toThrow(InvalidTransitionError);
  });

  it('answers UNKNOWN_ORDER when cancelling a filled order', () => {
    const { exchange, limit } = setup();
    const { order } = limit('alice', 'BUY', '50000', '1');
    limit('bob', 'SELL', '50000', '1');
    expect(rejectionOf(() => exchange.cancelOrder('alice', 'BTCUSDT', { orderId: order.orderId }))).toBe(
      'UNKNOWN_ORDER',
    );
  });

  it('refuses a client order id already used by an open order of the account', () => {
    const { order } = setup();
    const request = {
      side: 'BUY' as const,
      type: 'LIMIT' as const,
      timeInForce: 'GTC' as const,
      price: dec(50000),
      quantity: dec(1),
    };
    order('alice', { ...request, clientOrderId: 'same' });
    expect(rejectionOf(() => order('alice', { ...request, clientOrderId: 'same' }))).toBe(
      'DUPLICATE_CLIENT_ORDER_ID',
    );
    // Another account may use it.
    expect(order('bob', { ...request, clientOrderId: 'same' }).order.status).toBe('NEW');
  });
});

describe('internal accounts', () => {
  it('are not limited by balances', () => {
    const { exchange } = setup();
    const { order } = exchange.placeOrder({
      accountId: MARKET_MAKER_ACCOUNT_ID,
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: dec(60000),
      quantity: dec(1000),
      clientOrderId: 'mm',
    });
    expect(order.status).toBe('NEW');
  });
});
