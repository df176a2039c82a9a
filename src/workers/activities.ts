/**
 * Every activity a worker registers, built in one place: the production worker, the test workers
 * and the benchmarks all run the same set, so a workflow never meets an unregistered activity.
 */
import type { Client } from '@temporalio/client';
import { createEventActivities } from '../activities/event-activities';
import { createLedgerActivities } from '../activities/ledger-activities';
import { createMarketActivities } from '../activities/market-activities';
import { createOrderActivities } from '../activities/order-activities';
import { createRiskActivities } from '../activities/risk-activities';
import { createTradingWiring } from '../activities/trading-activities';
import { NO_RISK_LIMITS, type RiskSettings } from '../domain/risk';
import type { EventSink } from '../events/types';
import type { Ledger } from '../ledger/types';
import type { VenueRegistry } from '../venues/registry';

export interface WorkerActivityDeps {
  registry: VenueRegistry;
  ledger: Ledger;
  /** Where business events go (the log sink and the configured webhooks); [] for none. */
  eventSinks: readonly EventSink[];
  /** Pre-trade risk limits (default: none but reduce-only). */
  risk?: RiskSettings;
  /** Trading control talks to Temporal itself (state query, kill-switch signals). */
  client: Client;
  taskQueue: string;
  namespace: string;
  /** Default `trading-control`; tests give each worker its own. */
  tradingControlId?: string;
}

export function createWorkerActivities(deps: WorkerActivityDeps) {
  const trading = createTradingWiring({
    client: deps.client,
    registry: deps.registry,
    taskQueue: deps.taskQueue,
    namespace: deps.namespace,
    ...(deps.tradingControlId === undefined ? {} : { controlWorkflowId: deps.tradingControlId }),
  });
  return {
    ...createOrderActivities(deps.registry, { gate: trading.gate }),
    ...trading.activities,
    ...createMarketActivities(deps.registry),
    ...createEventActivities(deps.eventSinks),
    ...createLedgerActivities(deps.ledger),
    ...createRiskActivities({ registry: deps.registry, limits: deps.risk ?? NO_RISK_LIMITS }),
  };
}
