/**
 * `risk.positionSource` in worker configuration: "venue" (the default, left out of the parsed
 * block) or "ledger"; anything else is refused naming the field.
 */
import { parseWorkerConfig } from '../../../src/workers/config';

function riskOf(risk: unknown) {
  return parseWorkerConfig(JSON.stringify({ venues: {}, risk })).risk;
}

describe('risk.positionSource', () => {
  it('absent: not set, which means the venue (account balances)', () => {
    expect(riskOf(undefined).positionSource).toBeUndefined();
    expect(riskOf({ defaults: { maxPosition: '1' } }).positionSource).toBeUndefined();
  });

  it.each(['venue', 'ledger'] as const)('accepts "%s" beside the limits', (source) => {
    const risk = riskOf({ positionSource: source, defaults: { maxPosition: '2' } });
    expect(risk.positionSource).toBe(source);
    expect(risk.defaults).toEqual({ maxPosition: '2' });
  });

  it.each([['book'], ['Ledger'], [true], [null]])('refuses %j naming the field', (source) => {
    expect(() => riskOf({ positionSource: source })).toThrow(/risk\.positionSource/);
  });
});
