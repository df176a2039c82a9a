import {
  OrderRequestError,
  parseOrderRequest,
  validateOrderRequest,
  type OrderRequest,
  type RequestIssue,
  type ValidationContext,
} from '../../src/domain/order-request';

const NOW = new Date('2030-01-01T00:00:00.000Z');

const LIMIT = {
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  quantity: '0.5',
  limitPrice: '60000.5',
  venue: 'sim',
};
const MARKET = { symbol: 'ETH/USDT', side: 'sell', type: 'market', quantity: 2, venue: 'paper' };

function issuesOf(input: unknown, context: ValidationContext = {}): RequestIssue[] {
  const result = validateOrderRequest(input, context);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.request)}`);
  return result.issues;
}

function codesOf(input: unknown, context: ValidationContext = {}): string[] {
  return issuesOf(input, context).map((i) => i.code);
}

function accepted(input: unknown, context: ValidationContext = {}): OrderRequest {
  const result = validateOrderRequest(input, context);
  if (!result.ok) throw new Error(`expected acceptance, got ${JSON.stringify(result.issues)}`);
  return result.request;
}

describe('validateOrderRequest: valid requests normalise', () => {
  it('a limit order keeps its fields, defaults timeInForce to GTC and adds nothing else', () => {
    expect(accepted(LIMIT)).toEqual({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      quantity: '0.5',
      limitPrice: '60000.5',
      timeInForce: 'GTC',
      venue: 'sim',
    });
  });

  it('a market order given numbers gets decimal strings', () => {
    const r = accepted(MARKET);
    expect(r).toEqual({
      symbol: 'ETH/USDT',
      side: 'sell',
      type: 'market',
      quantity: '2',
      timeInForce: 'GTC',
      venue: 'paper',
    });
    expect(Object.keys(r)).not.toContain('limitPrice');
  });

  it.each([
    ['1.50', '1.5'],
    ['1e-3', '0.001'],
    ['1E-3', '0.001'],
    ['0.000', undefined],
    ['100', '100'],
    ['100.000', '100'],
    ['.5', '0.5'],
    ['1.', '1'],
    ['2.5e3', '2500'],
    ['0.1', '0.1'],
    ['00012.3400', '12.34'],
    [0.001, '0.001'],
    [1e-7, '0.0000001'],
    [1e21, '1000000000000000000000'],
    [60000.5, '60000.5'],
  ])('quantity %p → %p', (input, expected) => {
    const result = validateOrderRequest({ ...MARKET, quantity: input });
    if (expected === undefined) {
      expect(result.ok).toBe(false);
    } else {
      expect(result).toEqual({ ok: true, request: expect.objectContaining({ quantity: expected }) });
    }
  });

  it('normalises limit and stop prices of a stop_limit order', () => {
    const r = accepted({
      ...LIMIT,
      type: 'stop_limit',
      limitPrice: '59000.10',
      stopPrice: 5.9e4,
      timeInForce: 'IOC',
    });
    expect(r).toMatchObject({
      type: 'stop_limit',
      limitPrice: '59000.1',
      stopPrice: '59000',
      timeInForce: 'IOC',
    });
  });

  it('a stop order takes a stop price and no limit price', () => {
    expect(accepted({ ...MARKET, type: 'stop', stopPrice: '2900.00' })).toMatchObject({
      type: 'stop',
      stopPrice: '2900',
    });
  });

  it('a GTD order gets expireAt in ISO UTC', () => {
    const r = accepted(
      { ...LIMIT, timeInForce: 'GTD', expireAt: '2030-01-02T01:30:00+01:00' },
      { now: NOW, venues: ['sim'] },
    );
    expect(r.timeInForce).toBe('GTD');
    expect(r.expireAt).toBe('2030-01-02T00:30:00.000Z');
  });

  it('keeps every optional field that was given', () => {
    const r = accepted({
      ...LIMIT,
      orderId: 'ord-1',
      postOnly: true,
      reduceOnly: false,
      strategyId: 'strat:a/1',
      decisionId: 'd@1',
      parentId: 'twap-7',
      timeInForce: 'DAY',
    });
    expect(r).toEqual({
      ...LIMIT,
      orderId: 'ord-1',
      postOnly: true,
      reduceOnly: false,
      strategyId: 'strat:a/1',
      decisionId: 'd@1',
      parentId: 'twap-7',
      timeInForce: 'DAY',
    });
  });

  it('accepts a known venue and a future expiry when the context is given', () => {
    expect(() =>
      parseOrderRequest(
        { ...LIMIT, timeInForce: 'GTD', expireAt: '2030-01-01T00:00:01Z' },
        { venues: ['paper', 'sim'], now: NOW },
      ),
    ).not.toThrow();
  });

  it('does not mutate its input', () => {
    const input = { ...MARKET };
    const copy = JSON.parse(JSON.stringify(input));
    accepted(input);
    expect(input).toEqual(copy);
  });

  it('parseOrderRequest returns the same normalised request', () => {
    expect(parseOrderRequest(LIMIT)).toEqual(accepted(LIMIT));
  });
});

describe('validateOrderRequest: each refusal has its reason code', () => {
  const cases: Array<[string, Record<string, unknown>, string, string, ValidationContext?]> = [
    ['zero quantity', { ...MARKET, quantity: '0' }, 'INVALID_QUANTITY', 'quantity'],
    ['zero quantity (number)', { ...MARKET, quantity: 0 }, 'INVALID_QUANTITY', 'quantity'],
    ['negative quantity', { ...MARKET, quantity: '-1' }, 'INVALID_QUANTITY', 'quantity'],
    ['negative quantity (number)', { ...MARKET, quantity: -0.5 }, 'INVALID_QUANTITY', 'quantity'],
    ['"abc" quantity', { ...MARKET, quantity: 'abc' }, 'INVALID_QUANTITY', 'quantity'],
    ['"1,5" quantity', { ...MARKET, quantity: '1,5' }, 'INVALID_QUANTITY', 'quantity'],
    ['empty quantity', { ...MARKET, quantity: '' }, 'INVALID_QUANTITY', 'quantity'],
    ['"0x10" quantity', { ...MARKET, quantity: '0x10' }, 'INVALID_QUANTITY', 'quantity'],
    ['"NaN" quantity', { ...MARKET, quantity: 'NaN' }, 'INVALID_QUANTITY', 'quantity'],
    ['"Infinity" quantity', { ...MARKET, quantity: 'Infinity' }, 'INVALID_QUANTITY', 'quantity'],
    ['NaN quantity', { ...MARKET, quantity: NaN }, 'INVALID_QUANTITY', 'quantity'],
    ['Infinity quantity', { ...MARKET, quantity: Infinity }, 'INVALID_QUANTITY', 'quantity'],
    ['-Infinity quantity', { ...MARKET, quantity: -Infinity }, 'INVALID_QUANTITY', 'quantity'],
    ['boolean quantity', { ...MARKET, quantity: true }, 'INVALID_QUANTITY', 'quantity'],
    ['null quantity', { ...MARKET, quantity: null }, 'INVALID_QUANTITY', 'quantity'],
    ['quantity with spaces', { ...MARKET, quantity: ' 1' }, 'INVALID_QUANTITY', 'quantity'],
    ['missing symbol', { ...MARKET, symbol: undefined }, 'MISSING_SYMBOL', 'symbol'],
    ['missing venue', { ...MARKET, venue: undefined }, 'MISSING_VENUE', 'venue'],
    ['empty venue', { ...MARKET, venue: '' }, 'INVALID_VENUE', 'venue'],
    ['zero limit price', { ...LIMIT, limitPrice: '0' }, 'INVALID_PRICE', 'limitPrice'],
    ['bad limit price', { ...LIMIT, limitPrice: '6o000' }, 'INVALID_PRICE', 'limitPrice'],
    [
      'negative stop price',
      { ...LIMIT, type: 'stop_limit', stopPrice: '-1' },
      'INVALID_STOP_PRICE',
      'stopPrice',
    ],
    ['limit without limit price', { ...LIMIT, limitPrice: undefined }, 'MISSING_LIMIT_PRICE', 'limitPrice'],
    [
      'stop_limit without limit price',
      { ...LIMIT, type: 'stop_limit', limitPrice: undefined, stopPrice: '1' },
      'MISSING_LIMIT_PRICE',
      'limitPrice',
    ],
    ['market with a limit price', { ...MARKET, limitPrice: '3000' }, 'UNEXPECTED_PRICE', 'limitPrice'],
    [
      'stop with a limit price',
      { ...MARKET, type: 'stop', stopPrice: '1', limitPrice: '1' },
      'UNEXPECTED_PRICE',
      'limitPrice',
    ],
    ['stop_limit without stop price', { ...LIMIT, type: 'stop_limit' }, 'MISSING_STOP_PRICE', 'stopPrice'],
    ['stop without stop price', { ...MARKET, type: 'stop' }, 'MISSING_STOP_PRICE', 'stopPrice'],
    ['limit with a stop price', { ...LIMIT, stopPrice: '59000' }, 'UNEXPECTED_STOP_PRICE', 'stopPrice'],
    ['market with a stop price', { ...MARKET, stopPrice: '59000' }, 'UNEXPECTED_STOP_PRICE', 'stopPrice'],
    ['GTD without expiry', { ...LIMIT, timeInForce: 'GTD' }, 'MISSING_EXPIRY', 'expireAt'],
    ['expiry without GTD', { ...LIMIT, expireAt: '2030-06-01T00:00:00Z' }, 'UNEXPECTED_EXPIRY', 'expireAt'],
    [
      'expiry with IOC',
      { ...LIMIT, timeInForce: 'IOC', expireAt: '2030-06-01T00:00:00Z' },
      'UNEXPECTED_EXPIRY',
      'expireAt',
    ],
    [
      'expiry in the past',
      { ...LIMIT, timeInForce: 'GTD', expireAt: '2029-12-31T23:59:59Z' },
      'EXPIRY_IN_PAST',
      'expireAt',
      { now: NOW },
    ],
    [
      'expiry exactly now',
      { ...LIMIT, timeInForce: 'GTD', expireAt: '2030-01-01T00:00:00Z' },
      'EXPIRY_IN_PAST',
      'expireAt',
      { now: NOW },
    ],
    [
      'expiry without a time zone',
      { ...LIMIT, timeInForce: 'GTD', expireAt: '2030-06-01T00:00:00' },
      'INVALID_EXPIRY',
      'expireAt',
    ],
    [
      'expiry as a date only',
      { ...LIMIT, timeInForce: 'GTD', expireAt: '2030-06-01' },
      'INVALID_EXPIRY',
      'expireAt',
    ],
    ['unknown venue', { ...MARKET, venue: 'kraken' }, 'UNKNOWN_VENUE', 'venue', { venues: ['sim', 'paper'] }],
    ['unknown order type', { ...MARKET, type: 'trailing_stop' }, 'UNKNOWN_ORDER_TYPE', 'type'],
    ['upper-case order type', { ...MARKET, type: 'LIMIT' }, 'UNKNOWN_ORDER_TYPE', 'type'],
    ['bad side', { ...MARKET, side: 'hold' }, 'INVALID_SIDE', 'side'],
    ['upper-case side', { ...MARKET, side: 'BUY' }, 'INVALID_SIDE', 'side'],
    ['symbol without a slash', { ...MARKET, symbol: 'BTCUSDT' }, 'INVALID_SYMBOL', 'symbol'],
    ['lower-case symbol', { ...MARKET, symbol: 'btc/usdt' }, 'INVALID_SYMBOL', 'symbol'],
    ['symbol with a dash', { ...MARKET, symbol: 'BTC-USDT' }, 'INVALID_SYMBOL', 'symbol'],
    ['bad time in force', { ...LIMIT, timeInForce: 'GTX' }, 'INVALID_TIME_IN_FORCE', 'timeInForce'],
    ['FOK on a market order', { ...MARKET, timeInForce: 'FOK' }, 'INVALID_TIME_IN_FORCE', 'timeInForce'],
    ['DAY on a market order', { ...MARKET, timeInForce: 'DAY' }, 'INVALID_TIME_IN_FORCE', 'timeInForce'],
    ['postOnly on a market order', { ...MARKET, postOnly: true }, 'POST_ONLY_NOT_LIMIT', 'postOnly'],
    [
      'postOnly on a stop_limit order',
      { ...LIMIT, type: 'stop_limit', stopPrice: '1', postOnly: true },
      'POST_ONLY_NOT_LIMIT',
      'postOnly',
    ],
    ['postOnly with IOC', { ...LIMIT, postOnly: true, timeInForce: 'IOC' }, 'POST_ONLY_CONFLICT', 'postOnly'],
    ['postOnly with FOK', { ...LIMIT, postOnly: true, timeInForce: 'FOK' }, 'POST_ONLY_CONFLICT', 'postOnly'],
    ['unknown field', { ...LIMIT, price: '1' }, 'UNKNOWN_FIELD', 'price'],
    ['orderId with a space', { ...LIMIT, orderId: 'my order' }, 'INVALID_ORDER_ID', 'orderId'],
    ['empty orderId', { ...LIMIT, orderId: '' }, 'INVALID_ORDER_ID', 'orderId'],
    ['orderId too long', { ...LIMIT, orderId: 'x'.repeat(201) }, 'INVALID_ORDER_ID', 'orderId'],
    ['bad strategyId', { ...LIMIT, strategyId: 'a b' }, 'INVALID_STRATEGY_ID', 'strategyId'],
    ['bad decisionId', { ...LIMIT, decisionId: 'é' }, 'INVALID_DECISION_ID', 'decisionId'],
  ];

  // Every row gets all five columns (jest would take a missing last argument for `done`).
  const rows = cases.map(
    ([name, input, code, field, context]) => [name, code, input, field, context ?? {}] as const,
  );

  it.each(rows)('%s → %s', (_name, code, input, field, context) => {
    const issues = issuesOf(input, context);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code, field });
    expect(issues[0]?.message).toMatch(/\S/);
  });

  /*
   * Absent fields get MISSING_*, present fields of the wrong type get their INVALID_* code
   * (zod 4 reports a missing enum/union field as invalid_value/invalid_union, so "missing" is
   * decided from the input, parsed with reportInput).
   */
  const missingOrWrongTypeRows = [
    ['missing quantity', { ...MARKET, quantity: undefined }, 'MISSING_QUANTITY', 'quantity'],
    ['missing side', { ...MARKET, side: undefined }, 'MISSING_SIDE', 'side'],
    ['missing type', { ...MARKET, type: undefined }, 'MISSING_TYPE', 'type'],
    [
      'expiry as a number',
      { ...LIMIT, timeInForce: 'GTD', expireAt: 1893456000000 },
      'INVALID_EXPIRY',
      'expireAt',
    ],
    ['numeric symbol', { ...MARKET, symbol: 42 }, 'INVALID_SYMBOL', 'symbol'],
    ['postOnly as a string', { ...LIMIT, postOnly: 'yes' }, 'INVALID_FLAG', 'postOnly'],
    ['reduceOnly as a number', { ...LIMIT, reduceOnly: 1 }, 'INVALID_FLAG', 'reduceOnly'],
    ['bad parentId', { ...LIMIT, parentId: 7 }, 'INVALID_PARENT_ID', 'parentId'],
  ].map(([name, input, code, field]) => [name, code, input, field] as const);

  it.each(missingOrWrongTypeRows)('%s → %s', (_name, code, input, field) => {
    const issues = issuesOf(input);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code, field });
  });

  it('a field that is absent altogether (not undefined) is reported as missing', () => {
    const { symbol: _symbol, ...noSymbol } = MARKET;
    expect(codesOf(noSymbol)).toEqual(['MISSING_SYMBOL']);
    const { venue: _venue, ...noVenue } = MARKET;
    expect(codesOf(noVenue)).toEqual(['MISSING_VENUE']);
  });

  it('the unknown-venue message lists the configured venues', () => {
    const [issue] = issuesOf({ ...MARKET, venue: 'kraken' }, { venues: ['sim', 'paper'] });
    expect(issue?.message).toContain('kraken');
    expect(issue?.message).toContain('sim, paper');
  });

  it('without context, venue and expiry are not checked', () => {
    expect(
      accepted({ ...LIMIT, venue: 'anything', timeInForce: 'GTD', expireAt: '2000-01-01T00:00:00Z' }),
    ).toMatchObject({ venue: 'anything', expireAt: '2000-01-01T00:00:00.000Z' });
  });

  it('each unknown field is reported by name', () => {
    const issues = issuesOf({ ...LIMIT, price: '1', qty: 2 });
    expect(issues.map((i) => [i.code, i.field]).sort()).toEqual([
      ['UNKNOWN_FIELD', 'price'],
      ['UNKNOWN_FIELD', 'qty'],
    ]);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', '{"symbol":"BTC/USDT"}'],
    ['a number', 42],
    ['an array', [LIMIT]],
  ])('%s is not an order request → INVALID_REQUEST', (_name, input) => {
    expect(issuesOf(input)).toEqual([
      { code: 'INVALID_REQUEST', message: expect.stringContaining('JSON object') },
    ]);
  });
});

describe('validateOrderRequest: several problems are all reported', () => {
  it('every structural problem at once', () => {
    const codes = codesOf({
      symbol: 'btc',
      side: 'hold',
      type: 'limit',
      quantity: '-1',
      venue: 'sim',
      timeInForce: 'X',
    });
    expect(codes.sort()).toEqual([
      'INVALID_QUANTITY',
      'INVALID_SIDE',
      'INVALID_SYMBOL',
      'INVALID_TIME_IN_FORCE',
    ]);
  });

  // KNOWN BUG (see buggyRows above): today quantity/side/type come out as INVALID_*.
  it('every missing field at once', () => {
    expect(codesOf({}).sort()).toEqual([
      'MISSING_QUANTITY',
      'MISSING_SIDE',
      'MISSING_SYMBOL',
      'MISSING_TYPE',
      'MISSING_VENUE',
    ]);
  });

  it('every cross-field problem at once', () => {
    const codes = codesOf(
      {
        ...MARKET,
        limitPrice: '1',
        stopPrice: '1',
        timeInForce: 'FOK',
        expireAt: '2020-01-01T00:00:00Z',
        postOnly: true,
        venue: 'nowhere',
      },
      { venues: ['sim'], now: NOW },
    );
    expect(codes.sort()).toEqual([
      'EXPIRY_IN_PAST',
      'INVALID_TIME_IN_FORCE',
      'POST_ONLY_CONFLICT',
      'POST_ONLY_NOT_LIMIT',
      'UNEXPECTED_EXPIRY',
      'UNEXPECTED_PRICE',
      'UNEXPECTED_STOP_PRICE',
      'UNKNOWN_VENUE',
    ]);
  });

  it('a stop_limit GTD order missing both prices and the expiry reports all three', () => {
    expect(codesOf({ ...MARKET, type: 'stop_limit', timeInForce: 'GTD' }).sort()).toEqual([
      'MISSING_EXPIRY',
      'MISSING_LIMIT_PRICE',
      'MISSING_STOP_PRICE',
    ]);
  });
});

describe('refusals that used to hide or crash', () => {
  /* Unknown fields are reported together with the cross-field rules, not instead of them. */
  it('an unknown field does not hide a missing limit price', () => {
    expect(codesOf({ ...LIMIT, limitPrice: undefined, extra: 1 }).sort()).toEqual([
      'MISSING_LIMIT_PRICE',
      'UNKNOWN_FIELD',
    ]);
  });

  /* An unbounded exponent would expand to a string that exhausts memory (and kill a worker). */
  it('refuses a quantity with an absurd exponent instead of expanding it', () => {
    expect(codesOf({ ...MARKET, quantity: '1e100000' })).toEqual(['INVALID_QUANTITY']);
    expect(codesOf({ ...MARKET, quantity: '1e9000000000000000' })).toEqual(['INVALID_QUANTITY']);
    expect(codesOf({ ...MARKET, quantity: '1e-41' })).toEqual(['INVALID_QUANTITY']);
  });
});

describe('parseOrderRequest / OrderRequestError', () => {
  it('throws an OrderRequestError carrying every issue; its code is the first', () => {
    const input = { symbol: 'btc', side: 'hold', type: 'market', quantity: 'abc', venue: 'sim' };
    const expected = issuesOf(input);
    expect(expected.length).toBe(3);
    let thrown: unknown;
    try {
      parseOrderRequest(input);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(OrderRequestError);
    const err = thrown as OrderRequestError;
    expect(err.issues).toEqual(expected);
    expect(err.code).toBe(expected[0]?.code);
    expect(err.name).toBe('OrderRequestError');
    for (const issue of expected) expect(err.message).toContain(`${issue.code}: ${issue.message}`);
  });

  it('passes the context through', () => {
    expect(() => parseOrderRequest({ ...MARKET, venue: 'x' }, { venues: ['sim'] })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_VENUE' }),
    );
  });

  it('an error without issues has the code INVALID_REQUEST', () => {
    expect(new OrderRequestError([]).code).toBe('INVALID_REQUEST');
  });
});
