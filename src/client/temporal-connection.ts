/**
 * How the worker and the clients reach Temporal: the address, and for Temporal Cloud (or any
 * server behind TLS) its credentials, from environment variables (never from workflow inputs):
 *
 *   TEMPORAL_API_KEY        an API key (Temporal Cloud); implies TLS
 *   TEMPORAL_TLS_CERT/_KEY  paths to a client certificate and its key (mTLS); both or neither
 *   TEMPORAL_TLS_CA         path to the server's root CA (a private CA), optional
 *   TEMPORAL_TLS            "true": TLS without a client certificate
 *
 * The key and certificates are read from files here and handed to the SDK; they are never logged.
 */
import { readFileSync } from 'node:fs';

export interface TemporalCredentials {
  tls?: boolean | { clientCertPair?: { crt: Buffer; key: Buffer }; serverRootCACertificate?: Buffer };
  apiKey?: string;
}

export class TemporalConnectionError extends Error {
  override readonly name = 'TemporalConnectionError';
  constructor(
    readonly code: 'TLS_KEY_WITHOUT_CERT' | 'TLS_CERT_WITHOUT_KEY' | 'TLS_FILE_UNREADABLE',
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export function temporalCredentials(
  env: NodeJS.ProcessEnv = process.env,
  readFile: (path: string) => Buffer = (path) => readFileSync(path),
): TemporalCredentials {
  const value = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const cert = value('TEMPORAL_TLS_CERT');
  const key = value('TEMPORAL_TLS_KEY');
  const ca = value('TEMPORAL_TLS_CA');
  const apiKey = value('TEMPORAL_API_KEY');
  if (cert !== undefined && key === undefined)
    throw new TemporalConnectionError(
      'TLS_CERT_WITHOUT_KEY',
      'TEMPORAL_TLS_CERT is set, TEMPORAL_TLS_KEY is not',
    );
  if (key !== undefined && cert === undefined)
    throw new TemporalConnectionError(
      'TLS_KEY_WITHOUT_CERT',
      'TEMPORAL_TLS_KEY is set, TEMPORAL_TLS_CERT is not',
    );
  const read = (name: string, path: string): Buffer => {
    try {
      return readFile(path);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new TemporalConnectionError('TLS_FILE_UNREADABLE', `${name} (${path}): ${why}`);
    }
  };
  const tlsOptions = {
    ...(cert !== undefined && key !== undefined
      ? { clientCertPair: { crt: read('TEMPORAL_TLS_CERT', cert), key: read('TEMPORAL_TLS_KEY', key) } }
      : {}),
    ...(ca === undefined ? {} : { serverRootCACertificate: read('TEMPORAL_TLS_CA', ca) }),
  };
  const wantsTls =
    apiKey !== undefined || value('TEMPORAL_TLS') === 'true' || Object.keys(tlsOptions).length > 0;
  return {
    ...(wantsTls ? { tls: Object.keys(tlsOptions).length > 0 ? tlsOptions : true } : {}),
    ...(apiKey === undefined ? {} : { apiKey }),
  };
}

/** For logs: how the connection is secured, without any secret. */
export function describeCredentials(credentials: TemporalCredentials): string {
  if (credentials.tls === undefined) return 'plaintext';
  const parts = ['TLS'];
  if (typeof credentials.tls === 'object' && credentials.tls.clientCertPair !== undefined)
    parts.push('client certificate');
  if (credentials.apiKey !== undefined) parts.push('API key');
  return parts.join(' + ');
}
