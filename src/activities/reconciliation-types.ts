/**
 * What the reconciliation workflow asks of its activities (types only: the workflow imports this
 * file, never the implementations).
 */
import type {
  BalanceCheckpoint,
  Finding,
  ReconciliationSettings,
  UnknownOrderPolicy,
  VenueOpenOrder,
} from '../domain/reconciliation';

/** The worker's reconciliation configuration, as a run sees it (read by an activity: recorded). */
export interface ReconciliationConfig extends ReconciliationSettings {
  venues: string[];
  unknownOrders: UnknownOrderPolicy;
  /** How far back the account's trades are compared with the ledger. */
  lookbackMs: number;
  /** The pause before a second look that confirms racy findings. */
  settleMs: number;
  /** Symbols always compared, besides those Ordo or the venue has orders or trades in. */
  symbols: string[];
  /**
   * Venues reached through another venue's account (e.g. `sim-bybit` speaking to the same simulator
   * account as `sim`), by the venue that reconciles the account: their orders and trades are
   * part of that account's view, and they are not reconciled on their own.
   */
  sharedAccounts: Record<string, string[]>;
}

export interface ObserveVenueInput {
  venue: string;
  checkpoint?: BalanceCheckpoint;
  settings: ReconciliationConfig;
}

export interface VenueObservation {
  venue: string;
  observedAt: string;
  findings: Finding[];
  /** Findings beyond the per-kind cap, by kind: left for the next run. */
  omitted: Record<string, number>;
  /** Working order workflows whose status could not be read (the run then only reports). */
  unreadableOrders: number;
  /** The balances just read, to compare the next run with; absent when they could not be trusted. */
  checkpoint?: BalanceCheckpoint;
  counts: { ordoWorking: number; venueOpen: number; venueTrades: number; symbols: number };
}

export interface AdoptOrderInput {
  venue: string;
  order: VenueOpenOrder;
  reason: string;
}

export interface ReconciliationActivities {
  reconciliationConfig(): Promise<ReconciliationConfig>;
  /** Reads both views of one venue and compares them (src/domain/reconciliation.ts). */
  observeVenue(input: ObserveVenueInput): Promise<VenueObservation>;
  /** Signals a working order workflow to look its order up now; false if it already closed. */
  tellOrderWorkflow(input: { orderId: string; reason: string }): Promise<boolean>;
  /** Starts an order workflow that follows a venue order Ordo did not place; returns its id. */
  adoptVenueOrder(input: AdoptOrderInput): Promise<{ orderId: string; started: boolean }>;
}
