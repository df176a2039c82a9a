/**
 * GET /monitor: the execution monitor's live view — metrics per scope over the rolling window,
 * active and recent alerts — and the working orders of this deployment's task queue. `running`
 * false: no monitor yet (no worker with the monitor enabled has started on this task queue).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { OrdoMonitor } from '../client/monitor';
import type { ApiContext } from './context';
import { parseInput } from './schemas';

/** `?limit=N`: working orders listed at most (all are counted). */
export const monitorQuerySchema = z.strictObject({
  limit: z.coerce.number().int().positive().max(1000).default(100),
});

/** The OpenAPI entry (openapi.ts merges it into the document's paths). */
export const monitorPaths = {
  '/monitor': {
    get: {
      summary: 'execution monitor: metrics, active and recent alerts, working orders',
      parameters: [
        {
          name: 'limit',
          in: 'query',
          required: false,
          schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          description: 'working orders listed at most (all are counted)',
        },
      ],
      responses: {
        '200': {
          description:
            '{taskQueue, running, monitor?: {metrics, activeAlerts, recentAlerts, limits, window}, working}',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        '400': {
          description: 'refused input',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        '401': {
          description: 'missing or wrong bearer token',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
  },
};

export function registerMonitorRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const monitor = new OrdoMonitor(ctx.client, ctx.taskQueue);
  app.get('/monitor', async (request) => {
    const { limit } = parseInput(monitorQuerySchema, request.query);
    return monitor.snapshot(limit);
  });
}
