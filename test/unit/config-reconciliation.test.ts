import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createVenueRegistry } from '../../src/venues/factory';
import { parseWorkerConfig } from '../../src/workers/config';
import {
  reconciliationConfig,
  reconciliationSettings,
  venueAccountKeys,
} from '../../src/workers/config-reconciliation';

const VENUES_JSON = path.join(__dirname, '..', '..', 'config', 'venues.json');

/** A worker configuration with one paper venue and the given reconciliation block. */
function withBlock(reconciliation: unknown): string {
  return JSON.stringify({
    venues: { paper: { kind: 'paper', prices: { 'BTC/USDT': '60000' } } },
    ...(reconciliation === undefined ? {} : { reconciliation }),
  });
}

function refusal(reconciliation: unknown): string {
  try {
    parseWorkerConfig(withBlock(reconciliation), {});
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

const DEFAULTS = {
  enabled: true,
  every: '5m',
  atStartup: true,
  unknownOrders: 'report',
  lookback: '24h',
  settle: '2s',
  grace: '10s',
  balanceTolerance: {},
  defaultBalanceTolerance: '0',
  symbols: [],
};

describe('reconciliation configuration block', () => {
  it('defaults every field when the block is absent or empty', () => {
    expect(reconciliationConfig.parse(undefined)).toEqual(DEFAULTS);
    expect(reconciliationConfig.parse({})).toEqual(DEFAULTS);
    expect(parseWorkerConfig(withBlock(undefined), {}).reconciliation).toEqual(DEFAULTS);
    expect(parseWorkerConfig(withBlock({}), {}).reconciliation).toEqual(DEFAULTS);
  });

  it('takes every field when given, tolerances as decimal strings', () => {
    const block = parseWorkerConfig(
      withBlock({
        enabled: false,
        every: '1h30m',
        atStartup: false,
        unknownOrders: 'adopt',
        lookback: '7d',
        settle: '500ms',
        grace: '1m',
        balanceTolerance: { USDT: '0.01', BTC: 0.0005 },
        defaultBalanceTolerance: 1,
        venues: ['paper'],
        symbols: ['ETH/USDT'],
      }),
      {},
    ).reconciliation;
    expect(block).toEqual({
      enabled: false,
      every: '1h30m',
      atStartup: false,
      unknownOrders: 'adopt',
      lookback: '7d',
      settle: '500ms',
      grace: '1m',
      balanceTolerance: { USDT: '0.01', BTC: '0.0005' },
      defaultBalanceTolerance: '1',
      venues: ['paper'],
      symbols: ['ETH/USDT'],
    });
  });

  it('gives the shipped config/venues.json (no block) the defaults', () => {
    expect(parseWorkerConfig(readFileSync(VENUES_JSON, 'utf8'), {}).reconciliation).toEqual(DEFAULTS);
  });

  it.each([
    ['every', { every: 'five minutes' }],
    ['every', { every: '0s' }],
    ['lookback', { lookback: '24' }],
    ['settle', { settle: 2 }],
    ['grace', { grace: '' }],
  ])('refuses a bad duration in %s, naming the field', (field, block) => {
    const message = refusal(block);
    expect(message).toMatch(/^invalid worker configuration: /);
    expect(message).toContain(`reconciliation.${field}: `);
    if (typeof Object.values(block)[0] === 'string')
      expect(message).toContain('a duration like 90s, 5m, 2h or 1d');
    const issue = reconciliationConfig.safeParse(block).error?.issues[0];
    expect(issue?.path).toEqual([field]);
  });

  it('refuses an unknown unknownOrders policy, naming the field', () => {
    const message = refusal({ unknownOrders: 'ignore' });
    expect(message).toMatch(/reconciliation\.unknownOrders: /);
    expect(reconciliationConfig.safeParse({ unknownOrders: 'ignore' }).error?.issues[0]?.path).toEqual([
      'unknownOrders',
    ]);
  });

  it.each([
    ['defaultBalanceTolerance', { defaultBalanceTolerance: '-1' }],
    ['defaultBalanceTolerance', { defaultBalanceTolerance: -0.5 }],
    ['balanceTolerance.USDT', { balanceTolerance: { USDT: 'a cent' } }],
    ['venues', { venues: 'paper' }],
    ['enabled', { enabled: 'yes' }],
  ])('refuses a bad %s, naming the field', (field, block) => {
    expect(refusal(block)).toContain(`reconciliation.${field}`);
  });

  it('refuses an unknown field', () => {
    expect(refusal({ interval: '5m' })).toMatch(/reconciliation.*"interval"/);
  });
});

describe('reconciliationSettings', () => {
  it('converts durations to milliseconds and defaults the venues to every configured one', () => {
    const settings = reconciliationSettings(reconciliationConfig.parse({}), ['sim', 'sim-bybit', 'paper']);
    expect(settings).toEqual({
      venues: ['sim', 'sim-bybit', 'paper'],
      unknownOrders: 'report',
      lookbackMs: 86_400_000,
      settleMs: 2_000,
      graceMs: 10_000,
      balanceTolerance: {},
      defaultBalanceTolerance: '0',
      symbols: [],
      sharedAccounts: {},
    });
  });

  it('keeps the venues the block names, and its policy, tolerances and symbols', () => {
    const block = reconciliationConfig.parse({
      venues: ['sim-bybit'],
      unknownOrders: 'cancel',
      lookback: '1h30m',
      settle: '250ms',
      grace: '1m',
      balanceTolerance: { USDT: '0.5' },
      defaultBalanceTolerance: '0.001',
      symbols: ['BTC/USDT'],
    });
    expect(reconciliationSettings(block, ['sim', 'sim-bybit'])).toEqual({
      venues: ['sim-bybit'],
      unknownOrders: 'cancel',
      lookbackMs: 5_400_000,
      settleMs: 250,
      graceMs: 60_000,
      balanceTolerance: { USDT: '0.5' },
      defaultBalanceTolerance: '0.001',
      symbols: ['BTC/USDT'],
      sharedAccounts: {},
    });
  });

  it('takes the venue registry’s names, as the worker passes them', () => {
    const config = parseWorkerConfig(readFileSync(VENUES_JSON, 'utf8'), {});
    const registry = createVenueRegistry(config);
    try {
      const settings = reconciliationSettings(config.reconciliation, registry.names());
      expect(settings.venues).toEqual(Object.keys(config.venues));
      expect(settings.venues.length).toBeGreaterThan(1);
    } finally {
      void registry.close();
    }
  });

  it('reconciles an account reached under two venue names once, by the first name', () => {
    // The shipped configuration: `sim` and `sim-bybit` are two dialects of one simulator account.
    const config = parseWorkerConfig(readFileSync(VENUES_JSON, 'utf8'), {});
    const keys = venueAccountKeys(config.venues);
    expect(keys['sim']).toBe(keys['sim-bybit']);
    expect(keys['paper']).toBeUndefined();
    expect(Object.values(keys).join(' ')).not.toContain('secret');
    const settings = reconciliationSettings(config.reconciliation, Object.keys(config.venues), keys);
    expect(settings.venues).toEqual(['sim', 'paper']);
    expect(settings.sharedAccounts).toEqual({ sim: ['sim-bybit'] });
    // Named explicitly, the block wins; the sharing still says whose orders count.
    const named = reconciliationSettings(
      reconciliationConfig.parse({ venues: ['sim-bybit'] }),
      Object.keys(config.venues),
      keys,
    );
    expect(named.venues).toEqual(['sim-bybit']);
  });

  it('does not share the registry’s array', () => {
    const names = ['sim'];
    const settings = reconciliationSettings(reconciliationConfig.parse({}), names);
    names.push('late');
    expect(settings.venues).toEqual(['sim']);
  });
});
