/**
 * The legacy listenKey user-data stream: `POST/PUT/DELETE /api/v3/userDataStream` (USER_STREAM
 * security: the X-MBX-APIKEY header, no signature) hand out, keep alive and close a listenKey;
 * `ws://host/ws/<listenKey>` then receives the account's events bare (no subscription wrapper).
 * As on Binance, POST for an account that already has a key answers that same key. Keys do not
 * expire in the simulator (Binance's lapse after 60 minutes without a keepalive).
 */
import { randomBytes } from 'node:crypto';
import type { Account } from '../engine/accounts';
import { json, type ApiRequest, type RequestHandler } from '../http/http-types';
import type { Simulation } from '../simulation';
import { BinanceApiError, binanceErrors } from './errors';
import { binanceErrorResponse } from './fault-responses';
import { BinanceParams } from './params';

export const LISTEN_KEY_PATH = '/api/v3/userDataStream';

const LISTEN_KEY_LENGTH = 60;
const LISTEN_KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const listenKeyErrors = {
  unknownKey: () => new BinanceApiError(400, -1125, 'This listenKey does not exist.'),
};

/** Which account each live listenKey belongs to. */
export class ListenKeyRegistry {
  private readonly accountByKey = new Map<string, string>();
  private readonly keyByAccount = new Map<string, string>();

  open(accountId: string): string {
    const existing = this.keyByAccount.get(accountId);
    if (existing !== undefined) return existing;
    const key = newListenKey();
    this.accountByKey.set(key, accountId);
    this.keyByAccount.set(accountId, key);
    return key;
  }

  accountOf(key: string): string | undefined {
    return this.accountByKey.get(key);
  }

  close(key: string): void {
    const accountId = this.accountByKey.get(key);
    if (accountId === undefined) return;
    this.accountByKey.delete(key);
    this.keyByAccount.delete(accountId);
  }
}

/**
 * The REST half. `onClosed` is told when DELETE retires a key, so its open sockets are closed.
 */
export function createListenKeyApi(
  getSimulation: () => Simulation,
  registry: ListenKeyRegistry,
  onClosed: (key: string) => void,
): RequestHandler {
  return async (request) => {
    try {
      const account = streamAccount(getSimulation(), request);
      const params = BinanceParams.parse(request.rawQuery, request.rawBody);
      switch (request.method) {
        case 'POST':
          params.assertAllRead();
          return json(200, { listenKey: registry.open(account.id) });
        case 'PUT':
        case 'DELETE': {
          const key = params.requireString('listenKey');
          params.assertAllRead();
          if (registry.accountOf(key) !== account.id) throw listenKeyErrors.unknownKey();
          if (request.method === 'DELETE') {
            registry.close(key);
            onClosed(key);
          }
          return json(200, {});
        }
        default:
          throw binanceErrors.unsupportedOperation();
      }
    } catch (error) {
      if (error instanceof BinanceApiError) return binanceErrorResponse(error);
      throw error;
    }
  };
}

/** USER_STREAM security: a known API key in X-MBX-APIKEY, nothing signed. */
function streamAccount(sim: Simulation, request: ApiRequest): Account {
  const header = request.headers['x-mbx-apikey'];
  const apiKey = Array.isArray(header) ? header[0] : header;
  if (apiKey === undefined || apiKey === '') throw binanceErrors.apiKeyFormat();
  const account = sim.accounts.findByApiKey(apiKey);
  if (!account?.credentials) throw binanceErrors.invalidApiKey();
  return account;
}

function newListenKey(): string {
  const bytes = randomBytes(LISTEN_KEY_LENGTH);
  return Array.from(bytes, (byte) => LISTEN_KEY_ALPHABET[byte % LISTEN_KEY_ALPHABET.length]).join('');
}
