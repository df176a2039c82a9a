/** Trades and positions from the trades ledger (`ordo trades`, `ordo positions`). */
import type { FastifyInstance } from 'fastify';
import { parseSince } from '../client/cli-ledger';
import type { PositionFilter, TradeFilter } from '../ledger/types';
import type { ApiContext } from './context';
import { parseInput, positionsQuerySchema, tradesQuerySchema } from './schemas';

const DEFAULT_LIMIT = 100;

export function registerLedgerRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/trades', async (request) => {
    const q = parseInput(tradesQuerySchema, request.query);
    const filter: TradeFilter = {
      ...(q.symbol === undefined ? {} : { symbol: q.symbol }),
      ...(q.venue === undefined ? {} : { venue: q.venue }),
      ...(q.strategy === undefined ? {} : { strategyId: q.strategy }),
      ...(q.order === undefined ? {} : { orderId: q.order }),
      ...(q.parent === undefined ? {} : { parentId: q.parent }),
      ...(q.since === undefined ? {} : { since: parseSince(q.since, new Date()) }),
      limit: q.limit ?? DEFAULT_LIMIT,
    };
    return ctx.ledger.trades(filter);
  });

  app.get('/positions', async (request) => {
    const q = parseInput(positionsQuerySchema, request.query);
    const filter: PositionFilter = {
      ...(q.symbol === undefined ? {} : { symbol: q.symbol }),
      ...(q.venue === undefined ? {} : { venue: q.venue }),
      ...(q.strategy === undefined ? {} : { strategyId: q.strategy }),
    };
    return ctx.ledger.positions(filter);
  });
}
