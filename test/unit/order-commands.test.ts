import type { OrderRequest } from '../../src/domain/order-request';
import { newOrderState, withFills, type OrderState } from '../../src/domain/order-state';
import { ORDER_STATUSES, type OrderStatus } from '../../src/domain/status';
import type { AmendRequest } from '../../src/workflows/messages';
import { CommandRejected, validateAmend, validateCancel } from '../../src/workflows/order-commands';

const LIMIT: OrderRequest = {
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  quantity: '1',
  limitPrice: '60000',
  timeInForce: 'GTC',
  venue: 'paper',
};

const T0 = '2030-01-01T00:00:00.000Z';
const TERMINAL: OrderStatus[] = ['DENIED', 'FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED'];

/** A state in any status (set directly: these validators only read it). */
function state(status: OrderStatus, request: Partial<OrderRequest> = {}, filled?: string): OrderState {
  let s: OrderState = { ...newOrderState('ord-1', { ...LIMIT, ...request }, 'ord-1', T0), status };
  if (filled !== undefined) {
    s = withFills(s, [
      { tradeId: 't1', quantity: filled, price: '60000', fee: '0', feeCurrency: 'USDT', timestamp: T0 },
    ]);
  }
  return s;
}

function rejection(fn: () => unknown): CommandRejected {
  try {
    fn();
  } catch (err) {
    if (err instanceof CommandRejected) return err;
    throw new Error(`expected CommandRejected, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected CommandRejected, nothing was thrown');
}

describe('validateCancel', () => {
  it.each(TERMINAL)('refuses a %s order with ORDER_ENDED', (status) => {
    const err = rejection(() => validateCancel(state(status)));
    expect(err.code).toBe('ORDER_ENDED');
    expect(err.message).toContain(status);
    expect(err.name).toBe('CommandRejected');
  });

  it('refuses a cancel of a parked (DEAD_LETTER) order with ORDER_PARKED: retry or abandon it instead', () => {
    expect(rejection(() => validateCancel(state('DEAD_LETTER'))).code).toBe('ORDER_PARKED');
  });

  it.each(ORDER_STATUSES.filter((s) => !TERMINAL.includes(s) && s !== 'DEAD_LETTER'))(
    'accepts a cancel of a %s order',
    (status) => {
      expect(() => validateCancel(state(status))).not.toThrow();
    },
  );
});

describe('validateAmend', () => {
  it('normalises the decimals it returns and omits what was not given', () => {
    expect(validateAmend(state('ACCEPTED'), { quantity: '2.50' })).toEqual({ quantity: '2.5' });
    expect(validateAmend(state('ACCEPTED'), { limitPrice: 60001.5 })).toEqual({ limitPrice: '60001.5' });
    expect(
      validateAmend(state('PARTIALLY_FILLED', {}, '0.4'), { quantity: '1e0', limitPrice: '59999.10' }),
    ).toEqual({
      quantity: '1',
      limitPrice: '59999.1',
    });
    expect(
      validateAmend(state('ACCEPTED', { type: 'stop_limit', stopPrice: '59000' }), {
        stopPrice: '58000.0',
        limitPrice: '1',
      }),
    ).toEqual({ stopPrice: '58000', limitPrice: '1' });
    expect(
      validateAmend(state('ACCEPTED', { type: 'stop', limitPrice: undefined, stopPrice: '1' }), {
        stopPrice: 2,
      }),
    ).toEqual({ stopPrice: '2' });
  });

  it('a quantity just above the filled quantity is fine', () => {
    expect(validateAmend(state('PARTIALLY_FILLED', {}, '0.4'), { quantity: '0.40000001' })).toEqual({
      quantity: '0.40000001',
    });
  });

  const cases: Array<[string, OrderState, unknown, string]> = [
    ...TERMINAL.map((s): [string, OrderState, unknown, string] => [
      `${s} order`,
      state(s),
      { quantity: '2' },
      'ORDER_ENDED',
    ]),
    ['order in dead letter', state('DEAD_LETTER'), { quantity: '2' }, 'ORDER_PARKED'],
    ['null request', state('ACCEPTED'), null, 'INVALID_REQUEST'],
    ['string request', state('ACCEPTED'), 'quantity=2', 'INVALID_REQUEST'],
    ['unknown field', state('ACCEPTED'), { quantity: '2', price: '1' }, 'UNKNOWN_FIELD'],
    ['empty request', state('ACCEPTED'), {}, 'NOTHING_TO_AMEND'],
    ['only undefined fields', state('ACCEPTED'), { quantity: undefined }, 'NOTHING_TO_AMEND'],
    ['zero quantity', state('ACCEPTED'), { quantity: '0' }, 'INVALID_QUANTITY'],
    ['negative quantity', state('ACCEPTED'), { quantity: -1 }, 'INVALID_QUANTITY'],
    ['non-decimal quantity', state('ACCEPTED'), { quantity: '1,5' }, 'INVALID_QUANTITY'],
    ['NaN quantity', state('ACCEPTED'), { quantity: NaN }, 'INVALID_QUANTITY'],
    ['Infinity quantity', state('ACCEPTED'), { quantity: Infinity }, 'INVALID_QUANTITY'],
    ['quantity with spaces', state('ACCEPTED'), { quantity: ' 2' }, 'INVALID_QUANTITY'],
    ['zero limit price', state('ACCEPTED'), { limitPrice: '0' }, 'INVALID_PRICE'],
    ['bad limit price', state('ACCEPTED'), { limitPrice: 'abc' }, 'INVALID_PRICE'],
    // The same code as validateOrderRequest gives a bad stopPrice.
    [
      'bad stop price',
      state('ACCEPTED', { type: 'stop_limit', stopPrice: '1' }),
      { stopPrice: '-2' },
      'INVALID_STOP_PRICE',
    ],
    ['amend while a cancel is pending', state('PENDING_CANCEL'), { quantity: '2' }, 'CANCEL_PENDING'],
    [
      'market order',
      state('ACCEPTED', { type: 'market', limitPrice: undefined }),
      { quantity: '2' },
      'NOT_AMENDABLE',
    ],
    [
      'limit price on a stop order',
      state('ACCEPTED', { type: 'stop', stopPrice: '1' }),
      { limitPrice: '2' },
      'UNEXPECTED_PRICE',
    ],
    ['stop price on a limit order', state('ACCEPTED'), { stopPrice: '2' }, 'UNEXPECTED_STOP_PRICE'],
    [
      'quantity equal to the filled',
      state('PARTIALLY_FILLED', {}, '0.4'),
      { quantity: '0.4' },
      'AMEND_BELOW_FILLED',
    ],
    [
      'quantity below the filled',
      state('PARTIALLY_FILLED', {}, '0.4'),
      { quantity: '0.3' },
      'AMEND_BELOW_FILLED',
    ],
  ];

  it.each(cases.map(([name, s, request, code]) => [name, code, s, request] as const))(
    '%s → %s',
    (_name, code, s, request) => {
      const err = rejection(() => validateAmend(s, request as AmendRequest));
      expect(err.code).toBe(code);
      expect(err.message.startsWith(`${code}: `)).toBe(true);
    },
  );

  it('checks the status before the request (an ended order refuses even a bad request)', () => {
    expect(rejection(() => validateAmend(state('FILLED'), null as unknown as AmendRequest)).code).toBe(
      'ORDER_ENDED',
    );
  });

  it('AMEND_BELOW_FILLED names the filled quantity', () => {
    expect(
      rejection(() => validateAmend(state('PARTIALLY_FILLED', {}, '0.4'), { quantity: '0.3' })).message,
    ).toContain('0.4');
  });
});
