import { dec, type Decimal } from '../engine/decimal';
import { bybitErrors, type BybitApiError } from './errors';

const DECIMAL_PATTERN = /^\d{1,20}(\.\d{1,20})?$/;
const INTEGER_PATTERN = /^-?\d{1,20}$/;

/**
 * A Bybit v5 request's parameters: the query string of a GET, the JSON body of a POST. Values
 * arrive as strings in a query and as strings, numbers or booleans in JSON; an empty value counts
 * as absent. Unlike Binance, Bybit ignores parameters it does not know (ccxt relies on that: its
 * editOrder, for one, sends its own `clientOrderId` along), so nothing here refuses extras.
 */
export class BybitParams {
  private constructor(private readonly values: ReadonlyMap<string, unknown>) {}

  static fromQuery(rawQuery: string): BybitParams {
    return new BybitParams(new Map(new URLSearchParams(rawQuery)));
  }

  /** An empty body is no parameters; a body that is not a JSON object is a parameter error. */
  static fromJsonBody(rawBody: string): BybitParams {
    if (rawBody.trim() === '') return new BybitParams(new Map());
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody);
    } catch {
      throw bybitErrors.params('request body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw bybitErrors.params('request body must be a JSON object');
    }
    return new BybitParams(new Map(Object.entries(parsed)));
  }

  has(name: string): boolean {
    return this.string(name) !== undefined;
  }

  string(name: string): string | undefined {
    const value = this.values.get(name);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw bybitErrors.params(`${name} invalid`);
  }

  requireString(name: string, missing: () => BybitApiError = () => bybitErrors.parameterEmpty(name)): string {
    return this.string(name) ?? fail(missing());
  }

  decimal(name: string): Decimal | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!DECIMAL_PATTERN.test(value)) throw bybitErrors.params(`${name} invalid`);
    return dec(value);
  }

  integer(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!INTEGER_PATTERN.test(value)) throw bybitErrors.params(`${name} invalid`);
    return Number(value);
  }

  /** An integer in [min, max]; absent → `fallback`. */
  boundedInteger(name: string, fallback: number, min: number, max: number): number {
    const value = this.integer(name);
    if (value === undefined) return fallback;
    if (value < min || value > max) throw bybitErrors.params(`${name} must be in [${min}, ${max}]`);
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], invalid: () => BybitApiError): T | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) throw invalid();
    return value as T;
  }
}

function fail(error: BybitApiError): never {
  throw error;
}
