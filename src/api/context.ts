/** What every route needs: the client library objects, the ledger, and the request-log helpers. */
import type { Client } from '@temporalio/client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OrdoAlgos } from '../client/algos';
import type { OrdoOrders } from '../client/orders';
import type { OrdoTrading } from '../client/trading';
import type { Ledger } from '../ledger/types';

export interface ApiContext {
  client: Client;
  taskQueue: string;
  orders: OrdoOrders;
  algos: OrdoAlgos;
  trading: OrdoTrading;
  ledger: Ledger;
  /** How long /health waits for each part before calling it down. */
  healthTimeoutMs: number;
}

const orderIds = new WeakMap<FastifyRequest, string>();

/** Puts the order (or parent order) id on this request's log line. */
export function noteOrderId(request: FastifyRequest, id: string): void {
  orderIds.set(request, id);
}

export function orderIdOf(request: FastifyRequest): string | undefined {
  const params = request.params as { id?: unknown } | undefined;
  return orderIds.get(request) ?? (typeof params?.id === 'string' ? params.id : undefined);
}

/** A command answered `accepted: false`: 409 with the order's reason as the code. */
export function sendCommandResult(
  reply: FastifyReply,
  result: { accepted: boolean; reason?: string; status: string },
): FastifyReply {
  if (result.accepted) return reply.send(result);
  const code =
    result.reason === undefined ? 'REFUSED' : (/^[A-Z][A-Z0-9_]+/.exec(result.reason)?.[0] ?? 'REFUSED');
  return reply
    .status(409)
    .send({ code, message: `refused (${result.reason ?? 'no reason given'}): ${result.status}`, ...result });
}
