/**
 * Risk limits from configuration: the `risk` block's schema (durations, decimals, nulls), the
 * resolution defaults < symbol < strategy, and config/venues.json's demo block, which must let the
 * demo's and the tests' typical orders through.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkRisk, NO_RISK_LIMITS, resolveRiskLimits, type RiskSettings } from '../../../src/domain/risk';
import { parseWorkerConfig } from '../../../src/workers/config';
import { context, order } from './risk-fixtures';

function riskOf(risk: unknown): RiskSettings {
  return parseWorkerConfig(JSON.stringify({ venues: {}, risk })).risk;
}

function problemOf(risk: unknown): string {
  try {
    riskOf(risk);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('risk configuration', () => {
  it('absent: enabled with no limits (only reduce-only applies)', () => {
    expect(parseWorkerConfig(JSON.stringify({ venues: {} })).risk).toEqual(NO_RISK_LIMITS);
  });

  it('parses every limit, durations to ms and decimals to canonical strings', () => {
    const risk = riskOf({
      defaults: {
        maxOrderQuantity: '1.50',
        maxOrderNotional: '1e5',
        priceCollarBps: 250.5,
        maxPosition: '10',
        maxGrossExposure: '2000000',
        maxNetExposure: '1000000',
        maxDailyOrders: 500,
        maxDailyNotional: '5000000',
        maxOpenOrders: 20,
        duplicateWindow: '1m30s',
        signalTtl: 2500,
        checkBalance: true,
      },
    });
    expect(risk.defaults).toEqual({
      maxOrderQuantity: '1.5',
      maxOrderNotional: '100000',
      priceCollarBps: 250.5,
      maxPosition: '10',
      maxGrossExposure: '2000000',
      maxNetExposure: '1000000',
      maxDailyOrders: 500,
      maxDailyNotional: '5000000',
      maxOpenOrders: 20,
      duplicateWindowMs: 90_000,
      signalTtlMs: 2500,
      checkBalance: true,
    });
  });

  it.each([
    [{ defaults: { maxOrderQuantity: 5 } }, 'risk.defaults.maxOrderQuantity'],
    [
      { defaults: { maxOrderNotional: '-1' } },
      'risk.defaults.maxOrderNotional: must be a decimal string ≥ 0',
    ],
    [
      { defaults: { duplicateWindow: '5 seconds' } },
      'risk.defaults.duplicateWindow: "5 seconds" is not a duration',
    ],
    [{ defaults: { maxOpenOrders: 1.5 } }, 'risk.defaults.maxOpenOrders'],
    [{ defaults: { maxOrderQty: '1' } }, 'risk.defaults'],
    [{ defaults: { maxPosition: null } }, 'risk.defaults.maxPosition'],
    [{ symbols: { btcusdt: {} } }, 'risk.symbols.btcusdt'],
    [{ strategies: { 'bad id': {} } }, 'risk.strategies.bad id'],
    [{ enabled: 'yes' }, 'risk.enabled'],
  ])('refuses %j naming the field', (risk, where) => {
    expect(problemOf(risk)).toContain(where);
  });
});

describe('resolveRiskLimits: defaults < symbol < strategy', () => {
  const settings = riskOf({
    defaults: { maxOrderQuantity: '1', maxOrderNotional: '100000', duplicateWindow: '5s' },
    symbols: { 'BTC/USDT': { maxOrderQuantity: '2', maxPosition: '10' } },
    strategies: {
      momo: { maxOrderQuantity: '3', duplicateWindow: null },
      slow: { maxPosition: null, signalTtl: '10s' },
    },
  });

  it('defaults alone for a symbol and strategy without overrides', () => {
    expect(resolveRiskLimits(settings, { symbol: 'ETH/USDT' })).toEqual({
      maxOrderQuantity: '1',
      maxOrderNotional: '100000',
      duplicateWindowMs: 5000,
    });
  });

  it('the symbol over the defaults', () => {
    expect(resolveRiskLimits(settings, { symbol: 'BTC/USDT', strategyId: 'unknown' })).toEqual({
      maxOrderQuantity: '2',
      maxOrderNotional: '100000',
      maxPosition: '10',
      duplicateWindowMs: 5000,
    });
  });

  it('the strategy over both; null removes a limit', () => {
    expect(resolveRiskLimits(settings, { symbol: 'BTC/USDT', strategyId: 'momo' })).toEqual({
      maxOrderQuantity: '3',
      maxOrderNotional: '100000',
      maxPosition: '10',
    });
    expect(resolveRiskLimits(settings, { symbol: 'BTC/USDT', strategyId: 'slow' })).toEqual({
      maxOrderQuantity: '2',
      maxOrderNotional: '100000',
      duplicateWindowMs: 5000,
      signalTtlMs: 10_000,
    });
  });

  it('does not share state between resolutions', () => {
    resolveRiskLimits(settings, { symbol: 'BTC/USDT', strategyId: 'momo' });
    expect(settings.defaults.duplicateWindowMs).toBe(5000);
  });

  it('disabled: no limits at all', () => {
    expect(resolveRiskLimits({ ...settings, enabled: false }, { symbol: 'BTC/USDT' })).toBeUndefined();
  });
});

describe("config/venues.json's demo risk block", () => {
  const file = path.join(__dirname, '..', '..', '..', 'config', 'venues.json');
  const risk = parseWorkerConfig(readFileSync(file, 'utf8'), { SIM_PORT: '8300' }).risk;
  // The simulator's starting account: 1 000 000 USDT, 10 BTC, 200 ETH, 5000 SOL.
  const simContext = (mid: string, position: string, openOrders = 0) =>
    context({
      mid,
      position,
      openOrders,
      exposures: { 'ETH/USDT': '600000', 'SOL/USDT': '750000' },
      balances: { USDT: '1000000', BTC: '10', ETH: '200', SOL: '5000' },
    });

  it('sets every kind of limit', () => {
    const limits = resolveRiskLimits(risk, { symbol: 'BTC/USDT', strategyId: 'demo' });
    expect(Object.keys(limits ?? {}).sort()).toEqual(
      [
        'checkBalance',
        'duplicateWindowMs',
        'maxDailyNotional',
        'maxDailyOrders',
        'maxGrossExposure',
        'maxNetExposure',
        'maxOpenOrders',
        'maxOrderNotional',
        'maxOrderQuantity',
        'maxPosition',
        'priceCollarBps',
        'signalTtlMs',
      ].sort(),
    );
  });

  it.each([
    [
      'demo market buy 0.01 BTC',
      order({ type: 'market', limitPrice: undefined, quantity: '0.01', strategyId: 'demo' }),
    ],
    [
      'demo resting buy 0.02 BTC at 88% of mid',
      order({ quantity: '0.02', limitPrice: '52800', strategyId: 'demo' }),
    ],
    ['a test-sized buy of 1 BTC at mid, no strategy', order({ quantity: '1', strategyId: undefined })],
    ['a TWAP child', order({ quantity: '0.004', strategyId: 'demo-algo', parentId: 'demo-twap' })],
    ['a test-sized sell of 1 BTC', order({ side: 'sell', quantity: '1', limitPrice: '59000' })],
  ])('lets %s through with 100 orders already working', (_what, o) => {
    const limits = resolveRiskLimits(risk, o);
    expect(limits).toBeDefined();
    expect(checkRisk(o, simContext('60000', '10', 100), limits ?? {})).toEqual([]);
  });

  it('lets the demo IOC buy of 0.5 ETH through', () => {
    const ioc = order({
      symbol: 'ETH/USDT',
      quantity: '0.5',
      limitPrice: '3003',
      timeInForce: 'IOC',
      strategyId: 'demo',
    });
    const ctx = { ...simContext('3000', '200'), exposures: { 'BTC/USDT': '600000', 'SOL/USDT': '750000' } };
    expect(checkRisk(ioc, ctx, resolveRiskLimits(risk, ioc) ?? {})).toEqual([]);
  });

  it('still refuses a fat finger', () => {
    const fat = order({ quantity: '0.01', limitPrice: '600000' });
    expect(
      checkRisk(fat, simContext('60000', '10'), resolveRiskLimits(risk, fat) ?? {}).map((i) => i.code),
    ).toEqual(['PRICE_COLLAR']);
  });
});
