/**
 * One error body for every refusal: `{ code, message, issues? }`, code SCREAMING_SNAKE.
 *   400  refused input (OrderRequestError and its kinds: the same codes as the CLI; bad JSON)
 *   401  no or wrong bearer token          404  no such order / parent order
 *   409  the order or parent refused the command (CommandRefusedError, or accepted: false)
 *   500  anything else (logged; the body says no more)
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { CommandRefusedError } from '../client/workflows';
import { OrderRequestError, type RequestIssue } from '../domain/order-request';
import { LedgerError } from '../ledger/types';

export interface ErrorBody {
  code: string;
  message: string;
  issues?: RequestIssue[];
}

/** A typed HTTP refusal raised by a route. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Runs `fn`; an unknown workflow id becomes a 404 with `code` (ORDER_NOT_FOUND, PARENT_NOT_FOUND). */
export async function orNotFound<T>(code: string, id: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new ApiError(404, code, `no workflow with id "${id}"`);
    throw err;
  }
}

/** The leading `CODE:` of a refusal message (how updates and the client word them), else REFUSED. */
export function refusalCode(message: string): string {
  return /^([A-Z][A-Z0-9_]+):/.exec(message)?.[1] ?? 'REFUSED';
}

export function errorResponse(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof OrderRequestError)
    return { status: 400, body: { code: err.code, message: err.message, issues: err.issues } };
  if (err instanceof ApiError)
    return { status: err.statusCode, body: { code: err.code, message: err.message } };
  if (err instanceof CommandRefusedError)
    return { status: 409, body: { code: refusalCode(err.message), message: err.message } };
  if (err instanceof LedgerError && err.code === 'INVALID_FILTER')
    return { status: 400, body: { code: err.code, message: err.message } };
  const fastifyError = err as Partial<FastifyError>;
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
    // Fastify's own refusals (malformed JSON, body too large, wrong content type).
    const code = fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'INVALID_JSON' : 'BAD_REQUEST';
    return { status: fastifyError.statusCode, body: { code, message: fastifyError.message ?? code } };
  }
  return { status: 500, body: { code: 'INTERNAL', message: 'internal error (see the API log)' } };
}

export function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = errorResponse(err);
  if (status >= 500) request.log.error({ err }, 'request failed');
  void reply.status(status).send(body);
}
