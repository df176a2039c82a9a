/**
 * pino JSON logs for the worker. Temporal's runtime, workflow and activity logs are routed here
 * with their context (workflowId = orderId, runId, activity) on every line. Secrets are redacted
 * wherever they might appear.
 */
import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';
import pino, { type Logger } from 'pino';

export const REDACTED_PATHS = [
  'apiKey',
  'secret',
  'password',
  'signature',
  '*.apiKey',
  '*.secret',
  '*.password',
  '*.signature',
  '*.*.apiKey',
  '*.*.secret',
  'headers["X-MBX-APIKEY"]',
  '*.headers["X-MBX-APIKEY"]',
  // The HTTP API's bearer token (src/api), should a request's headers ever be logged.
  'token',
  'headers.authorization',
  '*.headers.authorization',
];

export function createLogger(name: string, level = process.env['ORDO_LOG_LEVEL'] ?? 'info'): Logger {
  return pino({ name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Temporal's logger interface on top of pino; orderId is the workflow id by construction. */
export function temporalLogger(logger: Logger, level: LogLevel = 'INFO'): DefaultLogger {
  return new DefaultLogger(level, (entry: LogEntry) => {
    const meta = entry.meta ?? {};
    const workflowId = typeof meta['workflowId'] === 'string' ? meta['workflowId'] : undefined;
    const fields = workflowId === undefined ? meta : { orderId: workflowId, ...meta };
    logger[PINO_LEVEL[entry.level]](fields, entry.message);
  });
}
