import { VenueError, safeMessage } from '../../src/venues/errors';

describe('venue error messages are fit to keep in state, histories and logs', () => {
  it('redacts signatures in quoted request URLs', () => {
    const raw =
      'binance GET http://127.0.0.1:8300/api/v3/order?symbol=BTCUSDT&timestamp=1&recvWindow=10000&signature=7a99f0c1d2 502 Bad Gateway';
    const message = new VenueError('unknown_outcome', 'VENUE_UNAVAILABLE', raw).message;
    expect(message).not.toContain('7a99f0c1d2');
    expect(message).toContain('signature=[redacted]');
    expect(message).toContain('502 Bad Gateway');
  });

  it('drops HTML markup and caps the length', () => {
    const page = `<html><head><title>502 Bad Gateway</title></head><body>${'x'.repeat(1_000)}</body></html>`;
    const message = safeMessage(`binance ${page}`);
    expect(message).not.toMatch(/<[a-z/]/i);
    expect(message.startsWith('binance 502 Bad Gateway')).toBe(true);
    expect(message.length).toBeLessThanOrEqual(301);
  });

  it('keeps an ordinary venue message as it is', () => {
    const text = 'binance {"code":-2010,"msg":"Account has insufficient balance for requested action."}';
    expect(safeMessage(text)).toBe(text);
  });
});
