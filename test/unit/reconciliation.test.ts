import {
  type BalanceCheckpoint,
  type Finding,
  type FlowTrade,
  type OrdoWorkingOrder,
  type ReconciliationSettings,
  type VenueAccountTrade,
  type VenueOpenOrder,
  type VenueViews,
  actionFor,
  adoptedOrderId,
  assetFlows,
  compareViews,
  confirmed,
  marketAssets,
  needsSecondLook,
} from '../../src/domain/reconciliation';

const OBSERVED_AT = '2024-05-01T12:00:00.000Z';
/** `ms` before OBSERVED_AT, as ISO-8601. */
const before = (ms: number) => new Date(Date.parse(OBSERVED_AT) - ms).toISOString();

const SETTINGS: ReconciliationSettings = {
  graceMs: 10_000,
  balanceTolerance: {},
  defaultBalanceTolerance: '0',
};

function views(parts: Partial<VenueViews> = {}): VenueViews {
  return { venue: 'sim', observedAt: OBSERVED_AT, ordo: [], openOrders: [], trades: [], ...parts };
}

function working(overrides: Partial<OrdoWorkingOrder> = {}): OrdoWorkingOrder {
  return {
    orderId: 'ord-1',
    clientOrderId: 'cid-1',
    symbol: 'BTC/USDT',
    side: 'buy',
    venue: 'sim',
    status: 'ACCEPTED',
    venueOrderId: 'v-1',
    ...overrides,
  };
}

function openOrder(overrides: Partial<VenueOpenOrder> = {}): VenueOpenOrder {
  return {
    venueOrderId: 'v-1',
    clientOrderId: 'cid-1',
    symbol: 'BTC/USDT',
    side: 'buy',
    quantity: '0.5',
    filledQuantity: '0',
    limitPrice: '50000',
    createdAt: before(60_000),
    ...overrides,
  };
}

function trade(overrides: Partial<VenueAccountTrade> = {}): VenueAccountTrade {
  return {
    symbol: 'BTC/USDT',
    fill: {
      tradeId: 't-1',
      quantity: '0.1',
      price: '50000',
      fee: '0.0001',
      feeCurrency: 'BTC',
      timestamp: before(5_000),
      venueOrderId: 'v-1',
    },
    tradeId: 'sim:BTC/USDT:t-1',
    inLedger: false,
    ...overrides,
  };
}

/** Findings of one kind, so a test of one rule is not disturbed by another. */
function ofKind<K extends Finding['kind']>(findings: Finding[], kind: K): Extract<Finding, { kind: K }>[] {
  return findings.filter((f): f is Extract<Finding, { kind: K }> => f.kind === kind);
}

describe('compareViews: trades', () => {
  it('reports a trade the ledger lacks of a working order as MISSED_FILL, owned by that order', () => {
    const order = working({ strategyId: 'mm', decisionId: 'd-7', parentId: 'algo-1' });
    const t = trade();
    // The venue order is open too, so the only finding is the trade.
    const findings = compareViews(views({ ordo: [order], openOrders: [openOrder()], trades: [t] }), SETTINGS);
    expect(findings).toEqual([
      {
        kind: 'MISSED_FILL',
        key: 'MISSED_FILL:sim:BTC/USDT:t-1',
        venue: 'sim',
        symbol: 'BTC/USDT',
        orderId: 'ord-1',
        working: true,
        owner: {
          orderId: 'ord-1',
          clientOrderId: 'cid-1',
          symbol: 'BTC/USDT',
          side: 'buy',
          venue: 'sim',
          strategyId: 'mm',
          decisionId: 'd-7',
          parentId: 'algo-1',
        },
        fill: t.fill,
      },
    ]);
  });

  it('takes the owner from the working order (no status, no venueOrderId), not the ledger', () => {
    const ledgerOwner = {
      orderId: 'stale',
      clientOrderId: 'stale-cid',
      symbol: 'BTC/USDT',
      side: 'buy' as const,
      venue: 'sim',
    };
    const findings = compareViews(
      views({ ordo: [working()], openOrders: [openOrder()], trades: [trade({ ledgerOwner })] }),
      SETTINGS,
    );
    const [missed] = ofKind(findings, 'MISSED_FILL');
    expect(missed?.orderId).toBe('ord-1');
    expect(missed?.working).toBe(true);
    expect(missed?.owner).toEqual({
      orderId: 'ord-1',
      clientOrderId: 'cid-1',
      symbol: 'BTC/USDT',
      side: 'buy',
      venue: 'sim',
    });
  });

  it('reports a trade of an order only the ledger knows as MISSED_FILL, not working, with the ledger owner', () => {
    const ledgerOwner = {
      orderId: 'ord-done',
      clientOrderId: 'cid-done',
      symbol: 'BTC/USDT',
      side: 'sell' as const,
      venue: 'sim',
      strategyId: 'arb',
    };
    const t = trade({ ledgerOwner, fill: { ...trade().fill, venueOrderId: 'v-done' } });
    const findings = compareViews(views({ trades: [t] }), SETTINGS);
    expect(findings).toEqual([
      {
        kind: 'MISSED_FILL',
        key: 'MISSED_FILL:sim:BTC/USDT:t-1',
        venue: 'sim',
        symbol: 'BTC/USDT',
        orderId: 'ord-done',
        working: false,
        owner: ledgerOwner,
        fill: t.fill,
      },
    ]);
  });

  it('reports a trade of an order nobody knows as UNKNOWN_TRADE', () => {
    const t = trade({ fill: { ...trade().fill, venueOrderId: 'v-stranger' } });
    // A working order of another venue order does not claim it.
    const findings = compareViews(
      views({ ordo: [working()], openOrders: [openOrder()], trades: [t] }),
      SETTINGS,
    );
    expect(findings).toEqual([
      {
        kind: 'UNKNOWN_TRADE',
        key: 'UNKNOWN_TRADE:sim:BTC/USDT:t-1',
        venue: 'sim',
        symbol: 'BTC/USDT',
        fill: t.fill,
      },
    ]);
  });

  it('finds nothing for a trade the ledger has, known owner or not', () => {
    const stranger = trade({ inLedger: true, fill: { ...trade().fill, venueOrderId: 'v-stranger' } });
    const findings = compareViews(
      views({ ordo: [working()], openOrders: [openOrder()], trades: [trade({ inLedger: true }), stranger] }),
      SETTINGS,
    );
    expect(findings).toEqual([]);
  });
});

describe('compareViews: open venue orders', () => {
  it('finds nothing for an open order matched by venueOrderId', () => {
    const findings = compareViews(
      views({ ordo: [working({ clientOrderId: 'other' })], openOrders: [openOrder()] }),
      SETTINGS,
    );
    expect(findings).toEqual([]);
  });

  it('finds nothing for an open order matched by clientOrderId (workflow without venueOrderId yet)', () => {
    const order = working({ status: 'SUBMITTED' });
    delete order.venueOrderId;
    const findings = compareViews(views({ ordo: [order], openOrders: [openOrder()] }), SETTINGS);
    expect(findings).toEqual([]);
  });

  it('reports an unmatched open order older than the grace period as UNKNOWN_ORDER', () => {
    const order = openOrder({ venueOrderId: 'v-9', clientOrderId: 'manual', createdAt: before(10_001) });
    const findings = compareViews(views({ openOrders: [order] }), SETTINGS);
    expect(findings).toEqual([
      { kind: 'UNKNOWN_ORDER', key: 'UNKNOWN_ORDER:sim:v-9', venue: 'sim', symbol: 'BTC/USDT', order },
    ]);
  });

  it('reports an unmatched open order exactly as old as the grace period', () => {
    const order = openOrder({ clientOrderId: 'manual', createdAt: before(10_000) });
    expect(ofKind(compareViews(views({ openOrders: [order] }), SETTINGS), 'UNKNOWN_ORDER')).toHaveLength(1);
  });

  it('leaves an unmatched open order younger than the grace period alone', () => {
    const order = openOrder({ clientOrderId: 'manual', createdAt: before(9_999) });
    expect(compareViews(views({ openOrders: [order] }), SETTINGS)).toEqual([]);
  });

  it('reports an unmatched open order without createdAt (its age is unknown)', () => {
    const order = openOrder({ clientOrderId: 'manual' });
    delete order.createdAt;
    expect(compareViews(views({ openOrders: [order] }), SETTINGS)).toEqual([
      { kind: 'UNKNOWN_ORDER', key: 'UNKNOWN_ORDER:sim:v-1', venue: 'sim', symbol: 'BTC/USDT', order },
    ]);
  });

  it('reports an unmatched open order without clientOrderId', () => {
    const order = openOrder({ venueOrderId: 'v-2' });
    delete order.clientOrderId;
    const findings = compareViews(views({ ordo: [working()], openOrders: [openOrder(), order] }), SETTINGS);
    expect(findings.map((f) => f.key)).toEqual(['UNKNOWN_ORDER:sim:v-2']);
  });
});

describe('compareViews: an amend in flight', () => {
  it('knows the replacement the venue already lists by the client id it is placed under', () => {
    // The workflow still has the old venue order (cancelled at the venue); the replacement is
    // open under the next client order id, which the workflow learns of only afterwards.
    const amending = working({ status: 'PENDING_REPLACE', nextClientOrderId: 'cid-1-r1' });
    const replacement = openOrder({ venueOrderId: 'v-2', clientOrderId: 'cid-1-r1' });
    expect(compareViews(views({ ordo: [amending], openOrders: [replacement] }), SETTINGS)).toEqual([]);
    // Without it the replacement would look like an order nobody placed.
    const withoutNext = working({ status: 'PENDING_REPLACE' });
    expect(
      compareViews(views({ ordo: [withoutNext], openOrders: [replacement] }), SETTINGS).map((f) => f.kind),
    ).toEqual(['UNKNOWN_ORDER']);
  });
});

describe('compareViews: working orders the venue no longer has open', () => {
  it.each(['ACCEPTED', 'PARTIALLY_FILLED'] as const)('reports %s as ORDER_ENDED_AT_VENUE', (status) => {
    const findings = compareViews(views({ ordo: [working({ status })] }), SETTINGS);
    expect(findings).toEqual([
      {
        kind: 'ORDER_ENDED_AT_VENUE',
        key: 'ORDER_ENDED_AT_VENUE:ord-1:v-1',
        venue: 'sim',
        symbol: 'BTC/USDT',
        orderId: 'ord-1',
        venueOrderId: 'v-1',
        ordoStatus: status,
      },
    ]);
  });

  it.each(['SUBMITTED', 'PENDING_CANCEL'] as const)('leaves %s alone (in flight)', (status) => {
    expect(compareViews(views({ ordo: [working({ status })] }), SETTINGS)).toEqual([]);
  });

  it('leaves an order without venueOrderId alone', () => {
    const order = working();
    delete order.venueOrderId;
    expect(compareViews(views({ ordo: [order] }), SETTINGS)).toEqual([]);
  });

  it('finds nothing when the venue order is open', () => {
    const findings = compareViews(
      views({ ordo: [working({ status: 'PARTIALLY_FILLED' })], openOrders: [openOrder()] }),
      SETTINGS,
    );
    expect(findings).toEqual([]);
  });
});

describe('compareViews: balances', () => {
  const since: BalanceCheckpoint = { at: before(300_000), totals: { BTC: '1', USDT: '10000' } };

  function balanceFindings(
    balances: VenueViews['balances'],
    settings: ReconciliationSettings = SETTINGS,
  ): Finding[] {
    return compareViews(views(balances === undefined ? {} : { balances }), settings);
  }

  it('finds nothing without balances or without a checkpoint', () => {
    expect(balanceFindings(undefined)).toEqual([]);
    expect(
      balanceFindings({ totals: { BTC: '5', USDT: '1' }, ledgerFlows: { BTC: '-1' }, unsettled: false }),
    ).toEqual([]);
  });

  it('finds nothing while a trade is unsettled, however large the drift', () => {
    expect(
      balanceFindings({ totals: { BTC: '5', USDT: '0' }, since, ledgerFlows: {}, unsettled: true }),
    ).toEqual([]);
  });

  it('finds nothing when the balances moved exactly as the ledger says', () => {
    expect(
      balanceFindings({
        totals: { BTC: '1.1', USDT: '5000.0' },
        since,
        ledgerFlows: { BTC: '0.1', USDT: '-5000' },
        unsettled: false,
      }),
    ).toEqual([]);
  });

  it('accepts drift within the per-asset tolerance and the default one, inclusive', () => {
    const settings: ReconciliationSettings = {
      ...SETTINGS,
      balanceTolerance: { USDT: '0.01' },
      defaultBalanceTolerance: '0.0001',
    };
    const balances = {
      totals: { BTC: '1.1001', USDT: '5000.01' },
      since,
      ledgerFlows: { BTC: '0.1', USDT: '-5000' },
      unsettled: false,
    };
    expect(balanceFindings(balances, settings)).toEqual([]);
    // The same drift with the default tolerance 0 is reported for both assets.
    expect(balanceFindings(balances).map((f) => f.key)).toEqual([
      `BALANCE_MISMATCH:sim:BTC:${since.at}`,
      `BALANCE_MISMATCH:sim:USDT:${since.at}`,
    ]);
  });

  it('reports drift beyond the tolerance with exact decimal strings, per asset, sorted by asset', () => {
    const settings: ReconciliationSettings = { ...SETTINGS, balanceTolerance: { USDT: '0.01' } };
    const findings = balanceFindings(
      {
        // USDT: a withdrawal of 0.02 beyond the ledger; ETH: a deposit with no checkpoint entry;
        // BTC: the ledger expects 0.3 more than arrived; SOL: expected by the ledger, never held.
        totals: { USDT: '4999.98', BTC: '1.1', ETH: '0.3' },
        since,
        ledgerFlows: { BTC: '0.4', USDT: '-5000', SOL: '2' },
        unsettled: false,
      },
      settings,
    );
    expect(findings).toEqual([
      {
        kind: 'BALANCE_MISMATCH',
        key: `BALANCE_MISMATCH:sim:BTC:${since.at}`,
        venue: 'sim',
        asset: 'BTC',
        since: since.at,
        expectedChange: '0.4',
        actualChange: '0.1',
        drift: '-0.3',
        tolerance: '0',
      },
      {
        kind: 'BALANCE_MISMATCH',
        key: `BALANCE_MISMATCH:sim:ETH:${since.at}`,
        venue: 'sim',
        asset: 'ETH',
        since: since.at,
        expectedChange: '0',
        actualChange: '0.3',
        drift: '0.3',
        tolerance: '0',
      },
      {
        kind: 'BALANCE_MISMATCH',
        key: `BALANCE_MISMATCH:sim:SOL:${since.at}`,
        venue: 'sim',
        asset: 'SOL',
        since: since.at,
        expectedChange: '2',
        actualChange: '0',
        drift: '-2',
        tolerance: '0',
      },
      {
        kind: 'BALANCE_MISMATCH',
        key: `BALANCE_MISMATCH:sim:USDT:${since.at}`,
        venue: 'sim',
        asset: 'USDT',
        since: since.at,
        expectedChange: '-5000',
        actualChange: '-5000.02',
        drift: '-0.02',
        tolerance: '0.01',
      },
    ]);
  });

  it('reports an asset that disappeared (held at the checkpoint, absent now)', () => {
    const findings = balanceFindings({ totals: { BTC: '1' }, since, ledgerFlows: {}, unsettled: false });
    expect(ofKind(findings, 'BALANCE_MISMATCH')).toEqual([
      expect.objectContaining({
        asset: 'USDT',
        actualChange: '-10000',
        expectedChange: '0',
        drift: '-10000',
      }),
    ]);
  });

  it('computes drift without float error (0.1 + 0.2)', () => {
    const findings = balanceFindings({
      totals: { BTC: '1.3', USDT: '10000' },
      since: { at: since.at, totals: { BTC: '1', USDT: '10000' } },
      ledgerFlows: { BTC: '0.1' },
      unsettled: false,
    });
    expect(ofKind(findings, 'BALANCE_MISMATCH')).toEqual([
      expect.objectContaining({ asset: 'BTC', actualChange: '0.3', drift: '0.2' }),
    ]);
  });
});

describe('assetFlows', () => {
  const btc = (overrides: Partial<FlowTrade>): FlowTrade => ({
    symbol: 'BTC/USDT',
    direction: 'BUY',
    size: '0.5',
    price: '60000',
    fee: '0',
    feeCurrency: '',
    ...overrides,
  });

  it('a buy adds base and spends quote', () => {
    expect(assetFlows([btc({})])).toEqual({ BTC: '0.5', USDT: '-30000' });
  });

  it('a sell spends base and adds quote', () => {
    expect(assetFlows([btc({ direction: 'SELL', size: '0.25', price: '60000.5' })])).toEqual({
      BTC: '-0.25',
      USDT: '15000.125',
    });
  });

  it('a fee in base leaves in base', () => {
    expect(assetFlows([btc({ fee: '0.0005', feeCurrency: 'BTC' })])).toEqual({
      BTC: '0.4995',
      USDT: '-30000',
    });
  });

  it('a fee in quote leaves in quote', () => {
    expect(assetFlows([btc({ direction: 'SELL', fee: '30', feeCurrency: 'USDT' })])).toEqual({
      BTC: '-0.5',
      USDT: '29970',
    });
  });

  it('a fee in a third currency leaves in that currency', () => {
    expect(assetFlows([btc({ fee: '0.01', feeCurrency: 'BNB' })])).toEqual({
      BTC: '0.5',
      USDT: '-30000',
      BNB: '-0.01',
    });
  });

  it('a negative fee is a rebate and arrives', () => {
    expect(assetFlows([btc({ fee: '-1.5', feeCurrency: 'USDT' })])).toEqual({ BTC: '0.5', USDT: '-29998.5' });
  });

  it('sums several trades and writes a net of zero as "0"', () => {
    const flows = assetFlows([
      btc({}),
      btc({ direction: 'SELL', price: '60000' }),
      btc({ symbol: 'ETH/USDT', size: '1', price: '3000.10', fee: '-0.00', feeCurrency: 'USDT' }),
    ]);
    expect(flows).toEqual({ BTC: '0', USDT: '-3000.1', ETH: '1' });
  });

  it('writes a zero trade as "0" on both sides', () => {
    expect(assetFlows([btc({ size: '0.000', price: '60000' })])).toEqual({ BTC: '0', USDT: '0' });
  });

  it('drops a derivative symbol’s settle suffix', () => {
    expect(assetFlows([btc({ symbol: 'BTC/USDT:USDT', fee: '3', feeCurrency: 'USDT' })])).toEqual({
      BTC: '0.5',
      USDT: '-30003',
    });
    expect(marketAssets('ETH/USD:ETH')).toEqual(['ETH', 'USD']);
    expect(marketAssets('BTC/USDT')).toEqual(['BTC', 'USDT']);
  });

  it('is empty for no trades', () => {
    expect(assetFlows([])).toEqual({});
  });
});

describe('second look', () => {
  const missed = compareViews(
    views({ ordo: [working()], openOrders: [openOrder()], trades: [trade()] }),
    SETTINGS,
  );
  const unknownOrder = compareViews(
    views({ openOrders: [openOrder({ clientOrderId: 'manual' })] }),
    SETTINGS,
  );
  const ended = compareViews(views({ ordo: [working()] }), SETTINGS);
  const unknownTrade: Finding = {
    kind: 'UNKNOWN_TRADE',
    key: 'UNKNOWN_TRADE:x',
    venue: 'sim',
    symbol: 'BTC/USDT',
    fill: trade().fill,
  };
  const mismatch = (drift: string): Finding => ({
    kind: 'BALANCE_MISMATCH',
    key: 'BALANCE_MISMATCH:sim:BTC:t0',
    venue: 'sim',
    asset: 'BTC',
    since: 't0',
    expectedChange: '0',
    actualChange: drift,
    drift,
    tolerance: '0',
  });
  const unreachable: Finding = {
    kind: 'VENUE_UNREACHABLE',
    key: 'VENUE_UNREACHABLE:sim',
    venue: 'sim',
    error: 'x',
  };

  it('fixtures are what they say', () => {
    expect([missed, unknownOrder, ended].map((f) => f.map((x) => x.kind))).toEqual([
      ['MISSED_FILL'],
      ['UNKNOWN_ORDER'],
      ['ORDER_ENDED_AT_VENUE'],
    ]);
  });

  it('is needed for the racy kinds only', () => {
    expect(needsSecondLook([])).toBe(false);
    expect(needsSecondLook([mismatch('1'), unreachable])).toBe(false);
    // An unknown trade may be of an order whose submit is in flight: racy too.
    for (const racy of [missed, unknownOrder, ended, [unknownTrade]])
      expect(needsSecondLook([mismatch('1'), ...racy])).toBe(true);
  });

  it('keeps a racy finding only when both looks have it', () => {
    const all = [...missed, ...unknownOrder, ...ended];
    expect(confirmed(all, all)).toEqual(all);
    expect(confirmed([], all)).toEqual([]);
    expect(confirmed(all, [])).toEqual([]);
    expect(confirmed(missed, all)).toEqual(missed);
    expect(confirmed([...ended, ...unknownOrder], all)).toEqual([...unknownOrder, ...ended]);
  });

  it('takes the other kinds, BALANCE_MISMATCH included, from the second look as they are', () => {
    const second = [mismatch('0.7'), unreachable];
    expect(confirmed([mismatch('0.5')], second)).toEqual(second);
    expect(confirmed([], second)).toEqual(second);
    expect(confirmed([mismatch('0.5')], [])).toEqual([]);
  });

  it('keeps an unknown trade only when both looks have it', () => {
    expect(confirmed([], [unknownTrade])).toEqual([]);
    expect(confirmed([unknownTrade], [unknownTrade])).toEqual([unknownTrade]);
  });
});

describe('actionFor', () => {
  const [missedWorking] = compareViews(
    views({ ordo: [working()], openOrders: [openOrder()], trades: [trade()] }),
    SETTINGS,
  ) as [Finding];
  const [missedEnded] = compareViews(
    views({
      trades: [
        trade({
          ledgerOwner: { orderId: 'o', clientOrderId: 'c', symbol: 'BTC/USDT', side: 'buy', venue: 'sim' },
        }),
      ],
    }),
    SETTINGS,
  ) as [Finding];
  const [unknownOrder] = compareViews(
    views({ openOrders: [openOrder({ clientOrderId: 'manual' })] }),
    SETTINGS,
  ) as [Finding];
  const [ended] = compareViews(views({ ordo: [working()] }), SETTINGS) as [Finding];
  const [unknownTrade] = compareViews(views({ trades: [trade()] }), SETTINGS) as [Finding];
  const [mismatch] = compareViews(
    views({
      balances: {
        totals: { BTC: '2' },
        since: { at: before(1000), totals: { BTC: '1' } },
        ledgerFlows: {},
        unsettled: false,
      },
    }),
    SETTINGS,
  ) as [Finding];
  const unreachable: Finding = {
    kind: 'VENUE_UNREACHABLE',
    key: 'VENUE_UNREACHABLE:sim',
    venue: 'sim',
    error: 'x',
  };

  it.each(['report', 'cancel', 'adopt'] as const)('with unknownOrders=%s', (policy) => {
    expect(
      [missedWorking, missedEnded, ended, unknownTrade, mismatch, unreachable].map((f) => f.kind),
    ).toEqual([
      'MISSED_FILL',
      'MISSED_FILL',
      'ORDER_ENDED_AT_VENUE',
      'UNKNOWN_TRADE',
      'BALANCE_MISMATCH',
      'VENUE_UNREACHABLE',
    ]);
    expect(actionFor(missedWorking, policy)).toEqual({ kind: 'RECORD_FILL', tell: true });
    expect(actionFor(missedEnded, policy)).toEqual({ kind: 'RECORD_FILL', tell: false });
    expect(actionFor(ended, policy)).toEqual({ kind: 'TELL_ORDER' });
    expect(actionFor(unknownTrade, policy)).toEqual({ kind: 'REPORT' });
    expect(actionFor(mismatch, policy)).toEqual({ kind: 'REPORT' });
    expect(actionFor(unreachable, policy)).toEqual({ kind: 'REPORT' });
  });

  it('does what the policy says with an unknown order', () => {
    expect(unknownOrder.kind).toBe('UNKNOWN_ORDER');
    expect(actionFor(unknownOrder, 'report')).toEqual({ kind: 'REPORT' });
    expect(actionFor(unknownOrder, 'cancel')).toEqual({ kind: 'CANCEL_AT_VENUE' });
    expect(actionFor(unknownOrder, 'adopt')).toEqual({ kind: 'ADOPT' });
  });
});

describe('adoptedOrderId', () => {
  it('is stable and names the venue and the venue order', () => {
    expect(adoptedOrderId('sim', '12345')).toBe('adopted-sim-12345');
    expect(adoptedOrderId('sim', '12345')).toBe(adoptedOrderId('sim', '12345'));
    expect(adoptedOrderId('sim-bybit', '12345')).not.toBe(adoptedOrderId('sim', '12345'));
  });
});
