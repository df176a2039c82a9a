/**
 * The simulator's WebSocket side, on the simulator's own HTTP port (HTTP upgrade):
 *
 * - `/ws-api/v3` — Binance's WebSocket API, for `userDataStream.subscribe.signature` (what
 *   ccxt.pro.binance uses for spot watchOrders / watchMyTrades / watchBalance);
 * - `/ws/<listenKey>` — the legacy listenKey stream (bare events).
 *
 * An admin switch (`POST /admin/stream {"down": true}`) cuts every user-data socket abruptly
 * (no close frame: the client sees 1006, as when a venue's stream dies) and refuses new upgrades
 * with HTTP 503 until it is switched back up: what tests of a polling fallback need.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Simulation } from '../simulation';
import { UserDataHub } from './user-data-stream-hub';
import { createListenKeyApi, ListenKeyRegistry } from './user-data-stream-listen-key';
import { WsApiSession } from './user-data-stream-ws-api';
import type { RequestHandler } from '../http/http-types';

export const WS_API_PATH = '/ws-api/v3';
const LISTEN_KEY_STREAM_PREFIX = '/ws/';
/** Requests are tiny; anything bigger is not a client of this API. */
const MAX_FRAME_BYTES = 64 * 1024;

export interface UserDataStreamStatus {
  down: boolean;
  /** Open user-data sockets (WebSocket API and listenKey streams). */
  connections: number;
  /** Live subscriptions (WebSocket API subscriptions + listenKey sockets). */
  subscriptions: number;
  /** Messages delivered per account (API key) since start. */
  messagesSent: Record<string, number>;
}

export class UserDataStreamServer {
  readonly hub: UserDataHub;
  /** POST/PUT/DELETE /api/v3/userDataStream. */
  readonly listenKeyApi: RequestHandler;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly listenKeys = new ListenKeyRegistry();
  private readonly socketsByListenKey = new Map<string, Set<WebSocket>>();
  private down = false;

  constructor(
    private readonly getSimulation: () => Simulation,
    private readonly logger: Logger,
  ) {
    this.hub = new UserDataHub(getSimulation);
    this.listenKeyApi = createListenKeyApi(getSimulation, this.listenKeys, (key) => this.closeListenKey(key));
  }

  /** The HTTP server's `upgrade` event. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (this.down) {
      refuseUpgrade(socket, 503, 'Service Unavailable');
      return;
    }
    if (path === WS_API_PATH) {
      this.wss.handleUpgrade(request, socket, head, (ws) => this.openWsApi(ws));
      return;
    }
    if (path.startsWith(LISTEN_KEY_STREAM_PREFIX)) {
      const key = path.slice(LISTEN_KEY_STREAM_PREFIX.length);
      const accountId = this.listenKeys.accountOf(key);
      if (accountId === undefined) {
        refuseUpgrade(socket, 400, 'Bad Request');
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => this.openListenKeyStream(ws, key, accountId));
      return;
    }
    refuseUpgrade(socket, 404, 'Not Found');
  }

  /** Down: cut every socket now and refuse new ones. Up: accept again. */
  setDown(down: boolean): UserDataStreamStatus {
    this.down = down;
    if (down) {
      for (const ws of this.wss.clients) ws.terminate();
      this.logger.info('user-data stream down: sockets cut');
    }
    return this.status();
  }

  status(): UserDataStreamStatus {
    return {
      down: this.down,
      // A cut socket stays in `clients` until its close event: count the open ones.
      connections: [...this.wss.clients].filter((ws) => ws.readyState === WebSocket.OPEN).length,
      subscriptions: this.hub.subscriptionCount(),
      messagesSent: this.hub.messagesDelivered(),
    };
  }

  /** After /admin/reset rebuilt the exchange: listen to the new one. */
  afterReset(): void {
    this.hub.attach();
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private openWsApi(ws: WebSocket): void {
    const session = new WsApiSession(this.getSimulation, this.hub, (message) => sendJson(ws, message));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      try {
        session.handle(rawText(data));
      } catch (error) {
        this.logger.error({ err: error }, 'WebSocket API request failed');
        ws.close(1011, 'internal error');
      }
    });
    ws.on('close', () => session.close());
    ws.on('error', (error) => this.logger.debug({ err: error }, 'WebSocket API socket error'));
  }

  private openListenKeyStream(ws: WebSocket, key: string, accountId: string): void {
    let sockets = this.socketsByListenKey.get(key);
    if (!sockets) {
      sockets = new Set();
      this.socketsByListenKey.set(key, sockets);
    }
    sockets.add(ws);
    const stop = this.hub.subscribe(accountId, (event) => sendJson(ws, event));
    ws.on('close', () => {
      stop();
      this.socketsByListenKey.get(key)?.delete(ws);
    });
    ws.on('error', (error) => this.logger.debug({ err: error }, 'listenKey socket error'));
  }

  private closeListenKey(key: string): void {
    for (const ws of this.socketsByListenKey.get(key) ?? []) ws.close(1000, 'listenKey closed');
    this.socketsByListenKey.delete(key);
  }
}

function sendJson(ws: WebSocket, message: unknown): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
