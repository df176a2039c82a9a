import {
  Dec,
  add,
  cmp,
  dec,
  isDecimalText,
  isMultipleOfStep,
  isPositive,
  isZero,
  min,
  mul,
  roundToStep,
  sub,
  toDecimalString,
  weightedAverage,
  type StepRounding,
} from '../../src/domain/decimal';

describe('toDecimalString: canonical forms', () => {
  it.each([
    ['1.50', '1.5'],
    ['1e-3', '0.001'],
    ['1E+3', '1000'],
    ['0', '0'],
    ['0.000', '0'],
    ['-0', '0'],
    ['-0.0', '0'],
    ['100', '100'],
    ['100.00', '100'],
    ['10.010', '10.01'],
    ['-2.50', '-2.5'],
    ['.5', '0.5'],
    ['+7', '7'],
    ['0.00000001', '0.00000001'],
    ['1e-12', '0.000000000001'],
    ['1e21', '1000000000000000000000'],
    ['123456789012345678901234567890.123456789', '123456789012345678901234567890.123456789'],
    [0.1, '0.1'],
    [1e-7, '0.0000001'],
    [1e21, '1000000000000000000000'],
    [-0, '0'],
    [60000.5, '60000.5'],
  ])('%p → %p', (input, expected) => {
    expect(toDecimalString(input)).toBe(expected);
  });

  it('accepts a Dec and returns it in canonical form', () => {
    expect(toDecimalString(new Dec('2.500'))).toBe('2.5');
  });

  it('never uses exponent notation', () => {
    for (const text of ['1e-30', '1e30', '-4.2e-25', '9.99e40'])
      expect(toDecimalString(text)).not.toMatch(/e/i);
  });
});

describe('isDecimalText', () => {
  it.each(['1', '0.5', '.5', '1.', '1e-3', '1E3', '-1', '+1', '2.5e+3', '000.100'])(
    '%p is decimal text',
    (text) => {
      expect(isDecimalText(text)).toBe(true);
    },
  );

  it.each([
    '',
    'abc',
    '1,5',
    '1.2.3',
    'NaN',
    'Infinity',
    '-Infinity',
    '0x10',
    '1e',
    'e3',
    '.',
    '- 1',
    ' 1',
    '1 ',
    '1_000',
  ])('%p is not decimal text', (text) => {
    expect(isDecimalText(text)).toBe(false);
  });

  it('whatever it accepts, the decimal library can parse', () => {
    for (const text of ['1', '.5', '1.', '+1', '-0', '1e-3', '000.100']) {
      expect(isDecimalText(text)).toBe(true);
      expect(() => dec(text)).not.toThrow();
    }
  });
});

describe('arithmetic without float artefacts', () => {
  it('0.1 + 0.2 is 0.3', () => {
    expect(add('0.1', '0.2')).toBe('0.3');
    expect(add(0.1, 0.2)).toBe('0.3');
  });

  it.each([
    ['add', add('1.005', '0.005'), '1.01'],
    ['add negative', add('1', '-1.5'), '-0.5'],
    ['sub', sub('0.3', '0.1'), '0.2'],
    ['sub to zero', sub('1.10', '1.1'), '0'],
    ['mul', mul('1.1', '1.1'), '1.21'],
    ['mul price × qty', mul('60000.01', '0.00001'), '0.6000001'],
    ['mul big', mul('123456789.123456789', '1000000000'), '123456789123456789'],
    ['3 × 0.1', mul(3, 0.1), '0.3'],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it('cmp, isZero, isPositive, min', () => {
    expect(cmp('1.0', '1')).toBe(0);
    expect(cmp('0.1', '0.09')).toBe(1);
    expect(cmp('-1', '0')).toBe(-1);
    expect(cmp(0.3, add('0.1', '0.2'))).toBe(0);
    expect(isZero('0.000')).toBe(true);
    expect(isZero('1e-30')).toBe(false);
    expect(isPositive('1e-30')).toBe(true);
    expect(isPositive('0')).toBe(false);
    expect(isPositive('-0.1')).toBe(false);
    expect(min('2.50', '3')).toBe('2.5');
    expect(min('3', '2.50')).toBe('2.5');
    expect(min('1.0', '1')).toBe('1');
  });

  it('dec returns the same Dec instance it is given', () => {
    const d = new Dec('1');
    expect(dec(d)).toBe(d);
  });
});

describe('roundToStep', () => {
  const cases: Array<[string, string, StepRounding, string]> = [
    // lot sizes
    ['0.123456', '0.00001', 'down', '0.12345'],
    ['0.123456', '0.00001', 'up', '0.12346'],
    ['0.123456', '0.00001', 'nearest', '0.12346'],
    ['0.123454', '0.00001', 'nearest', '0.12345'],
    ['0.123455', '0.00001', 'nearest', '0.12346'],
    ['0.12345', '0.00001', 'down', '0.12345'],
    ['0.12345', '0.00001', 'up', '0.12345'],
    ['0.000009', '0.00001', 'down', '0'],
    ['0.000009', '0.00001', 'up', '0.00001'],
    ['7', '0.001', 'down', '7'],
    ['7.5', '1', 'down', '7'],
    ['7.5', '1', 'up', '8'],
    ['7.5', '1', 'nearest', '8'],
    ['1234', '100', 'down', '1200'],
    ['1250', '100', 'nearest', '1300'],
    ['0.35', '0.1', 'nearest', '0.4'],
    ['0.25', '0.5', 'up', '0.5'],
    ['1.3', '0.25', 'down', '1.25'],
    ['1.3', '0.25', 'up', '1.5'],
    // tick sizes
    ['60000.005', '0.01', 'down', '60000'],
    ['60000.005', '0.01', 'up', '60000.01'],
    ['60000.005', '0.01', 'nearest', '60000.01'],
    ['60000.004999', '0.01', 'nearest', '60000'],
    ['59999.999', '0.01', 'up', '60000'],
    ['3000.1234', '0.05', 'nearest', '3000.1'],
    ['3000.125', '0.05', 'nearest', '3000.15'],
    // big and tiny
    ['123456789012345678901.987654321', '0.001', 'down', '123456789012345678901.987'],
    ['123456789012345678901.987654321', '0.001', 'up', '123456789012345678901.988'],
    ['0.000000000000123456', '0.000000000000001', 'down', '0.000000000000123'],
    ['0.000000000000123456', '0.000000000000001', 'up', '0.000000000000124'],
    ['1e-18', '1e-8', 'up', '0.00000001'],
    ['1e-18', '1e-8', 'down', '0'],
    ['98765432109876.54321', '1000', 'nearest', '98765432110000'],
    // negative values
    ['-1.25', '0.1', 'down', '-1.3'],
    ['-1.25', '0.1', 'up', '-1.2'],
  ];

  it.each(cases)('%s step %s %s → %s', (value, step, mode, expected) => {
    const out = roundToStep(value, step, mode);
    expect(out).toBe(expected);
    expect(isMultipleOfStep(out, step)).toBe(true);
  });

  it('rounds down by default (never trade more than asked)', () => {
    expect(roundToStep('0.123456', '0.00001')).toBe('0.12345');
  });

  it('accepts numbers for value and step', () => {
    expect(roundToStep(0.123456, 0.00001, 'up')).toBe('0.12346');
  });

  it('down never exceeds the value, up never goes below, nearest stays within half a step', () => {
    const values = ['0.1', '0.123456789', '1.999999', '60000.005', '3.14159', '42', '0.00001'];
    const steps = ['0.00001', '0.001', '0.01', '0.05', '0.25', '1', '10'];
    for (const v of values) {
      for (const s of steps) {
        const down = roundToStep(v, s, 'down');
        const up = roundToStep(v, s, 'up');
        const nearest = roundToStep(v, s, 'nearest');
        expect(cmp(down, v)).toBeLessThanOrEqual(0);
        expect(cmp(up, v)).toBeGreaterThanOrEqual(0);
        expect(cmp(sub(up, down), s)).toBeLessThanOrEqual(0);
        expect(dec(nearest).minus(v).abs().lessThanOrEqualTo(dec(s).dividedBy(2))).toBe(true);
        for (const r of [down, up, nearest]) expect(isMultipleOfStep(r, s)).toBe(true);
      }
    }
  });

  it.each(['0', '-0.01', '0.000', -1, 0])('step %p throws a RangeError', (step) => {
    expect(() => roundToStep('1', step)).toThrow(RangeError);
    expect(() => roundToStep('1', step, 'up')).toThrow(/step must be positive/);
  });
});

describe('isMultipleOfStep', () => {
  it.each([
    ['0.12345', '0.00001', true],
    ['0.123456', '0.00001', false],
    ['60000.01', '0.01', true],
    ['60000.005', '0.01', false],
    ['0', '0.01', true],
    ['1.5', '0.5', true],
    ['1.6', '0.5', false],
    ['0.3', '0.1', true],
    ['1000', '100', true],
    ['1050', '100', false],
    ['1.25', '0.25', true],
    ['1e-8', '1e-8', true],
    ['123456789012345678901.987', '0.001', true],
    ['123456789012345678901.9875', '0.001', false],
  ])('%s multiple of %s → %p', (value, step, expected) => {
    expect(isMultipleOfStep(value, step)).toBe(expected);
  });

  it('works with floats that are not exact in binary', () => {
    expect(isMultipleOfStep(0.3, 0.1)).toBe(true);
    expect(isMultipleOfStep(add(0.1, 0.2), '0.1')).toBe(true);
  });
});

describe('weightedAverage', () => {
  it('is undefined without fills, or when nothing filled', () => {
    expect(weightedAverage([])).toBeUndefined();
    expect(weightedAverage([{ quantity: '0', price: '100' }])).toBeUndefined();
  });

  it('is the price of a single fill', () => {
    expect(weightedAverage([{ quantity: '0.5', price: '60000.50' }])).toBe('60000.5');
  });

  it('weights by quantity', () => {
    expect(
      weightedAverage([
        { quantity: '1', price: '100' },
        { quantity: '3', price: '200' },
      ]),
    ).toBe('175');
    expect(
      weightedAverage([
        { quantity: '0.1', price: '60000' },
        { quantity: '0.2', price: '60000.03' },
      ]),
    ).toBe('60000.02');
  });

  it('keeps 20 significant digits on a repeating result', () => {
    expect(
      weightedAverage([
        { quantity: '1', price: '1' },
        { quantity: '2', price: '2' },
      ]),
    ).toBe('1.6666666666666666667');
  });

  it('has no float artefacts', () => {
    expect(
      weightedAverage([
        { quantity: '0.1', price: '0.1' },
        { quantity: '0.2', price: '0.1' },
      ]),
    ).toBe('0.1');
  });
});
