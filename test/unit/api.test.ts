/**
 * The HTTP API's rules that need nothing running: the bind/auth rule (no token beyond loopback),
 * the bearer check, the OpenAPI document against the validator, the error mapping, and the
 * request log line (order id on it, token never). Routes end to end: test/temporal/api.test.ts.
 */
import { Writable } from 'node:stream';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { buildApi } from '../../src/api/app';
import { bearerMatches } from '../../src/api/auth';
import { ApiConfigError, apiConfig, isLoopback } from '../../src/api/config';
import { errorResponse, refusalCode } from '../../src/api/errors';
import { openApiDocument } from '../../src/api/openapi';
import { CommandRefusedError } from '../../src/client/workflows';
import { validateOrderRequest } from '../../src/domain/order-request';
import type { Ledger } from '../../src/ledger/types';
import { REDACTED_PATHS } from '../../src/workers/logger';

describe('apiConfig: refuses to serve beyond loopback without a token', () => {
  test.each(['0.0.0.0', '192.168.1.20', '::', 'api.example.com'])(
    '%s without a token: API_TOKEN_REQUIRED',
    (host) => {
      const attempt = () => apiConfig({ ORDO_API_HOST: host });
      expect(attempt).toThrow(ApiConfigError);
      expect(attempt).toThrow(/^API_TOKEN_REQUIRED/);
      expect(() => apiConfig({ ORDO_API_HOST: host, ORDO_API_TOKEN: '' })).toThrow(/^API_TOKEN_REQUIRED/);
    },
  );

  test('beyond loopback with a token; loopback without one; defaults 127.0.0.1:8080', () => {
    expect(apiConfig({ ORDO_API_HOST: '0.0.0.0', ORDO_API_TOKEN: 's3cret' })).toEqual({
      host: '0.0.0.0',
      port: 8080,
      token: 's3cret',
    });
    expect(apiConfig({})).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(apiConfig({ ORDO_API_HOST: 'localhost', ORDO_API_PORT: '9000' })).toEqual({
      host: 'localhost',
      port: 9000,
    });
    expect(() => apiConfig({ ORDO_API_PORT: 'http' })).toThrow(/^INVALID_API_PORT/);
  });

  test('isLoopback', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST'])
      expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'localhost.example.com', ''])
      expect(isLoopback(host)).toBe(false);
  });
});

test('bearerMatches: exactly "Bearer <token>"', () => {
  expect(bearerMatches('Bearer abc', 'abc')).toBe(true);
  expect(bearerMatches('bearer abc', 'abc')).toBe(true);
  expect(bearerMatches('Bearer abcd', 'abc')).toBe(false);
  expect(bearerMatches('Bearer ab', 'abc')).toBe(false);
  expect(bearerMatches('abc', 'abc')).toBe(false);
  expect(bearerMatches('Basic abc', 'abc')).toBe(false);
  expect(bearerMatches(undefined, 'abc')).toBe(false);
});

test('the OpenAPI OrderRequest has only fields the order validator knows, and its required ones', () => {
  const doc = openApiDocument() as {
    components: { schemas: { OrderRequest: { properties: Record<string, unknown>; required: string[] } } };
  };
  const { properties, required } = doc.components.schemas.OrderRequest;
  for (const field of Object.keys(properties)) {
    const result = validateOrderRequest({ [field]: null });
    const issues = result.ok ? [] : result.issues;
    expect(issues.filter((i) => i.code === 'UNKNOWN_FIELD')).toEqual([]);
  }
  // What the validator requires the document requires (venue: the API defaults it to sim).
  const missing = validateOrderRequest({});
  const requiredByValidator = (missing.ok ? [] : missing.issues)
    .map((i) => i.field)
    .filter((f) => f !== 'venue');
  expect([...required].sort()).toEqual([...requiredByValidator].sort());
});

test('errorResponse: typed codes and statuses', () => {
  const refused = errorResponse(new CommandRefusedError('ORDER_ENDED: order is already FILLED'));
  expect(refused).toEqual({
    status: 409,
    body: { code: 'ORDER_ENDED', message: 'ORDER_ENDED: order is already FILLED' },
  });
  expect(refusalCode('no code here')).toBe('REFUSED');
  const crash = errorResponse(new Error('secret internals'));
  expect(crash.status).toBe(500);
  expect(JSON.stringify(crash.body)).not.toContain('secret internals');
});

test('request log lines carry the order id and never the token', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ level: 'info', redact: REDACTED_PATHS }, sink);
  const app = buildApi({
    // Never reached: the requests below are refused (401) or served without Temporal.
    client: {} as Client,
    taskQueue: 'unit',
    ledger: {} as Ledger,
    logger,
    token: 'tok-very-secret',
  });
  const refused = await app.inject({
    method: 'GET',
    url: '/orders/ord-42',
    headers: { authorization: 'Bearer nope' },
  });
  expect(refused.statusCode).toBe(401);
  const served = await app.inject({
    method: 'GET',
    url: '/openapi.json',
    headers: { authorization: 'Bearer tok-very-secret' },
  });
  expect(served.statusCode).toBe(200);
  await app.close();
  const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(records.find((r) => r['url'] === '/orders/ord-42')).toMatchObject({
    orderId: 'ord-42',
    statusCode: 401,
  });
  expect(records.find((r) => r['url'] === '/openapi.json')).toMatchObject({ statusCode: 200 });
  expect(lines.join('')).not.toContain('tok-very-secret');
});
