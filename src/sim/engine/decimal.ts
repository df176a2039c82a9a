import DecimalJs from 'decimal.js';

/**
 * Decimal arithmetic for every price, quantity and balance in the simulator: money is never a
 * float. A private clone so our precision/rounding never leaks into (or from) other modules.
 * `toExpNeg/toExpPos` keep toString() free of exponents, so it is safe for map keys and output.
 */
export const Decimal = DecimalJs.clone({
  precision: 40,
  rounding: DecimalJs.ROUND_HALF_UP,
  toExpNeg: -40,
  toExpPos: 40,
});
export type Decimal = DecimalJs;
export type DecimalValue = DecimalJs.Value;

export const ZERO: Decimal = new Decimal(0);

export function dec(value: DecimalValue): Decimal {
  return new Decimal(value);
}

export function minOf(a: Decimal, b: Decimal): Decimal {
  return a.lte(b) ? a : b;
}

export function maxOf(a: Decimal, b: Decimal): Decimal {
  return a.gte(b) ? a : b;
}

/** True when `value` is a whole number of `step`s (a zero step means "no step constraint"). */
export function isMultipleOf(value: Decimal, step: Decimal): boolean {
  return step.isZero() || value.mod(step).isZero();
}

/** Largest multiple of `step` not above `value` (a zero step leaves the value as is). */
export function floorToStep(value: Decimal, step: Decimal): Decimal {
  if (step.isZero()) return value;
  return value.div(step).floor().mul(step);
}

/** Smallest multiple of `step` not below `value`. */
export function ceilToStep(value: Decimal, step: Decimal): Decimal {
  if (step.isZero()) return value;
  return value.div(step).ceil().mul(step);
}

/** Nearest multiple of `step` (ties to even), so repeated rounding does not drift either way. */
export function roundToStep(value: Decimal, step: Decimal): Decimal {
  if (step.isZero()) return value;
  return value.div(step).toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN).mul(step);
}
