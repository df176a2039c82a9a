/**
 * What orderWorkflow's metrics record after a status change, as a pure function of the order's
 * state (order-metrics.ts records it through the workflow meter). Workflow time throughout, so the
 * values are deterministic; nothing here imports Temporal, so it is unit-tested directly.
 */
import type { OrderState } from '../domain/order-state';
import { type OrderStatus, isTerminal } from '../domain/status';
import { againstReference } from '../domain/tca/vwap';

export interface OrderMetricValues {
  /** The terminal status the order just reached. */
  ended?: OrderStatus;
  /** Order received → the first fill the workflow saw, ms; once per order. */
  fillLatencyMs?: number;
  /** An ended order's average fill price against its arrival mid, bps, positive = cost. */
  slippageBps?: number;
}

const FILL_STATUSES: ReadonlySet<OrderStatus> = new Set(['PARTIALLY_FILLED', 'FILLED']);

/**
 * The values due after the latest status change (the last history entry). The fill latency is due
 * when the order first shows a fill status, or, for one whose fills came without one (filled while
 * a cancel was pending), when it ends. Slippage is due when an order with fills and an arrival mid
 * ends; a malformed number leaves it out rather than break the order.
 */
export function orderMetricValues(state: OrderState): OrderMetricValues {
  const latest = state.history[state.history.length - 1];
  if (latest === undefined) return {};
  const fillEntries = state.history.filter((h) => FILL_STATUSES.has(h.status));
  const ended = isTerminal(latest.status);
  const firstFillNow = FILL_STATUSES.has(latest.status) && fillEntries.length === 1;
  const filledWithoutFillStatus = ended && fillEntries.length === 0 && state.fills.length > 0;
  const latency = Date.parse(latest.at) - Date.parse(state.history[0]?.at ?? '');
  return {
    ...(ended ? { ended: latest.status } : {}),
    ...((firstFillNow || filledWithoutFillStatus) && Number.isFinite(latency)
      ? { fillLatencyMs: latency }
      : {}),
    ...(ended ? slippageOf(state) : {}),
  };
}

function slippageOf(state: OrderState): { slippageBps?: number } {
  const side = state.request.side;
  if (state.arrivalMid === undefined || state.fills.length === 0 || (side !== 'buy' && side !== 'sell'))
    return {};
  try {
    const measured = againstReference(side, state.fills, state.arrivalMid);
    return measured === undefined ? {} : { slippageBps: Number(measured.bps) };
  } catch {
    return {};
  }
}
