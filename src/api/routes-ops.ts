/** Operational endpoints: GET /health (Temporal, venues, ledger), GET /venues and GET /stats. */
import type { FastifyInstance } from 'fastify';
import { venueReports } from '../client/venues';
import type { ApiContext } from './context';
import { sharedProbe } from './shared-probe';
import { collectStats } from './stats';

export interface PartHealth {
  ok: boolean;
  error?: string;
}

/** Resolves to the part's health; a part that throws or takes longer than `ms` is down. */
async function check<T>(ms: number, probe: () => Promise<T>): Promise<PartHealth & { detail?: T }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    const detail = await Promise.race([probe(), timeout]);
    return { ok: true, detail };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** How long one venue report (a workflow run on a worker) answers /health and /venues. */
const VENUE_REPORT_FRESH_MS = 1_000;

export function registerOpsRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const reports = sharedProbe(() => venueReports(ctx.client, ctx.taskQueue), VENUE_REPORT_FRESH_MS);
  app.get('/venues', async () => reports());
  app.get('/stats', async () => collectStats(ctx.client, ctx.taskQueue));

  app.get('/health', async (_request, reply) => {
    const ms = ctx.healthTimeoutMs;
    const [temporal, venues, ledger] = await Promise.all([
      check(ms, () => ctx.client.workflowService.getSystemInfo({})).then(({ detail: _, ...h }) => h),
      // Answered by a worker: proves a worker polls the task queue, and shows each venue's breaker.
      check(ms, reports).then(({ detail, ...h }) => ({
        ...h,
        ...(detail === undefined ? {} : { reports: detail, ok: detail.every((r) => r.mode !== 'open') }),
      })),
      check(ms, () => ctx.ledger.trades({ limit: 1 })).then(({ detail: _, ...h }) => h),
    ]);
    const ok = temporal.ok && venues.ok && ledger.ok;
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', temporal, venues, ledger });
  });
}
