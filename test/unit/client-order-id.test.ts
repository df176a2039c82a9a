import {
  BINANCE_CLIENT_ID_RULES,
  BYBIT_CLIENT_ID_RULES,
  deriveClientOrderId,
  fnv1a64,
  type ClientOrderIdRules,
} from '../../src/domain/client-order-id';
import { CLIENT_ORDER_ID_RULES, isClientOrderIdRuleName } from '../../src/domain/client-order-id-rules';

/** What each venue accepts, written independently of the source. */
const BINANCE_VALID = /^[.A-Z:/a-z0-9_-]{1,36}$/;
const BYBIT_VALID = /^[A-Za-z0-9_-]{1,36}$/;

const VENUES: Array<[string, ClientOrderIdRules, RegExp]> = [
  ['binance', BINANCE_CLIENT_ID_RULES, BINANCE_VALID],
  ['bybit', BYBIT_CLIENT_ID_RULES, BYBIT_VALID],
];

/** Small seeded PRNG (mulberry32) so the generated cases are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [
  ...'abcXYZ0189',
  '.',
  '..',
  '-',
  '--',
  '_',
  ':',
  '/',
  '@',
  ' ',
  'h',
  '+',
  '#',
  'é',
  'ß',
  '日本',
  '😀',
  '\u0000',
  '\t',
];

function generatedIds(count: number, seed: number): string[] {
  const next = rng(seed);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const lengthClass = next();
    const length =
      lengthClass < 0.5
        ? 1 + Math.floor(next() * 12)
        : lengthClass < 0.8
          ? 25 + Math.floor(next() * 15)
          : 40 + Math.floor(next() * 200);
    let id = '';
    while (id.length < length) id += ALPHABET[Math.floor(next() * ALPHABET.length)];
    ids.push(id);
  }
  return ids;
}

const ADVERSARIAL: string[] = [
  '',
  'a',
  'a..1',
  'a.',
  'a..',
  'a...1',
  '.a',
  '..',
  '.',
  'a--1',
  'a-',
  'a---1',
  '-',
  '--',
  'x y',
  'xy',
  'order 1',
  'order1',
  'order-1',
  'order_1',
  'ORDER-1',
  'twap-42/slice:7',
  'twap-42/slice:7@binance',
  'x'.repeat(36),
  'x'.repeat(35),
  'x'.repeat(37),
  'x'.repeat(33) + '..1',
  'y'.repeat(200),
  'y'.repeat(199) + 'z',
  '😀',
  '日本',
  ' ',
  '@',
  'h',
  'abc..h0000000000000',
  '0..1',
  '1',
  '12',
];

function allIds(): string[] {
  const base = [...ADVERSARIAL, ...generatedIds(1500, 42)];
  // Each venue's hashed forms used as workflow ids themselves, and their readable prefixes.
  for (const rules of [BINANCE_CLIENT_ID_RULES, BYBIT_CLIENT_ID_RULES]) {
    for (const id of ['x y', 'order 1', 'y'.repeat(200), 'a..1']) {
      const hashed = deriveClientOrderId(id, 0, rules);
      base.push(hashed, hashed.slice(0, hashed.indexOf(rules.separator)), deriveClientOrderId(id, 1, rules));
    }
  }
  return [...new Set(base)];
}

const IDS = allIds();
const SEQUENCES = [0, 1, 2, 9, 10, 11, 99, 100, 12345, 2 ** 31, Number.MAX_SAFE_INTEGER];

describe('deriveClientOrderId: simple forms', () => {
  it('sequence 0 returns an id that fits unchanged (and 0 is the default)', () => {
    expect(deriveClientOrderId('ord-1')).toBe('ord-1');
    expect(deriveClientOrderId('ord-1', 0)).toBe('ord-1');
    expect(deriveClientOrderId('twap-42/slice:7', 0)).toBe('twap-42/slice:7');
    expect(deriveClientOrderId('x'.repeat(36), 0)).toBe('x'.repeat(36));
    expect(deriveClientOrderId('ord_1', 0, BYBIT_CLIENT_ID_RULES)).toBe('ord_1');
  });

  it('sequence n appends the separator and n', () => {
    expect(deriveClientOrderId('ord-1', 1)).toBe('ord-1..1');
    expect(deriveClientOrderId('ord-1', 12)).toBe('ord-1..12');
    expect(deriveClientOrderId('ord_1', 3, BYBIT_CLIENT_ID_RULES)).toBe('ord_1--3');
    expect(deriveClientOrderId('x'.repeat(33), 1)).toBe('x'.repeat(33) + '..1');
  });

  it('the default rules are Binance', () => {
    expect(deriveClientOrderId('a b', 2)).toBe(deriveClientOrderId('a b', 2, BINANCE_CLIENT_ID_RULES));
  });

  it('an id that does not fit takes the hashed form with a readable prefix', () => {
    const id = deriveClientOrderId('order 1');
    expect(id).toBe(`order1..h${fnv1a64('order 1')}`);
    expect(deriveClientOrderId('order 1', 4)).toBe(`order1..h${fnv1a64('order 1')}..4`);
  });

  it('an id containing the separator always takes the hashed form', () => {
    expect(deriveClientOrderId('a..1')).toBe(`a1..h${fnv1a64('a..1')}`);
    expect(deriveClientOrderId('a--1', 0, BYBIT_CLIENT_ID_RULES)).toBe(`a1--h${fnv1a64('a--1')}`);
    // A single separator character is fine.
    expect(deriveClientOrderId('a.1')).toBe('a.1');
    expect(deriveClientOrderId('a-1', 0, BYBIT_CLIENT_ID_RULES)).toBe('a-1');
  });

  it('a too-long id is hashed and cut to the maximum length', () => {
    const long = 'y'.repeat(100);
    const out = deriveClientOrderId(long);
    expect(out).toHaveLength(36);
    expect(out.endsWith(`..h${fnv1a64(long)}`)).toBe(true);
    expect(out.startsWith('y'.repeat(20))).toBe(true);
  });

  it('an id that fits alone but not with its suffix is hashed for that sequence only', () => {
    const id = 'x'.repeat(36);
    expect(deriveClientOrderId(id, 0)).toBe(id);
    const one = deriveClientOrderId(id, 1);
    expect(one).toHaveLength(36);
    expect(one.endsWith(`..h${fnv1a64(id)}..1`)).toBe(true);
  });

  it('the empty id still yields a valid, non-empty client id', () => {
    expect(deriveClientOrderId('')).toMatch(BINANCE_VALID);
    expect(deriveClientOrderId('', 0, BYBIT_CLIENT_ID_RULES)).toMatch(BYBIT_VALID);
  });

  it.each([-1, -0.5, 0.5, 1.5, NaN, Infinity, -Infinity, 1e21, 2 ** 53])(
    'sequence %p throws a RangeError',
    (seq) => {
      expect(() => deriveClientOrderId('ord-1', seq)).toThrow(RangeError);
      expect(() => deriveClientOrderId('ord 1', seq, BYBIT_CLIENT_ID_RULES)).toThrow(RangeError);
    },
  );

  it('refuses rules too short to hold a hash', () => {
    const tiny: ClientOrderIdRules = { maxLength: 10, allowedChar: /[a-z]/, separator: 'zz' };
    expect(() => deriveClientOrderId('not fitting', 0, tiny)).toThrow(RangeError);
  });
});

describe.each(VENUES)('deriveClientOrderId with %s rules (property-style)', (_name, rules, valid) => {
  it('is deterministic: same input, same output', () => {
    for (const id of IDS.slice(0, 300)) {
      for (const seq of [0, 1, 7]) {
        expect(deriveClientOrderId(id, seq, rules)).toBe(deriveClientOrderId(id, seq, rules));
      }
    }
  });

  it('always gives 1..36 characters of the venue charset', () => {
    const bad: string[] = [];
    for (const id of IDS) {
      for (const seq of SEQUENCES) {
        const out = deriveClientOrderId(id, seq, rules);
        if (!valid.test(out)) bad.push(`${JSON.stringify(id)}#${seq} → ${JSON.stringify(out)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('is injective over every (id, sequence) pair generated', () => {
    const seen = new Map<string, string>();
    const collisions: string[] = [];
    let count = 0;
    for (const id of IDS) {
      for (const seq of SEQUENCES) {
        const out = deriveClientOrderId(id, seq, rules);
        const key = `${JSON.stringify(id)}#${seq}`;
        const before = seen.get(out);
        if (before !== undefined) collisions.push(`${before} and ${key} → ${out}`);
        seen.set(out, key);
        count++;
      }
    }
    expect(collisions).toEqual([]);
    expect(count).toBeGreaterThan(15_000);
  });

  it('keeps ids that fit (and only those) readable as-is', () => {
    for (const id of IDS) {
      const out = deriveClientOrderId(id, 0, rules);
      const fits = valid.test(id) && !id.includes(rules.separator);
      expect(out === id).toBe(fits);
    }
  });

  it('separates the sequence-suffixed ids from the plain ones', () => {
    const sep = rules.separator;
    const pairs: Array<[string, number, string, number]> = [
      [`a${sep}1`, 0, 'a', 1],
      [`a${sep[0]}`, 1, `a${sep}`, 1],
      [`a${sep[0]}`, 1, 'a', 1],
      ['a1', 0, 'a', 1],
      ['a', 11, 'a1', 1],
      ['a', 11, `a${sep}1`, 1],
    ];
    for (const [id1, s1, id2, s2] of pairs) {
      expect(deriveClientOrderId(id1, s1, rules)).not.toBe(deriveClientOrderId(id2, s2, rules));
    }
  });
});

describe('fnv1a64', () => {
  it('matches the published FNV-1a 64-bit test vectors', () => {
    const b36 = (hex: string) => BigInt(hex).toString(36).padStart(13, '0');
    expect(fnv1a64('')).toBe(b36('0xcbf29ce484222325'));
    expect(fnv1a64('a')).toBe(b36('0xaf63dc4c8601ec8c'));
    expect(fnv1a64('foobar')).toBe(b36('0x85944171f73967e8'));
  });

  it('is always 13 base-36 digits', () => {
    for (const id of IDS.slice(0, 500)) expect(fnv1a64(id)).toMatch(/^[0-9a-z]{13}$/);
  });
});

describe('client order id rule sets by name', () => {
  it('maps names to the rules', () => {
    expect(CLIENT_ORDER_ID_RULES.binance).toBe(BINANCE_CLIENT_ID_RULES);
    expect(CLIENT_ORDER_ID_RULES.bybit).toBe(BYBIT_CLIENT_ID_RULES);
    expect(Object.keys(CLIENT_ORDER_ID_RULES).sort()).toEqual(['binance', 'bybit']);
  });

  it.each([
    ['binance', true],
    ['bybit', true],
    ['okx', false],
    ['Binance', false],
    ['', false],
    ['toString', false],
    ['__proto__', false],
    ['hasOwnProperty', false],
  ])('isClientOrderIdRuleName(%p) = %p', (name, expected) => {
    expect(isClientOrderIdRuleName(name)).toBe(expected);
  });

  it('each rule set has a separator made of its own allowed characters', () => {
    for (const rules of [BINANCE_CLIENT_ID_RULES, BYBIT_CLIENT_ID_RULES]) {
      expect([...rules.separator].every((c) => rules.allowedChar.test(c))).toBe(true);
      expect(rules.maxLength).toBe(36);
    }
  });
});
