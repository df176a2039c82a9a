/**
 * The activity interface of the order planner (rebalanceWorkflow). The workflow imports these
 * types only; the implementations (src/activities/rebalance-activities.ts) do the I/O.
 */
import type { Urgency } from '../domain/algos/auto-choice';
import type { RebalanceFacts, UnavailableTarget } from '../domain/rebalance';
import type { Side } from '../domain/order-request';

/** Where the current position comes from: the trades ledger, or the venue's base-asset balance. */
export type PositionSourceName = 'ledger' | 'venue';

export interface GatherRebalanceInput {
  targets: { venue: string; symbol: string; strategyId?: string; quantity: string }[];
  from: PositionSourceName;
}

/** A working order or parent counted in a target's projected position. */
export interface WorkingOrder {
  orderId: string;
  workflowType: string;
  side: Side;
  remaining: string;
}

export type GatheredTarget = (RebalanceFacts & { workingOrders: WorkingOrder[] }) | UnavailableTarget;

/** An order of the plan as it is started. */
export interface RebalanceOrderStart {
  orderId: string;
  venue: string;
  symbol: string;
  side: Side;
  quantity: string;
  reduceOnly: boolean;
  kind: 'order' | 'parent';
  strategyId?: string;
  decisionId: string;
  /** For parents: the automatic order's settings, so it chooses as the planner did. */
  urgency: Urgency;
  twapNotionalThreshold?: string;
}

export interface StartedOrder {
  orderId: string;
  /** orderWorkflow, or autoOrderWorkflow (which continues as the order or parent it chose). */
  workflowType: 'orderWorkflow' | 'autoOrderWorkflow';
  /** Started before this rebalance run (a re-run of the same rebalance id): not started again. */
  alreadyStarted: boolean;
}

export interface RebalanceActivities {
  /**
   * Per target: the position (ledger or venue), working orders on its venue, symbol (and
   * strategy), the market's rules and top of book. A target that cannot be gathered for good
   * (unknown venue or symbol) comes back unavailable with the reason; a transient failure retries.
   */
  gatherRebalanceFacts(input: GatherRebalanceInput): Promise<GatheredTarget[]>;
  /** Starts the planned orders; an order id that already exists is left as it is. */
  startRebalanceOrders(input: { orders: RebalanceOrderStart[] }): Promise<StartedOrder[]>;
}
