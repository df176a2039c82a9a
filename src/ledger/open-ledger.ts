/**
 * Which ledger to open: ORDO_LEDGER_URL, either `sqlite:<path>` (relative paths from the working
 * directory; `sqlite::memory:` for a private in-memory one) or `postgres://…` /
 * `postgresql://…`; unset, the SQLite file ledger.sqlite under ORDO_DATA_DIR (default .data).
 * The worker and the CLI read the same variables, so `ordo trades` sees what the worker wrote.
 */
import path from 'node:path';
import { openPostgresLedger } from './postgres-ledger';
import { openSqliteLedger } from './sqlite-ledger';
import { type Ledger, LedgerError } from './types';

export function ledgerUrl(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env['ORDO_LEDGER_URL'];
  if (configured !== undefined && configured !== '') return configured;
  return `sqlite:${path.join(env['ORDO_DATA_DIR'] || '.data', 'ledger.sqlite')}`;
}

/** Opens the ledger at this URL (default: from the environment); LedgerError BAD_LEDGER_URL for an unknown scheme. */
export async function openLedger(url: string = ledgerUrl()): Promise<Ledger> {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, ''); // sqlite:///abs/path too
    if (file === '')
      throw new LedgerError('BAD_LEDGER_URL', 'sqlite: needs a file path, e.g. sqlite:.data/ledger.sqlite');
    return openSqliteLedger(file);
  }
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgresLedger(url);
  throw new LedgerError(
    'BAD_LEDGER_URL',
    'ORDO_LEDGER_URL must be sqlite:<path> or postgres://user:password@host:port/database',
  );
}
