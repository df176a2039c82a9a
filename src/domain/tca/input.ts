/**
 * Checks of TCA inputs, so a malformed number is refused by name (INVALID_TCA_INPUT) instead of
 * surfacing as a decimal.js exception or a NaN latency.
 */
import { isDecimalText, isPositive } from '../decimal';
import { TcaError } from './types';

export function requireDecimal(name: string, value: unknown): string {
  if (typeof value !== 'string' || !isDecimalText(value))
    throw new TcaError('INVALID_TCA_INPUT', `${name} must be a decimal string, got ${String(value)}`);
  return value;
}

export function requirePositive(name: string, value: unknown): string {
  const text = requireDecimal(name, value);
  if (!isPositive(text)) throw new TcaError('INVALID_TCA_INPUT', `${name} must be positive, got ${text}`);
  return text;
}

/** Milliseconds since the epoch of an ISO-8601 time. */
export function requireTime(name: string, value: unknown): number {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms))
    throw new TcaError('INVALID_TCA_INPUT', `${name} must be an ISO-8601 time, got ${String(value)}`);
  return ms;
}
