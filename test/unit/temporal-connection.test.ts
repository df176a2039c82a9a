/** Temporal credentials from the environment: API key, mTLS files, CA, plain TLS, and refusals. */
import {
  TemporalConnectionError,
  describeCredentials,
  temporalCredentials,
} from '../../src/client/temporal-connection';

const files: Record<string, string> = { '/c.pem': 'CERT', '/k.pem': 'KEY', '/ca.pem': 'CA' };
const readFile = (path: string): Buffer => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: ${path}`);
  return Buffer.from(text);
};

test('nothing set: plaintext (the dev server, compose)', () => {
  const credentials = temporalCredentials({}, readFile);
  expect(credentials).toEqual({});
  expect(describeCredentials(credentials)).toBe('plaintext');
});

test('an API key (Temporal Cloud) implies TLS', () => {
  const credentials = temporalCredentials({ TEMPORAL_API_KEY: 'secret-key' }, readFile);
  expect(credentials).toEqual({ tls: true, apiKey: 'secret-key' });
  expect(describeCredentials(credentials)).toBe('TLS + API key');
  expect(describeCredentials(credentials)).not.toContain('secret');
});

test('mTLS: the certificate pair and a private CA are read from their files', () => {
  const credentials = temporalCredentials(
    { TEMPORAL_TLS_CERT: '/c.pem', TEMPORAL_TLS_KEY: '/k.pem', TEMPORAL_TLS_CA: '/ca.pem' },
    readFile,
  );
  expect(credentials.tls).toEqual({
    clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') },
    serverRootCACertificate: Buffer.from('CA'),
  });
  expect(describeCredentials(credentials)).toBe('TLS + client certificate');
});

test('TEMPORAL_TLS=true: TLS without a client certificate; empty values count as unset', () => {
  expect(temporalCredentials({ TEMPORAL_TLS: 'true', TEMPORAL_API_KEY: '' }, readFile)).toEqual({
    tls: true,
  });
});

test.each([
  [{ TEMPORAL_TLS_CERT: '/c.pem' }, 'TLS_CERT_WITHOUT_KEY'],
  [{ TEMPORAL_TLS_KEY: '/k.pem' }, 'TLS_KEY_WITHOUT_CERT'],
  [{ TEMPORAL_TLS_CERT: '/c.pem', TEMPORAL_TLS_KEY: '/missing.pem' }, 'TLS_FILE_UNREADABLE'],
])('refuses %j with %s', (env, code) => {
  let error: unknown;
  try {
    temporalCredentials(env, readFile);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(TemporalConnectionError);
  expect((error as TemporalConnectionError).code).toBe(code);
});
