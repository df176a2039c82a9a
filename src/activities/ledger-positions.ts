/**
 * Ordo's own book as a position source: positions from the trades ledger — what Ordo bought and
 * sold — rather than the account's balances, in which a deposit looks like a position. Each
 * position is a holding (src/domain/net-positions.ts): the book quantity less the fees the venue
 * took in the base asset, i.e. what Ordo's trading actually changed the account by.
 *
 * Three readers of the one book:
 *   - pre-trade risk (PositionSource, `risk.positionSource: "ledger"`): the order's strategy's
 *     holdings when it has a strategy, else every strategy's summed;
 *   - the REDUCING trading state (PositionOf): every strategy's summed;
 *   - the kill switch's flatten: every strategy's summed, sized to what the venue can execute.
 * The kill switch's own orders (strategy KILL_SWITCH_STRATEGY) always see every strategy's sum,
 * whatever source is configured: they were planned from the ledger, so their reduce-only check
 * must be against the same book (a spot balance can never say a buy reduces).
 *
 * Positions are read from the ledger each time (it derives them from its trades): exact, at the
 * price of a read of the venue's trades per check.
 */
import { bookMid } from './book-mid';
import { flattenSize } from '../domain/flatten';
import { holdingsOf, quoteOf } from '../domain/net-positions';
import { Dec, toDecimalString } from '../domain/decimal';
import type { Ledger } from '../ledger/types';
import { isVenueError } from '../venues/errors';
import type { VenueRegistry } from '../venues/registry';
import type { Balance } from '../venues/types';
import { type PositionSource, venueBalancePositions } from './risk-sources';
import type { PositionOf } from './trading-gate';
import type { FlattenPosition } from './types';
import { activityContext } from './venue-calls';

/** The strategy id of the kill switch's flattening orders (set by startFlatten). */
export const KILL_SWITCH_STRATEGY = 'kill-switch';

/** Risk positions from the ledger; strategy-scoped when the order has a strategy. */
export function ledgerPositionSource(ledger: Ledger): PositionSource {
  return {
    async positions({ venue, quote, strategyId }) {
      const scoped = strategyId !== undefined && strategyId !== KILL_SWITCH_STRATEGY;
      const holdings = holdingsOf(await ledger.positions({ venue, ...(scoped ? { strategyId } : {}) }));
      const positions: Record<string, string> = {};
      for (const h of holdings) {
        if (quoteOf(h.symbol) !== quote || new Dec(h.held).isZero()) continue;
        positions[h.symbol] = h.held;
      }
      return positions;
    },
  };
}

/**
 * The configured source for orders, the ledger for the kill switch's own (see the file comment);
 * `configured` === `ledger` is fine too.
 */
export function withKillSwitchOnLedger(configured: PositionSource, ledger: PositionSource): PositionSource {
  return {
    positions: (query) => (query.strategyId === KILL_SWITCH_STRATEGY ? ledger : configured).positions(query),
  };
}

/** The REDUCING rule's position from the ledger: every strategy's holding summed. */
export function ledgerPositionOf(ledger: Ledger): PositionOf {
  return async (venue, symbol) => {
    const [holding] = holdingsOf(await ledger.positions({ venue, symbol }));
    return holding?.held ?? '0';
  };
}

/**
 * What the kill switch flattens: each venue and symbol's holding (every strategy summed), as the
 * signed size of the closing market order (src/domain/flatten.ts). A holding that is dust, or on
 * a venue this worker no longer has, is left out and logged. A venue that cannot be read fails
 * the whole plan (retried by the activity), rather than flatten some venues and silently not others.
 */
export function ledgerFlattenPositions(
  ledger: Ledger,
  registry: VenueRegistry,
): () => Promise<FlattenPosition[]> {
  return async () => {
    const log = activityContext()?.log;
    const open = holdingsOf(await ledger.positions()).filter((h) => !new Dec(h.held).isZero());
    const balances = new Map<string, Record<string, Balance>>();
    // What each venue's sells have left of an asset: two symbols of one base share its coins.
    const freeLeft = new Map<string, Dec>();
    const out: FlattenPosition[] = [];
    for (const h of open) {
      const venue = registry.find(h.venue)?.venue;
      if (venue === undefined) {
        log?.warn('flatten: a ledger position on a venue not configured here is left alone', { ...h });
        continue;
      }
      const rules = await venue.marketRules(h.symbol).catch((err: unknown) => {
        // A market the venue no longer lists cannot be traded: leave it, flatten the others.
        if (isVenueError(err) && err.code === 'BAD_SYMBOL') return undefined;
        throw err;
      });
      if (rules === undefined) {
        log?.warn('flatten: a ledger position in a market the venue does not list is left alone', { ...h });
        continue;
      }
      const selling = new Dec(h.held).isPositive();
      const asset = JSON.stringify([h.venue, rules.base]);
      if (selling && !freeLeft.has(asset)) {
        const all = balances.get(h.venue) ?? (await venue.fetchBalances());
        balances.set(h.venue, all);
        freeLeft.set(asset, new Dec(all[rules.base]?.free ?? 0));
      }
      const free = selling ? freeLeft.get(asset) : undefined;
      const referencePrice = rules.minNotional === undefined ? undefined : await bookMid(venue, h.symbol);
      const size = flattenSize({
        held: h.held,
        ...(free === undefined ? {} : { freeBase: toDecimalString(free) }),
        market: {
          amountStep: rules.amountStep,
          ...(rules.minAmount === undefined ? {} : { minAmount: rules.minAmount }),
          ...(rules.minNotional === undefined ? {} : { minNotional: rules.minNotional }),
        },
        ...(referencePrice === undefined ? {} : { referencePrice }),
      });
      if ('skip' in size) {
        log?.info('flatten: nothing the venue can trade', { ...h, skip: size.skip });
        continue;
      }
      if (free !== undefined) freeLeft.set(asset, free.minus(size.quantity));
      const signed = size.side === 'sell' ? size.quantity : toDecimalString(new Dec(size.quantity).negated());
      out.push({ venue: h.venue, symbol: h.symbol, quantity: signed });
      if (!new Dec(size.leftover).isZero())
        log?.info('flatten: dust left after the order', { ...h, leftover: size.leftover });
    }
    return out;
  };
}

/**
 * A worker's position sources for one `risk.positionSource` choice: what trading control gets
 * (flatten always from the ledger; REDUCING from the ledger when it is chosen, else its default)
 * and what pre-trade risk gets.
 */
export function positionSources(
  ledger: Ledger,
  registry: VenueRegistry,
  choice: 'venue' | 'ledger' = 'venue',
): {
  trading: { positions: () => Promise<FlattenPosition[]>; positionOf?: PositionOf };
  risk: PositionSource;
} {
  const book = ledgerPositionSource(ledger);
  return {
    trading: {
      positions: ledgerFlattenPositions(ledger, registry),
      ...(choice === 'ledger' ? { positionOf: ledgerPositionOf(ledger) } : {}),
    },
    risk: withKillSwitchOnLedger(choice === 'ledger' ? book : venueBalancePositions(registry), book),
  };
}
