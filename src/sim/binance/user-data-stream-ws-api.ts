/**
 * One connection to the simulated Binance WebSocket API (`/ws-api/v3`), limited to what a
 * user-data stream needs: `userDataStream.subscribe.signature`, `userDataStream.unsubscribe`,
 * `session.subscriptions`, `ping` and `time`. Requests and answers have Binance's shapes:
 *
 *   → {"id":"1","method":"userDataStream.subscribe.signature","params":{"apiKey","timestamp","signature"}}
 *   ← {"id":"1","status":200,"result":{"subscriptionId":0}}
 *   ← {"subscriptionId":0,"event":{"e":"executionReport",...}}
 *   ← {"id":"2","status":400,"error":{"code":-1022,"msg":"Signature for this request is not valid."}}
 *
 * The signature is checked exactly as for signed REST requests (auth.ts): HMAC-SHA256 of every
 * parameter but `signature`, sorted by name, as `name=value` joined by `&`; same timestamp and
 * recvWindow rules against the venue's (possibly skewed) clock.
 */
import type { Account } from '../engine/accounts';
import type { Simulation } from '../simulation';
import { checkTimestamp, DEFAULT_RECV_WINDOW_MS, MAX_RECV_WINDOW_MS, verifySignature } from './auth';
import { BinanceApiError, binanceErrors } from './errors';
import { serverTime } from './request-helpers';
import type { UserDataHub } from './user-data-stream-hub';

type RequestId = string | number | null;
type Params = Record<string, unknown>;

const SUBSCRIBE_PARAMS = new Set(['apiKey', 'timestamp', 'recvWindow', 'signature']);

/** WebSocket-API-only refusals, in Binance's codes and words. */
const wsApiErrors = {
  invalidJson: () => new BinanceApiError(400, -1135, 'Invalid JSON Request'),
  unknownMethod: () => new BinanceApiError(400, -1020, 'This operation is not supported.'),
  // Binance 2025: a second subscription of the same account on one connection is refused.
  alreadySubscribed: () => new BinanceApiError(400, -2035, 'User Data Stream subscription already active.'),
  notSubscribed: () => new BinanceApiError(400, -2036, 'User Data Stream subscription not active.'),
};

export class WsApiSession {
  /** subscriptionId → account and how to stop its delivery. Ids count from 0 per connection. */
  private readonly subscriptions = new Map<number, { accountId: string; stop: () => void }>();
  private nextSubscriptionId = 0;

  constructor(
    private readonly getSimulation: () => Simulation,
    private readonly hub: UserDataHub,
    private readonly send: (message: unknown) => void,
  ) {}

  /** Answers one text frame (one request). */
  handle(text: string): void {
    let request: unknown;
    try {
      request = JSON.parse(text);
    } catch {
      this.fail(null, wsApiErrors.invalidJson());
      return;
    }
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      this.fail(null, wsApiErrors.invalidJson());
      return;
    }
    const { id: rawId, method, params } = request as { id?: unknown; method?: unknown; params?: unknown };
    const id: RequestId = typeof rawId === 'string' || typeof rawId === 'number' ? rawId : null;
    try {
      if (typeof method !== 'string' || method === '') throw binanceErrors.mandatoryParameter('method');
      if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) {
        throw binanceErrors.invalidParameterValue('params');
      }
      const result = this.call(method.replace(/^v3\//, ''), (params ?? {}) as Params);
      this.send({ id, status: 200, result });
    } catch (error) {
      if (!(error instanceof BinanceApiError)) throw error;
      this.fail(id, error);
    }
  }

  /** The connection closed: its subscriptions end with it. */
  close(): void {
    for (const { stop } of this.subscriptions.values()) stop();
    this.subscriptions.clear();
  }

  subscriptionCount(): number {
    return this.subscriptions.size;
  }

  private call(method: string, params: Params): unknown {
    switch (method) {
      case 'ping':
        this.noParams(params);
        return {};
      case 'time':
        this.noParams(params);
        return { serverTime: serverTime(this.getSimulation()) };
      case 'userDataStream.subscribe.signature':
        return { subscriptionId: this.subscribe(this.authenticate(params)) };
      case 'userDataStream.unsubscribe':
        this.unsubscribe(params);
        return {};
      case 'session.subscriptions':
        this.noParams(params);
        return [...this.subscriptions.keys()].map((subscriptionId) => ({ subscriptionId }));
      default:
        throw wsApiErrors.unknownMethod();
    }
  }

  private authenticate(params: Params): Account {
    const sent = Object.keys(params);
    const unknown = sent.filter((name) => !SUBSCRIBE_PARAMS.has(name));
    if (unknown.length > 0) throw binanceErrors.unreadParameters(sent.length - unknown.length, sent.length);
    const apiKey = params.apiKey;
    if (typeof apiKey !== 'string' || apiKey === '') throw binanceErrors.mandatoryParameter('apiKey');
    const sim = this.getSimulation();
    const account = sim.accounts.findByApiKey(apiKey);
    if (!account?.credentials) throw binanceErrors.invalidApiKey();
    const signature = params.signature;
    if (typeof signature !== 'string' || signature === '')
      throw binanceErrors.mandatoryParameter('signature');
    const timestamp = integerParam(params, 'timestamp');
    if (timestamp === undefined) throw binanceErrors.mandatoryParameter('timestamp');
    const recvWindow = integerParam(params, 'recvWindow') ?? DEFAULT_RECV_WINDOW_MS;
    if (recvWindow > MAX_RECV_WINDOW_MS) throw binanceErrors.recvWindowTooLarge();
    verifySignature(signaturePayload(params), signature, account.credentials.secret);
    checkTimestamp(timestamp, recvWindow, serverTime(sim));
    return account;
  }

  private subscribe(account: Account): number {
    for (const subscription of this.subscriptions.values()) {
      if (subscription.accountId === account.id) throw wsApiErrors.alreadySubscribed();
    }
    const subscriptionId = this.nextSubscriptionId++;
    const stop = this.hub.subscribe(account.id, (event) => this.send({ subscriptionId, event }));
    this.subscriptions.set(subscriptionId, { accountId: account.id, stop });
    return subscriptionId;
  }

  /** With `subscriptionId`: that subscription; without: every subscription of the connection. */
  private unsubscribe(params: Params): void {
    const sent = Object.keys(params);
    if (sent.some((name) => name !== 'subscriptionId')) {
      throw binanceErrors.unreadParameters(sent.includes('subscriptionId') ? 1 : 0, sent.length);
    }
    if (params.subscriptionId === undefined) {
      this.close();
      return;
    }
    const subscriptionId = integerParam(params, 'subscriptionId');
    const subscription = subscriptionId === undefined ? undefined : this.subscriptions.get(subscriptionId);
    if (subscriptionId === undefined || !subscription) throw wsApiErrors.notSubscribed();
    subscription.stop();
    this.subscriptions.delete(subscriptionId);
  }

  private noParams(params: Params): void {
    const sent = Object.keys(params).length;
    if (sent > 0) throw binanceErrors.unreadParameters(0, sent);
  }

  private fail(id: RequestId, error: BinanceApiError): void {
    this.send({ id, status: error.httpStatus, error: { code: error.code, msg: error.msg } });
  }
}

/** The string a WebSocket API request signs: every parameter but `signature`, sorted by name. */
export function signaturePayload(params: Params): string {
  return Object.keys(params)
    .filter((name) => name !== 'signature')
    .sort()
    .map((name) => `${name}=${String(params[name])}`)
    .join('&');
}

/** An integer sent as a JSON number or a string of digits; malformed → -1102 (as Binance words it). */
function integerParam(params: Params, name: string): number | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  throw binanceErrors.mandatoryParameter(name);
}
