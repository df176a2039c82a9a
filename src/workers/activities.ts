/**
 * Every activity a worker registers, built in one place: the production worker, the test workers
 * and the benchmarks all run the same set, so a workflow never meets an unregistered activity.
 */
import type { Client } from '@temporalio/client';
import { createEventActivities } from '../activities/event-activities';
import { createLedgerActivities } from '../activities/ledger-activities';
import { positionSources } from '../activities/ledger-positions';
import { createMarketActivities } from '../activities/market-activities';
import { type FollowPushes, createOrderActivities } from '../activities/order-activities';
import { createRebalanceActivities } from '../activities/rebalance-activities';
import { createReconciliationActivities } from '../activities/reconciliation-activities';
import type { ReconciliationConfig } from '../activities/reconciliation-types';
import { createRiskActivities } from '../activities/risk-activities';
import { createTcaActivities } from '../activities/tca-activities';
import { createTradingWiring } from '../activities/trading-activities';
import { NO_RISK_LIMITS } from '../domain/risk';
import type { EventSink } from '../events/types';
import type { Ledger } from '../ledger/types';
import type { VenueRegistry } from '../venues/registry';
import { reconciliationConfig, reconciliationSettings } from './config-reconciliation';
import type { RiskConfig } from './config-risk';

export interface WorkerActivityDeps {
  registry: VenueRegistry;
  ledger: Ledger;
  /** Where business events go (the log sink and the configured webhooks); [] for none. */
  eventSinks: readonly EventSink[];
  /** Pre-trade risk limits and position source (default: none but reduce-only; venue positions). */
  risk?: RiskConfig;
  /** Trading control talks to Temporal itself (state query, kill-switch signals). */
  client: Client;
  taskQueue: string;
  namespace: string;
  /** Default `trading-control`; tests give each worker its own. */
  tradingControlId?: string;
  /** Reconciliation settings (default: the `reconciliation` block's defaults, every venue). */
  reconciliation?: ReconciliationConfig;
  /** Pushed order updates (src/workers/pushed-fills.ts); without them follows only poll. */
  pushes?: FollowPushes;
}

export function createWorkerActivities(deps: WorkerActivityDeps) {
  // Positions: Ordo's ledger for the kill switch's flatten, the configured source for risk.
  const positions = positionSources(deps.ledger, deps.registry, deps.risk?.positionSource);
  const trading = createTradingWiring({
    ...positions.trading,
    client: deps.client,
    registry: deps.registry,
    taskQueue: deps.taskQueue,
    namespace: deps.namespace,
    ...(deps.tradingControlId === undefined ? {} : { controlWorkflowId: deps.tradingControlId }),
  });
  return {
    ...createOrderActivities(deps.registry, {
      gate: trading.gate,
      ...(deps.pushes === undefined ? {} : { pushes: deps.pushes }),
    }),
    ...trading.activities,
    ...createMarketActivities(deps.registry),
    ...createTcaActivities(deps), // client, registry
    ...createRebalanceActivities(deps), // registry, ledger, client, taskQueue
    ...createEventActivities(deps.eventSinks),
    ...createLedgerActivities(deps.ledger, deps.eventSinks),
    ...createReconciliationActivities({
      client: deps.client,
      registry: deps.registry,
      ledger: deps.ledger,
      taskQueue: deps.taskQueue,
      settings:
        deps.reconciliation ??
        reconciliationSettings(reconciliationConfig.parse(undefined), deps.registry.names()),
    }),
    ...createRiskActivities({
      registry: deps.registry,
      limits: deps.risk ?? NO_RISK_LIMITS,
      sources: { positions: positions.risk },
    }),
  };
}
