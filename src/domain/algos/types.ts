/**
 * Shared shapes of the parent-order algorithms (pure schedule math, no I/O, no Temporal). Every
 * quantity and price is a decimal string; model math (Almgren–Chriss, profiles) may use floats
 * for weights, but what is traded is always rounded to lots with decimals.
 */
import type { Side } from '../order-request';

export const ALGOS = ['twap', 'vwap', 'pov', 'is', 'iceberg', 'route'] as const;
export type Algo = (typeof ALGOS)[number];

/** How a slice prices itself against the book. */
export const AGGRESSIONS = ['passive', 'mid', 'cross', 'market'] as const;
export type Aggression = (typeof AGGRESSIONS)[number];

/** The part of a venue's market rules that sizing needs (a subset of MarketRules). */
export interface LotRules {
  /** Lot size: every child quantity is a multiple. */
  amountStep: string;
  /** Tick size, for prices. */
  priceStep: string;
  minAmount?: string;
  maxAmount?: string;
  /** Minimum quantity × price. */
  minNotional?: string;
}

/** One slice of a schedule: when it starts and how much it trades. */
export interface PlannedSlice {
  index: number;
  /** ISO-8601 start time. */
  at: string;
  quantity: string;
}

/** A schedule and what the planner had to do to it (merged or skipped tiny slices, fallbacks). */
export interface SchedulePlan {
  slices: PlannedSlice[];
  notes: string[];
}

/** Best prices of one book. */
export interface Quote {
  bid?: string;
  ask?: string;
}

/** What a slice sends: a market order, or a limit at a price. */
export type SlicePricing = { type: 'market' } | { type: 'limit'; limitPrice: string };

export interface ParentSideQuantity {
  side: Side;
  quantity: string;
}
