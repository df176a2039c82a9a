/**
 * Decimal math for money. Quantities and prices travel as decimal strings and are computed with
 * decimal.js, never with floats. A dedicated Decimal clone keeps our precision/rounding settings
 * independent of anything else that imports decimal.js.
 */
import DecimalJs from 'decimal.js';

export const Dec = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });
export type Dec = InstanceType<typeof Dec>;
export type DecimalInput = string | number | Dec;

const DECIMAL_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Largest decimal exponent we accept. Money never needs more, and an unbounded exponent
 * ("1e9000000000") would expand to a string that exhausts memory.
 */
export const MAX_DECIMAL_EXPONENT = 40;

/** True when the text is a plain finite decimal number ("1", "0.5", "1e-3") of sane magnitude. */
export function isDecimalText(text: string): boolean {
  if (text.length > 100 || !DECIMAL_PATTERN.test(text)) return false;
  const d = new Dec(text);
  return d.isZero() || Math.abs(d.e) <= MAX_DECIMAL_EXPONENT;
}

export function dec(value: DecimalInput): Dec {
  return value instanceof Dec ? value : new Dec(value);
}

/** Canonical decimal string: no exponent, no trailing zeros ("1.50" → "1.5", "1e-3" → "0.001"). */
export function toDecimalString(value: DecimalInput): string {
  const d = dec(value);
  if (d.isZero()) return '0';
  const fixed = d.toFixed();
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

export function add(a: DecimalInput, b: DecimalInput): string {
  return toDecimalString(dec(a).plus(dec(b)));
}

export function sub(a: DecimalInput, b: DecimalInput): string {
  return toDecimalString(dec(a).minus(dec(b)));
}

export function mul(a: DecimalInput, b: DecimalInput): string {
  return toDecimalString(dec(a).times(dec(b)));
}

export function cmp(a: DecimalInput, b: DecimalInput): -1 | 0 | 1 {
  return dec(a).comparedTo(dec(b)) as -1 | 0 | 1;
}

export function isZero(a: DecimalInput): boolean {
  return dec(a).isZero();
}

export function isPositive(a: DecimalInput): boolean {
  return dec(a).greaterThan(0);
}

export function min(a: DecimalInput, b: DecimalInput): string {
  return cmp(a, b) <= 0 ? toDecimalString(a) : toDecimalString(b);
}

export type StepRounding = 'down' | 'up' | 'nearest';

/**
 * Rounds to a multiple of `step` (a lot size or tick size). `down` is the safe default for
 * quantities (never trade more than asked); prices pick the direction that protects the order.
 */
export function roundToStep(value: DecimalInput, step: DecimalInput, mode: StepRounding = 'down'): string {
  const s = dec(step);
  if (!s.greaterThan(0)) throw new RangeError(`step must be positive, got ${toDecimalString(s)}`);
  const units = dec(value).dividedBy(s);
  const rounded =
    mode === 'down'
      ? units.toDecimalPlaces(0, Dec.ROUND_FLOOR)
      : mode === 'up'
        ? units.toDecimalPlaces(0, Dec.ROUND_CEIL)
        : units.toDecimalPlaces(0, Dec.ROUND_HALF_UP);
  return toDecimalString(rounded.times(s));
}

export function isMultipleOfStep(value: DecimalInput, step: DecimalInput): boolean {
  return dec(value).modulo(dec(step)).isZero();
}

/** Volume-weighted average of fills; undefined when nothing filled. */
export function weightedAverage(
  fills: ReadonlyArray<{ quantity: string; price: string }>,
): string | undefined {
  let quantity = new Dec(0);
  let notional = new Dec(0);
  for (const f of fills) {
    quantity = quantity.plus(f.quantity);
    notional = notional.plus(dec(f.quantity).times(f.price));
  }
  return quantity.isZero()
    ? undefined
    : toDecimalString(notional.dividedBy(quantity).toSignificantDigits(20));
}
