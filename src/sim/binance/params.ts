import { dec, type Decimal } from '../engine/decimal';
import { binanceErrors, type BinanceApiError } from './errors';

const DECIMAL_RANGE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$';
const DECIMAL_PATTERN = new RegExp(DECIMAL_RANGE);
const INTEGER_RANGE = '^-?[0-9]{1,20}$';
const INTEGER_PATTERN = new RegExp(INTEGER_RANGE);
/** Binance's own -1100 message names this range for client order ids. */
const CLIENT_ID_RANGE = '^[\\.A-Z\\:/a-z0-9_-]{1,36}$';
const CLIENT_ID_PATTERN = new RegExp(CLIENT_ID_RANGE);
/** Binance keeps 8 decimal places for every amount. */
const MAX_DECIMALS = 8;

/**
 * A Binance request's parameters (query string and urlencoded body; the query wins when both
 * carry one, as on Binance), with Binance's validation errors. It remembers which parameters
 * an endpoint read, so unexpected ones can be refused with -1104 like the real API does.
 */
export class BinanceParams {
  private readonly read = new Set<string>();

  constructor(private readonly values: ReadonlyMap<string, string>) {}

  static parse(rawQuery: string, rawBody: string): BinanceParams {
    const values = new Map<string, string>();
    for (const source of [rawBody, rawQuery]) {
      for (const [name, value] of new URLSearchParams(source)) values.set(name, value);
    }
    return new BinanceParams(values);
  }

  has(name: string): boolean {
    return (this.values.get(name) ?? '') !== '';
  }

  /** Raw value (an empty value counts as absent), marking the parameter as read. */
  string(name: string): string | undefined {
    this.read.add(name);
    const value = this.values.get(name);
    return value === undefined || value === '' ? undefined : value;
  }

  requireString(name: string): string {
    return this.string(name) ?? fail(binanceErrors.mandatoryParameter(name));
  }

  decimal(name: string): Decimal | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!DECIMAL_PATTERN.test(value)) throw binanceErrors.illegalCharacters(name, DECIMAL_RANGE);
    const decimals = value.split('.')[1]?.replace(/0+$/, '').length ?? 0;
    if (decimals > MAX_DECIMALS) throw binanceErrors.tooMuchPrecision(name);
    return dec(value);
  }

  integer(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!INTEGER_PATTERN.test(value)) throw binanceErrors.illegalCharacters(name, INTEGER_RANGE);
    return Number(value);
  }

  requireInteger(name: string): number {
    return this.integer(name) ?? fail(binanceErrors.mandatoryParameter(name));
  }

  /** An integer within [min, max]; absent → `fallback`. */
  boundedInteger(name: string, fallback: number, min: number, max: number): number {
    const value = this.integer(name);
    if (value === undefined) return fallback;
    if (value < min || value > max) throw binanceErrors.invalidParameterValue(name);
    return value;
  }

  oneOf<T extends string>(
    name: string,
    allowed: readonly T[],
    invalid: () => BinanceApiError,
  ): T | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) throw invalid();
    return value as T;
  }

  requireOneOf<T extends string>(name: string, allowed: readonly T[], invalid: () => BinanceApiError): T {
    return this.oneOf(name, allowed, invalid) ?? fail(binanceErrors.mandatoryParameter(name));
  }

  clientOrderId(name: string): string | undefined {
    const value = this.string(name);
    if (value !== undefined && !CLIENT_ID_PATTERN.test(value))
      throw binanceErrors.illegalCharacters(name, CLIENT_ID_RANGE);
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (value !== 'true' && value !== 'false') throw binanceErrors.invalidParameterValue(name);
    return value === 'true';
  }

  /** Refuses parameters the endpoint did not read (Binance's -1104). */
  assertAllRead(): void {
    const sent = [...this.values.keys()];
    const unread = sent.filter((name) => !this.read.has(name));
    if (unread.length > 0) throw binanceErrors.unreadParameters(sent.length - unread.length, sent.length);
  }

  /** Marks parameters as read without using them (accepted and ignored). */
  accept(...names: string[]): void {
    for (const name of names) this.read.add(name);
  }
}

function fail(error: BinanceApiError): never {
  throw error;
}
