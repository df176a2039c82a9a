/**
 * The submit gate: the last check before an order goes to a venue, inside the submit activity.
 * An order workflow started a moment before a halt — too late for the kill switch's visibility
 * query to list it, too early for its own pre-send check to see the halt — is stopped here.
 *
 * The trading state is read from tradingControlWorkflow's `state` query. Reads are shared: every
 * check that starts within CACHE_MS of a read that is still in flight or answered uses that read,
 * so 500 orders sent at once cost a handful of queries, not 500. The price is staleness, one way
 * only: a check that starts up to CACHE_MS (250 ms) after a halt may still see the state before it
 * and let the order go (the kill switch's second sweep round, KILL_SETTLE_MS later, catches such
 * an order once it is live). A refusal is always confirmed by a fresh read, so an order sent just
 * after a resume is never refused on a stale HALTED. A failed read is not cached and fails the
 * check (retryably): the gate never guesses ACTIVE.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { RequestIssue, Side } from '../domain/order-request';
import { orderAllowed } from '../domain/trading-state';
import type { TradingStateView } from './types';

/** How long one read of the trading state serves later checks. */
export const TRADING_STATE_CACHE_MS = 250;

export interface GateOrder {
  venue: string;
  symbol: string;
  side: Side;
  quantity: string;
  /** The order's id (its workflow id): the kill switch's flattening orders pass a halt by it. */
  orderId?: string;
}

export interface TradingGate {
  /** undefined: the order may be sent; else why not (TRADING_HALTED, TRADING_REDUCING). */
  check(order: GateOrder): Promise<RequestIssue | undefined>;
}

/** The signed position of a symbol at a venue (base asset), for the REDUCING rule. */
export type PositionOf = (venue: string, symbol: string) => Promise<string | undefined>;

export interface TradingGateOptions {
  readState: () => Promise<TradingStateView>;
  /** Needed only while REDUCING; without it REDUCING refuses every order (position unknown). */
  positionOf?: PositionOf;
  /** 0 disables sharing: every check reads the state. */
  cacheMs?: number;
  clock?: () => number;
}

export function createTradingGate(options: TradingGateOptions): TradingGate {
  const cacheMs = options.cacheMs ?? TRADING_STATE_CACHE_MS;
  const clock = options.clock ?? Date.now;
  let shared: { startedAt: number; view: Promise<TradingStateView> } | undefined;

  /** The state from a read started at most cacheMs ago and not before `notBefore` (shared), or a new read. */
  const currentState = (notBefore: number): Promise<TradingStateView> => {
    const now = clock();
    const reusable =
      cacheMs > 0 &&
      shared !== undefined &&
      now - shared.startedAt <= cacheMs &&
      shared.startedAt >= notBefore;
    if (reusable && shared !== undefined) return shared.view;
    const read = { startedAt: now, view: options.readState() };
    shared = read;
    read.view.catch(() => {
      if (shared === read) shared = undefined; // never cache a failure
    });
    return read.view;
  };

  const decide = async (view: TradingStateView, order: GateOrder): Promise<RequestIssue | undefined> => {
    if (view.state === 'ACTIVE') return undefined;
    if (order.orderId !== undefined && view.exempt?.includes(order.orderId)) return undefined;
    const position =
      view.state === 'REDUCING' && options.positionOf !== undefined
        ? await options.positionOf(order.venue, order.symbol)
        : undefined;
    return orderAllowed(
      { state: view.state, ...(view.reason === undefined ? {} : { reason: view.reason }) },
      order,
      position,
    );
  };

  return {
    async check(order) {
      const checkStarted = clock();
      try {
        const first = await currentState(-Infinity);
        const issue = await decide(first, order);
        // A refusal is final for the order, so it is made only on a read started after this check
        // did: right after a resume an older shared read may still say HALTED. Refusals are rare,
        // and concurrent ones share the confirming read.
        if (issue === undefined) return undefined;
        const confirmed = await currentState(checkStarted);
        return confirmed === first ? issue : await decide(confirmed, order);
      } catch (err) {
        throw ApplicationFailure.create({
          type: 'TRADING_STATE_UNAVAILABLE',
          message: `cannot read the trading state: ${err instanceof Error ? err.message : String(err)}`,
          nonRetryable: false,
        });
      }
    },
  };
}

/** A gate's refusal as the submit activity fails: final, typed by the refusal's code. */
export function gateRefusal(issue: RequestIssue): ApplicationFailure {
  return ApplicationFailure.create({ type: issue.code, message: issue.message, nonRetryable: true });
}
