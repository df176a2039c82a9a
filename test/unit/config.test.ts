import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { environment, loadWorkerConfig, parseWorkerConfig, substituteEnv } from '../../src/workers/config';
import { createVenueRegistry } from '../../src/venues/factory';
import { nextDayClose } from '../../src/venues/registry';

const VENUES_JSON = path.join(__dirname, '..', '..', 'config', 'venues.json');
const venuesText = () => readFileSync(VENUES_JSON, 'utf8');

/** parseWorkerConfig with one venue, as an object. */
function oneVenue(venue: Record<string, unknown>, name = 'v1') {
  return parseWorkerConfig(JSON.stringify({ venues: { [name]: venue } }), {});
}

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

/** The circuit-breaker defaults every venue gets. */
const DEFAULT_BREAKER_CONFIG = {
  failureThreshold: 5,
  failureRate: 0.5,
  windowMs: 30_000,
  cooldownMs: 10_000,
  whenOpen: 'wait',
  maxWaitMs: 60_000,
};

/** The routing defaults every venue gets. */
const DEFAULT_ROUTING_CONFIG = { priority: 100, costBps: 0, costPerUnit: '0', enabled: true };

describe('substituteEnv', () => {
  it('replaces ${VAR}', () => {
    expect(substituteEnv('key=${API_KEY}', { API_KEY: 'abc' })).toBe('key=abc');
  });

  it('replaces every occurrence, several variables in one text', () => {
    expect(substituteEnv('${A}-${B}-${A}', { A: '1', B: '2' })).toBe('1-2-1');
  });

  it('${VAR:-default} uses the default only when VAR is unset or empty', () => {
    expect(substituteEnv('${PORT:-8300}', {})).toBe('8300');
    expect(substituteEnv('${PORT:-8300}', { PORT: '9000' })).toBe('9000');
    expect(substituteEnv('${PORT:-8300}', { PORT: '' })).toBe('8300');
  });

  it('a default may be empty or contain ":", "/", "-" and spaces', () => {
    expect(substituteEnv('[${X:-}]', {})).toBe('[]');
    expect(substituteEnv('${URL:-http://127.0.0.1:8300/api-v3}', {})).toBe('http://127.0.0.1:8300/api-v3');
    expect(substituteEnv('${MSG:-a b c}', {})).toBe('a b c');
  });

  it('an unset variable without a default throws and names the variable', () => {
    expect(() => substituteEnv('secret=${SECRET_THING}', {})).toThrow(/SECRET_THING/);
    expect(() => substituteEnv('${A} ${B}', { A: 'x' })).toThrow(/environment variable B/);
  });

  it('leaves text without placeholders, and $VAR without braces, alone', () => {
    expect(substituteEnv('{"a": "$HOME", "b": 1}', {})).toBe('{"a": "$HOME", "b": 1}');
    expect(substituteEnv('', {})).toBe('');
  });

  it('reads process.env by default', () => {
    const name = 'ORDO_UNIT_TEST_SUBST_VAR';
    process.env[name] = 'from-process';
    try {
      expect(substituteEnv(`\${${name}}`)).toBe('from-process');
    } finally {
      delete process.env[name];
    }
    expect(() => substituteEnv(`\${${name}}`)).toThrow(name);
  });

  /* Values are substituted after parsing, so no value can break or rewrite the JSON. */
  it('a secret containing a double quote or backslash survives substitution', () => {
    const text = '{"venues":{"v1":{"exchange":"binance","secret":"${S}"}}}';
    const config = parseWorkerConfig(text, { S: 'ab"c\\d' });
    expect(config.venues['v1']).toMatchObject({ secret: 'ab"c\\d' });
  });
});

describe('parseWorkerConfig', () => {
  it('accepts config/venues.json with defaults from the environment', () => {
    const config = parseWorkerConfig(venuesText(), {});
    expect(Object.keys(config.venues).sort()).toEqual(['paper', 'sim', 'sim-bybit']);
    expect(config.venues['sim']).toEqual({
      kind: 'ccxt',
      exchange: 'binance',
      simulatorUrl: 'http://127.0.0.1:8300',
      apiKey: 'sim-key',
      secret: 'sim-secret',
      clientOrderIdRules: 'binance',
      dayCloseUtc: '00:00',
      pollIntervalMs: 200,
      maxAttempts: 12,
      breaker: DEFAULT_BREAKER_CONFIG,
      timeoutMs: 5000,
      rateLimitMs: 5,
      recvWindowDeadline: true,
      sandbox: false,
      options: {},
      stream: { fallbackPollIntervalMs: 2000, reconnectMaxMs: 5000 },
      routing: { priority: 1, costBps: 10, costPerUnit: '0', enabled: true },
    });
    // The same simulator through its Bybit v5 dialect: no recvWindow deadline (Binance only).
    expect(config.venues['sim-bybit']).toEqual({
      ...config.venues['sim'],
      exchange: 'bybit',
      clientOrderIdRules: 'bybit',
      recvWindowDeadline: false,
      // The simulator serves no Bybit user-data stream.
      stream: { enabled: false, fallbackPollIntervalMs: 2000, reconnectMaxMs: 5000 },
      routing: { priority: 2, costBps: 5, costPerUnit: '0', enabled: true },
    });
    expect(config.venues['paper']).toEqual({
      kind: 'paper',
      prices: { 'BTC/USDT': '60000', 'ETH/USDT': '3000', 'SOL/USDT': '150' },
      balances: { USDT: '1000000', BTC: '10', ETH: '200', SOL: '5000' },
      clientOrderIdRules: 'binance',
      dayCloseUtc: '00:00',
      pollIntervalMs: 100,
      maxAttempts: 12,
      breaker: DEFAULT_BREAKER_CONFIG,
      routing: { ...DEFAULT_ROUTING_CONFIG, enabled: false },
    });
  });

  it('takes environment overrides for config/venues.json', () => {
    const config = parseWorkerConfig(venuesText(), {
      SIM_PORT: '9001',
      SIM_API_KEY: 'k',
      SIM_API_SECRET: 's',
      ORDO_SIM_DAY_CLOSE_UTC: '21:00',
    });
    for (const name of ['sim', 'sim-bybit']) {
      expect(config.venues[name]).toMatchObject({
        simulatorUrl: 'http://127.0.0.1:9001',
        apiKey: 'k',
        secret: 's',
        dayCloseUtc: '21:00',
      });
    }
  });

  it('takes the optional ccxt tuning fields, and refuses unknown dialect fields', () => {
    const tuned = {
      exchange: 'bybit',
      rateLimitBurst: 10,
      rateLimitWindowMs: 60_000,
      marketsTtlMs: 60_000,
      clockSyncIntervalMs: 0,
      dialect: { clientOrderIdLookupParam: 'orderLinkId', amendClientOrderIdParam: null, listParams: {} },
    };
    expect(oneVenue(tuned).venues['v1']).toMatchObject(tuned);
    expect(configError(() => oneVenue({ exchange: 'bybit', dialect: { thin: true } }))).toMatch(
      /venues\.v1.*"thin"/,
    );
    expect(configError(() => oneVenue({ exchange: 'bybit', rateLimitBurst: 0 }))).toMatch(/rateLimitBurst/);
  });

  it('loadWorkerConfig reads the file', () => {
    expect(loadWorkerConfig(VENUES_JSON, {})).toEqual(parseWorkerConfig(venuesText(), {}));
  });

  it('fills the defaults of a minimal ccxt venue', () => {
    expect(oneVenue({ exchange: 'bybit', clientOrderIdRules: 'bybit' }).venues['v1']).toEqual({
      kind: 'ccxt',
      exchange: 'bybit',
      sandbox: false,
      timeoutMs: 10_000,
      options: {},
      clientOrderIdRules: 'bybit',
      dayCloseUtc: '00:00',
      pollIntervalMs: 500,
      maxAttempts: 12,
      breaker: DEFAULT_BREAKER_CONFIG,
      recvWindowDeadline: false,
      stream: { fallbackPollIntervalMs: 2000, reconnectMaxMs: 5000 },
      routing: DEFAULT_ROUTING_CONFIG,
    });
  });

  it('accepts several venues, HH:MM:SS close times and ccxt options', () => {
    const config = parseWorkerConfig(
      JSON.stringify({
        venues: {
          'binance-1': { exchange: 'binance', dayCloseUtc: '16:30:15', options: { defaultType: 'spot' } },
          paper_2: { kind: 'paper', prices: {} },
        },
      }),
      {},
    );
    expect(config.venues['binance-1']).toMatchObject({
      dayCloseUtc: '16:30:15',
      options: { defaultType: 'spot' },
    });
    expect(config.venues['paper_2']).toMatchObject({ kind: 'paper', balances: {} });
  });

  it.each<[string, unknown, RegExp]>([
    ['an unknown top-level key', { venues: {}, extra: 1 }, /Unrecognized key: "extra"/],
    ['no venues', {}, /venues/],
    ['an upper-case venue name', { venues: { Sim: { exchange: 'binance' } } }, /venues\.Sim/],
    ['a venue name starting with "-"', { venues: { '-x': { exchange: 'binance' } } }, /venues\.-x/],
    [
      'an unknown venue field',
      { venues: { v1: { exchange: 'binance', apikey: 'x' } } },
      /venues\.v1.*"apikey"/,
    ],
    ['an empty exchange', { venues: { v1: { exchange: '' } } }, /venues\.v1\.exchange/],
    [
      'pollIntervalMs 0',
      { venues: { v1: { exchange: 'binance', pollIntervalMs: 0 } } },
      /venues\.v1\.pollIntervalMs/,
    ],
    // (the union hides the field here: "venues.v1: Invalid input", see below)
    ['pollIntervalMs 1.5', { venues: { v1: { exchange: 'binance', pollIntervalMs: 1.5 } } }, /venues\.v1/],
    [
      'a bad simulator URL',
      { venues: { v1: { exchange: 'binance', simulatorUrl: 'nope' } } },
      /venues\.v1\.simulatorUrl/,
    ],
    [
      'a bad close time',
      { venues: { v1: { exchange: 'binance', dayCloseUtc: '9:00' } } },
      /dayCloseUtc: must be HH:MM/,
    ],
    [
      'unknown client order id rules',
      { venues: { v1: { exchange: 'binance', clientOrderIdRules: 'okx' } } },
      /clientOrderIdRules: must be "binance" or "bybit"/,
    ],
    ['a paper venue without prices', { venues: { v1: { kind: 'paper' } } }, /venues\.v1/],
    ['a ccxt venue without exchange', { venues: { v1: { kind: 'ccxt' } } }, /venues\.v1/],
    ['an unknown kind', { venues: { v1: { kind: 'fix', exchange: 'x' } } }, /venues\.v1/],
    [
      'numeric paper prices',
      { venues: { v1: { kind: 'paper', prices: { 'BTC/USDT': 60000 } } } },
      /venues\.v1/,
    ],
  ])('refuses %s with a message naming the place', (_name, config, where) => {
    const message = configError(() => parseWorkerConfig(JSON.stringify(config), {}));
    expect(message).toMatch(/^invalid worker configuration: /);
    expect(message).toMatch(where);
  });

  it('substitutes before validating (a missing variable is named)', () => {
    expect(configError(() => parseWorkerConfig('{"venues":{"v1":{"exchange":"${EXCHANGE}"}}}', {}))).toMatch(
      /EXCHANGE/,
    );
  });

  /* A discriminated union on `kind` names the field that is wrong. */
  it('a paper venue without prices is refused with a message naming "prices"', () => {
    expect(configError(() => oneVenue({ kind: 'paper' }))).toMatch(/prices/);
  });

  it('a ccxt venue with timeoutMs as a string is refused with a message naming "timeoutMs"', () => {
    expect(configError(() => oneVenue({ exchange: 'binance', timeoutMs: '5000' }))).toMatch(/timeoutMs/);
  });

  it('refuses an out-of-range close time such as "99:99"', () => {
    expect(() => oneVenue({ exchange: 'binance', dayCloseUtc: '99:99' })).toThrow(/dayCloseUtc/);
  });
});

describe('routing settings', () => {
  it('default when absent: priority 100, no costs, no size cap, enabled', () => {
    expect(oneVenue({ exchange: 'binance' }).venues['v1']?.routing).toEqual(DEFAULT_ROUTING_CONFIG);
    expect(oneVenue({ kind: 'paper', prices: {} }).venues['v1']?.routing).toEqual(DEFAULT_ROUTING_CONFIG);
  });

  it('fills the fields not given', () => {
    expect(oneVenue({ exchange: 'binance', routing: { costBps: 7.5 } }).venues['v1']?.routing).toEqual({
      ...DEFAULT_ROUTING_CONFIG,
      costBps: 7.5,
    });
  });

  it('takes every field, decimals as strings', () => {
    const routing = { priority: 3, costBps: 2.5, costPerUnit: '0.0001', maxOrderSize: '1.5', enabled: false };
    expect(oneVenue({ exchange: 'bybit', routing }).venues['v1']?.routing).toEqual(routing);
  });

  it('takes ${VAR} substitution inside the decimal strings', () => {
    const config = parseWorkerConfig(
      JSON.stringify({
        venues: { v1: { exchange: 'binance', routing: { maxOrderSize: '${MAX_SIZE:-2}' } } },
      }),
      {},
    );
    expect(config.venues['v1']?.routing.maxOrderSize).toBe('2');
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['priority 0', { priority: 0 }, /routing\.priority/],
    ['a fractional priority', { priority: 1.5 }, /venues\.v1/],
    ['a negative costBps', { costBps: -1 }, /routing\.costBps/],
    ['costBps as a string', { costBps: '10' }, /routing\.costBps/],
    ['costPerUnit as a number', { costPerUnit: 0.1 }, /routing\.costPerUnit/],
    ['a negative costPerUnit', { costPerUnit: '-0.1' }, /routing\.costPerUnit: must be a decimal string ≥ 0/],
    ['a costPerUnit that is no number', { costPerUnit: 'cheap' }, /routing\.costPerUnit/],
    ['maxOrderSize 0', { maxOrderSize: '0' }, /routing\.maxOrderSize: must be a decimal string > 0/],
    ['maxOrderSize as a number', { maxOrderSize: 5 }, /routing\.maxOrderSize/],
    ['enabled as a string', { enabled: 'yes' }, /routing\.enabled/],
    ['an unknown routing field', { weight: 1 }, /routing.*"weight"/],
  ])('refuses %s, naming the field', (_name, routing, where) => {
    const message = configError(() => oneVenue({ exchange: 'binance', routing }));
    expect(message).toMatch(/^invalid worker configuration: /);
    expect(message).toMatch(where);
  });

  it('reaches the venue settings activities read', () => {
    const config = parseWorkerConfig(venuesText(), {});
    const registry = createVenueRegistry(config);
    try {
      expect(registry.get('sim').settings.routing).toEqual({
        priority: 1,
        costBps: 10,
        costPerUnit: '0',
        enabled: true,
      });
      expect(registry.get('sim-bybit').settings.routing).toMatchObject({ priority: 2, costBps: 5 });
      // Routable venues: enabled only (paper is not), best priority first.
      expect(registry.routable()).toEqual(['sim', 'sim-bybit']);
    } finally {
      void registry.close();
    }
  });

  it('takes the dialect overrides for trade paging', () => {
    const dialect = {
      tradesPaging: 'window',
      tradesPageKeeps: 'last',
      tradesPageLimit: 10,
      tradesMaxSpanMs: null,
    };
    expect(oneVenue({ exchange: 'binance', dialect }).venues['v1']).toMatchObject({ dialect });
    expect(configError(() => oneVenue({ exchange: 'binance', dialect: { tradesPaging: 'cursor' } }))).toMatch(
      /tradesPaging/,
    );
  });
});

describe('environment', () => {
  it('has the defaults of DESIGN.md §3', () => {
    const env = environment({});
    expect(env).toMatchObject({
      temporalAddress: 'localhost:7233',
      namespace: 'default',
      taskQueue: 'execution',
    });
    expect(path.resolve(env.configFile)).toBe(path.resolve(VENUES_JSON));
    expect(existsSync(env.configFile)).toBe(true);
  });

  it('takes each override from the variable of the same name', () => {
    expect(
      environment({
        TEMPORAL_ADDRESS: 'temporal:7233',
        TEMPORAL_NAMESPACE: 'ordo',
        ORDO_TASK_QUEUE: 'q',
        ORDO_CONFIG: '/etc/ordo.json',
      }),
    ).toEqual({
      temporalAddress: 'temporal:7233',
      namespace: 'ordo',
      taskQueue: 'q',
      configFile: '/etc/ordo.json',
    });
  });
});

describe('nextDayClose', () => {
  const at = (iso: string) => new Date(iso);

  it.each([
    ['2030-01-01T10:00:00.000Z', '00:00', '2030-01-02T00:00:00.000Z'],
    ['2030-01-01T10:00:00.000Z', '16:30', '2030-01-01T16:30:00.000Z'],
    ['2030-01-01T10:00:00.000Z', '09:59:59', '2030-01-02T09:59:59.000Z'],
    ['2030-01-01T10:00:00.000Z', '10:00:01', '2030-01-01T10:00:01.000Z'],
    // strictly after: at the close time itself, the next one is tomorrow
    ['2030-01-01T16:30:00.000Z', '16:30', '2030-01-02T16:30:00.000Z'],
    ['2030-01-01T16:29:59.999Z', '16:30', '2030-01-01T16:30:00.000Z'],
    ['2030-01-01T00:00:00.000Z', '00:00', '2030-01-02T00:00:00.000Z'],
    ['2030-01-01T23:59:59.999Z', '23:59:59', '2030-01-02T23:59:59.000Z'],
    // month, year and leap-day rollover
    ['2030-01-31T22:00:00.000Z', '21:00', '2030-02-01T21:00:00.000Z'],
    ['2030-12-31T23:00:00.000Z', '00:00', '2031-01-01T00:00:00.000Z'],
    ['2028-02-28T12:00:00.000Z', '06:00', '2028-02-29T06:00:00.000Z'],
    ['2030-02-28T12:00:00.000Z', '06:00', '2030-03-01T06:00:00.000Z'],
  ])('after %s, close %s → %s', (now, close, expected) => {
    expect(nextDayClose(at(now), close).toISOString()).toBe(expected);
  });

  it('does not change the date it is given', () => {
    const now = at('2030-01-01T10:00:00.000Z');
    nextDayClose(now, '00:00');
    expect(now.toISOString()).toBe('2030-01-01T10:00:00.000Z');
  });

  it.each(['9:00', '0900', '', '12:00:00:00', '12:0', 'ab:cd', ' 12:00'])('refuses %p', (close) => {
    expect(() => nextDayClose(at('2030-01-01T10:00:00.000Z'), close)).toThrow(/dayCloseUtc/);
  });

  it('refuses out-of-range times such as "99:99"', () => {
    expect(() => nextDayClose(at('2030-01-01T10:00:00.000Z'), '99:99')).toThrow();
  });
});
