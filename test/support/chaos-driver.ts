/**
 * Drives a planned order mix through Ordo and back out: submits the orders at a bounded pace,
 * runs scheduled events (fault bursts, a worker kill) at given points, waits for the orders that
 * end by themselves, then drives the resting ones to an end (cancel updates; moving the mid
 * through them), and collects every order's final word. Every wait is bounded: an order that
 * does not end in time is reported as such, never waited for endlessly.
 *
 * Progress is read from visibility (one list call per poll for the whole task queue: status,
 * OrderStatus search attribute, server start/close times), not by querying each workflow, so
 * watching 200 orders costs the workers nothing.
 */
import type { Client } from '@temporalio/client';
import { OrdoOrders } from '../../src/client/orders';
import type { OrderState } from '../../src/domain/order-state';
import { statusQuery } from '../../src/workflows/messages';
import { SA } from '../../src/workflows/search-attributes';
import { mapLimit } from './chaos-history';
import { FILL_MOVE, type PlannedOrder, orderRequest, rests } from './chaos-orders';
import type { SimAdmin } from './chaos-sim';

export interface Progress {
  running: boolean;
  /** The OrderStatus search attribute (current status as the workflow last upserted it). */
  orderStatus?: string;
  startTime: Date;
  closeTime?: Date;
}

export interface Outcome {
  plan: PlannedOrder;
  /** The workflow's final state (result), or its current state (query) if it has not ended. */
  state?: OrderState;
  /** Why `state` is missing (e.g. the query failed). */
  error?: string;
  ended: boolean;
  /** Server time from start to close, for ended orders. */
  timeToTerminalMs?: number;
  /** When it closed (server time, epoch ms). */
  closedAt?: number;
  /** Resting orders: when the test started driving it to an end (cancel sent, or market moved). */
  drivenAt?: number;
}

export interface ScheduledEvent {
  /** Runs just before the order with this index is submitted. */
  beforeOrder: number;
  name: string;
  run: () => Promise<void>;
}

export interface DriveOptions {
  client: Client;
  taskQueue: string;
  admin: SimAdmin;
  plans: readonly PlannedOrder[];
  /** Pause between two submissions. */
  submitIntervalMs: number;
  /** At most this many non-resting orders open at once (submission waits). */
  maxOpen: number;
  events?: readonly ScheduledEvent[];
  /** How long orders may take to end (or rest) after the last submission, per phase. */
  phaseTimeoutMs: number;
  /** Submission stops waiting for open orders to drop below maxOpen after this long. */
  submitPhaseMs?: number;
  /** Every wait ends by this long after the start, whatever the phase (default: unbounded by it). */
  totalTimeoutMs?: number;
  log?: (message: string) => void;
}

export interface DriveResult {
  outcomes: Outcome[];
  /** Named moments (ms since the drive started), for the report. */
  timeline: { at: number; what: string }[];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `promise`, or a rejection after `ms`; the timer is cleared either way (no handle left open). */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

const isParked = (p: Progress | undefined) => p?.running === true && p.orderStatus === 'DEAD_LETTER';
const isSettled = (p: Progress | undefined) => p !== undefined && (!p.running || isParked(p));

export class OrderTracker {
  readonly progress = new Map<string, Progress>();
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  async refresh(): Promise<void> {
    const query = `TaskQueue = '${this.taskQueue}' AND WorkflowType = 'orderWorkflow'`;
    for await (const wf of this.client.workflow.list({ query })) {
      const orderStatus = wf.typedSearchAttributes.get(SA.OrderStatus);
      this.progress.set(wf.workflowId, {
        running: wf.status.name === 'RUNNING',
        startTime: wf.startTime,
        ...(orderStatus === undefined ? {} : { orderStatus }),
        ...(wf.closeTime === undefined ? {} : { closeTime: wf.closeTime }),
      });
    }
  }

  get(orderId: string): Progress | undefined {
    return this.progress.get(orderId);
  }

  /** Polls until `done` holds for every id (true) or the time is up (false). */
  async until(ids: readonly string[], done: (p: Progress | undefined) => boolean, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.refresh();
      if (ids.every((id) => done(this.get(id)))) return true;
      if (Date.now() > deadline) return false;
      await sleep(500);
    }
  }
}

/** Mid prices, read from the simulator at most every few seconds (the walk is slow). */
class Mids {
  private readonly cache = new Map<string, { mid: number; at: number }>();
  constructor(private readonly admin: SimAdmin) {}
  async of(symbol: string): Promise<number> {
    const hit = this.cache.get(symbol);
    if (hit !== undefined && Date.now() - hit.at < 3_000) return hit.mid;
    const mid = await this.admin.mid(symbol);
    this.cache.set(symbol, { mid, at: Date.now() });
    return mid;
  }
}

export async function driveOrders(options: DriveOptions): Promise<DriveResult> {
  const { client, admin, plans } = options;
  const log = options.log ?? (() => undefined);
  const t0 = Date.now();
  const timeline: DriveResult['timeline'] = [];
  const mark = (what: string) => {
    timeline.push({ at: Date.now() - t0, what });
    log(`${((Date.now() - t0) / 1000).toFixed(1)}s ${what}`);
  };
  const orders = new OrdoOrders(client, options.taskQueue);
  const tracker = new OrderTracker(client, options.taskQueue);
  const mids = new Mids(admin);
  const events = [...(options.events ?? [])];
  const endBy = options.totalTimeoutMs === undefined ? Infinity : t0 + options.totalTimeoutMs;
  /** How long the next wait may take: a phase's share, never past the overall end. */
  const phase = () => Math.max(0, Math.min(options.phaseTimeoutMs, endBy - Date.now()));

  // ---- 1. submit, paced, with scheduled events -------------------------------------------------
  const immediate = plans.filter((p) => !rests(p.kind)).map((p) => p.orderId);
  const submitted = new Set<string>();
  const submitBy = t0 + (options.submitPhaseMs ?? 3 * options.phaseTimeoutMs);
  let lastRefresh = 0;
  for (const [index, plan] of plans.entries()) {
    for (const event of events.filter((e) => e.beforeOrder === index)) {
      mark(`event: ${event.name}`);
      await event.run();
    }
    for (;;) {
      if (Date.now() - lastRefresh > 400) {
        await tracker.refresh();
        lastRefresh = Date.now();
      }
      const open = immediate.filter((id) => submitted.has(id) && !isSettled(tracker.get(id)));
      if (open.length < options.maxOpen || Date.now() > submitBy) break;
      await sleep(100);
    }
    await orders.submit(orderRequest(plan, await mids.of(plan.symbol)));
    submitted.add(plan.orderId);
    await sleep(options.submitIntervalMs);
  }
  mark(`submitted ${plans.length} orders`);

  // ---- 2. the non-resting orders end by themselves; the resting ones rest -----------------------
  const resting = plans.filter((p) => rests(p.kind));
  await tracker.until(immediate, isSettled, phase());
  await tracker.until(
    resting.map((p) => p.orderId),
    (p) => isSettled(p) || p?.orderStatus === 'ACCEPTED' || p?.orderStatus === 'PARTIALLY_FILLED',
    phase(),
  );
  mark('non-resting orders settled, resting orders working');

  // ---- 3. drive the resting orders to an end: cancel some (updates, under whatever faults are
  // on) while the markets move through the others: buys rest 2% below the mid, so every market
  // moves 3% down, then 3% up for the sells, then back. Orders to cancel rest 4% away: untouched.
  const drivenAt = new Map<string, number>();
  const toCancel = resting.filter(
    (p) => p.kind === 'limit-rest-cancel' && !isSettled(tracker.get(p.orderId)),
  );
  const cancelling = mapLimit(toCancel, 5, async (plan) => {
    drivenAt.set(plan.orderId, Date.now());
    const cancel = orders.cancel(plan.orderId, 'chaos: cancel a resting order');
    await withTimeout(cancel, phase(), `cancel ${plan.orderId}`).then(
      (answer) => {
        if (!answer.accepted)
          log(`cancel ${plan.orderId} refused: ${answer.reason ?? ''} (${answer.status})`);
      },
      (err: unknown) => log(`cancel ${plan.orderId}: ${err instanceof Error ? err.message : String(err)}`),
    );
  });
  const toFill = resting.filter((p) => p.kind === 'limit-rest-fill');
  const symbols = [...new Set(toFill.map((p) => p.symbol))];
  const startMids = new Map<string, number>();
  for (const symbol of symbols) startMids.set(symbol, await admin.mid(symbol));
  for (const side of ['buy', 'sell'] as const) {
    const sideOrders = toFill.filter((p) => p.side === side);
    for (const symbol of new Set(sideOrders.map((p) => p.symbol))) {
      const mid = startMids.get(symbol) as number;
      await admin.setMid(symbol, (mid * (side === 'buy' ? 1 - FILL_MOVE : 1 + FILL_MOVE)).toFixed(2));
    }
    for (const p of sideOrders) drivenAt.set(p.orderId, Date.now());
    await tracker.until(
      sideOrders.map((p) => p.orderId),
      isSettled,
      phase(),
    );
    mark(`moved the markets through ${sideOrders.length} resting ${side} orders`);
  }
  for (const [symbol, mid] of startMids) await admin.setMid(symbol, mid.toFixed(2));
  await cancelling;
  await tracker.until(
    toCancel.map((p) => p.orderId),
    isSettled,
    phase(),
  );
  mark(`cancelled ${toCancel.length} resting orders`);

  // ---- 4. everything has ended or is parked (bounded) -------------------------------------------
  await tracker.until(
    plans.map((p) => p.orderId),
    isSettled,
    phase(),
  );
  mark('all orders settled (or timed out)');

  const outcomes = await collectOutcomes(client, tracker, plans);
  for (const o of outcomes) {
    const at = drivenAt.get(o.plan.orderId);
    if (at !== undefined) o.drivenAt = at;
  }
  return { outcomes, timeline };
}

/** Every order's final word: the result if it ended, else the status query (parked, stuck). */
export async function collectOutcomes(
  client: Client,
  tracker: OrderTracker,
  plans: readonly PlannedOrder[],
): Promise<Outcome[]> {
  await tracker.refresh();
  return mapLimit(plans, 8, async (plan): Promise<Outcome> => {
    const progress = tracker.get(plan.orderId);
    const handle = client.workflow.getHandle(plan.orderId);
    const ended = progress !== undefined && !progress.running;
    try {
      const state = ended
        ? ((await handle.result()) as OrderState)
        : await withTimeout(handle.query(statusQuery), 20_000, 'status query');
      const timeToTerminalMs =
        ended && progress.closeTime !== undefined
          ? progress.closeTime.getTime() - progress.startTime.getTime()
          : undefined;
      const closedAt = progress?.closeTime?.getTime();
      return {
        plan,
        state,
        ended,
        ...(timeToTerminalMs === undefined ? {} : { timeToTerminalMs }),
        ...(closedAt === undefined ? {} : { closedAt }),
      };
    } catch (err) {
      return { plan, ended, error: err instanceof Error ? err.message : String(err) };
    }
  });
}
