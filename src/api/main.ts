/**
 * `make api`: the HTTP API process. Configuration from the environment (config.ts, and the same
 * TEMPORAL_* / ORDO_TASK_QUEUE / ORDO_LEDGER_URL / ORDO_DATA_DIR as the CLI). Refuses to start,
 * exit 1, when bound beyond loopback without ORDO_API_TOKEN. The token is never logged.
 */
import { clientEnvironment, connectClient } from '../client/connection';
import { openLedger } from '../ledger/open-ledger';
import { createLogger } from '../workers/logger';
import { buildApi } from './app';
import { ApiConfigError, apiConfig } from './config';

async function main(): Promise<void> {
  const logger = createLogger('ordo-api');
  let config;
  try {
    config = apiConfig();
  } catch (err) {
    if (!(err instanceof ApiConfigError)) throw err;
    logger.fatal({ code: err.code }, err.message);
    process.exit(1);
  }
  const env = clientEnvironment();
  const client = await connectClient(env);
  const ledger = await openLedger();
  const app = buildApi({
    client,
    taskQueue: env.taskQueue,
    ledger,
    logger,
    ...(config.token === undefined ? {} : { token: config.token }),
  });
  await app.listen({ host: config.host, port: config.port });
  logger.info(
    {
      host: config.host,
      port: config.port,
      auth: config.token === undefined ? 'none (loopback)' : 'bearer',
      ledger: ledger.description,
    },
    'api started',
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'api stopping');
    await app.close();
    await ledger.close();
    await client.connection.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`ordo api: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
