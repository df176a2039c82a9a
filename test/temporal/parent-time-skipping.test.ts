/**
 * Parent schedules hours long on the Java time-skipping test server: a 2-hour TWAP and full-day
 * VWAPs run in seconds. Workflow time skips; the child orders trade on a real simulator at its
 * real time. Time skips only while the test awaits a result through env.client: while a test
 * polls a query instead, a parent waiting for its next slice stays waiting. (A child order closes
 * only once its reports to the parent landed, see order-workflow.ts: a signal still in flight when
 * its sender closes leaves the test server's clock locked, and no parent here would ever end.)
 *
 * Slices are sent `aggression: 'market'` on the run's shared (ticking) simulator, so each fills at
 * once and the schedule the test checks is exactly the plan (a crossing limit may miss a moving
 * ask, and catch-up would then resize later slices). The candle-built VWAP runs on a private,
 * still simulator instead, so the candles the workflow read can be read again by the test.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { createMarketActivities } from '../../src/activities/market-activities';
import { createOrderActivities } from '../../src/activities/order-activities';
import type { VwapRequest } from '../../src/domain/algos/params';
import { planVwap, volumeProfile } from '../../src/domain/algos/vwap';
import type { SchedulePlan } from '../../src/domain/algos/types';
import type { MarketRules } from '../../src/domain/market-rules';
import { add, dec, toDecimalString } from '../../src/domain/decimal';
import type { OrderState } from '../../src/domain/order-state';
import { type RunningSimulator, startSimulator } from '../../src/sim/server';
import { createVenueRegistry } from '../../src/venues/factory';
import type { Candle } from '../../src/venues/types';
import type { WorkerConfig } from '../../src/workers/config';
import { killSwitchSignal } from '../../src/workflows/messages';
import { type ParentProgress, progressQuery } from '../../src/workflows/parent-messages';
import { SA } from '../../src/workflows/search-attributes';
import { testWorkerConfig, uniqueOrderId } from '../support/ordo-worker';
import { TEST_BALANCES, createSimAccount } from '../support/simulator-admin';
import { type TimeSkippingOrdo, startTimeSkippingOrdo } from '../support/time-skipping-ordo';

jest.setTimeout(180_000);

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** A U: heavy at the open and the close, like an exchange's day. Sums to 48. */
const U_PROFILE = [6, 4, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4, 6];

interface ProfileWindow {
  symbol: string;
  startMs: number;
  endMs: number;
  lookbackDays: number;
}

const sum = (values: readonly string[]) => values.reduce((total, v) => add(total, v), '0');
const norm = (value: string) => toDecimalString(dec(value));

/** Polls the parent's progress (time does not skip meanwhile) until `done` holds. */
async function progressWhen(
  ordo: TimeSkippingOrdo,
  parentId: string,
  done: (p: ParentProgress) => boolean,
): Promise<ParentProgress> {
  const handle = ordo.client.workflow.getHandle(parentId);
  for (let i = 0; i < 300; i++) {
    const progress = await handle.query(progressQuery).catch(() => undefined);
    if (progress !== undefined && done(progress)) return progress;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`parent ${parentId} never reached the awaited progress`);
}

/** Runs a parent to its end, letting the server skip time; logs the wall time it took. */
async function runToEnd(ordo: TimeSkippingOrdo, parentId: string, label: string): Promise<ParentProgress> {
  const began = Date.now();
  const final = (await ordo.client.workflow.getHandle(parentId).result()) as ParentProgress;
  console.log(`${label}: ${final.status} in ${((Date.now() - began) / 1000).toFixed(1)} s of wall time`);
  return final;
}

/** Every child: ended FILLED as a slice of this parent, for what its slice says. */
async function expectChildrenFilled(ordo: TimeSkippingOrdo, final: ParentProgress): Promise<void> {
  for (const slice of final.slices) {
    const state = (await ordo.client.workflow.getHandle(slice.childId as string).result()) as OrderState;
    expect({ id: state.orderId, status: state.status, filled: state.filledQuantity }).toEqual({
      id: slice.childId,
      status: 'FILLED',
      filled: slice.filledQuantity,
    });
    expect(state.request.parentId).toBe(final.parentId);
  }
  // Not one child more than the slices show.
  await expect(
    ordo.client.workflow.getHandle(`${final.parentId}-${final.slices.length + 1}`).describe(),
  ).rejects.toBeInstanceOf(WorkflowNotFoundError);
}

/** How many runs (continue-as-new) the workflow took, following the chain from its first run. */
async function runsOf(ordo: TimeSkippingOrdo, workflowId: string, firstRunId: string): Promise<number> {
  let runId: string | null | undefined = firstRunId;
  let runs = 0;
  while (runId) {
    runs += 1;
    const { events } = await ordo.client.workflow.getHandle(workflowId, runId).fetchHistory();
    const last: temporal.api.history.v1.IHistoryEvent | undefined = events?.[events.length - 1];
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
  }
  return runs;
}

describe('on the run simulator', () => {
  let ordo: TimeSkippingOrdo;

  beforeAll(async () => {
    const account = await createSimAccount(TEST_BALANCES);
    ordo = await startTimeSkippingOrdo(testWorkerConfig({ ...account }));
  });

  afterAll(async () => {
    await ordo?.shutdown();
  });

  test('a 2-hour TWAP every 5 minutes completes in 24 slices 5 minutes apart', async () => {
    const parentId = uniqueOrderId('ts-twap');
    await ordo.client.workflow.start('twapWorkflow', {
      taskQueue: ordo.taskQueue,
      workflowId: parentId,
      args: [
        {
          symbol: 'BTC/USDT',
          side: 'buy',
          quantity: '0.024',
          venue: 'sim',
          duration: '2h',
          interval: '5m',
          aggression: 'market',
          strategyId: 'ts-strategy',
        },
      ],
    });
    const final = await runToEnd(ordo, parentId, '2-hour TWAP');

    expect(final.status).toBe('COMPLETED');
    expect(final.filledQuantity).toBe('0.024');
    expect(final.remainingQuantity).toBe('0');
    const startMs = Date.parse(final.request?.startAt as string);
    expect(Date.parse(final.request?.endAt as string) - startMs).toBe(2 * HOUR_MS);
    expect(final.slices.map((s) => s.childId)).toEqual(
      Array.from({ length: 24 }, (_, i) => `${parentId}-${i + 1}`),
    );
    expect(final.slices.map((s) => Date.parse(s.scheduledAt) - startMs)).toEqual(
      Array.from({ length: 24 }, (_, i) => i * 5 * MINUTE_MS),
    );
    expect(new Set(final.slices.map((s) => `${s.status} ${norm(s.targetQuantity)}`))).toEqual(
      new Set(['FILLED 0.001']),
    );
    expect(sum(final.slices.map((s) => s.filledQuantity))).toBe('0.024');
    // Workflow time went past the last slice (1 h 55 min in): the server skipped it.
    const completedAt = final.history.find((h) => h.status === 'COMPLETED')?.at as string;
    expect(Date.parse(completedAt) - startMs).toBeGreaterThanOrEqual(115 * MINUTE_MS);

    await expectChildrenFilled(ordo, final);
    // The test server took the search attributes the workflows upsert.
    const parent = await ordo.client.workflow.getHandle(parentId).describe();
    const sa = parent.typedSearchAttributes;
    expect(
      [SA.Algo, SA.OrderStatus, SA.Symbol, SA.Side, SA.Venue, SA.StrategyId].map((k) => sa.get(k)),
    ).toEqual(['twap', 'COMPLETED', 'BTC/USDT', 'buy', 'sim', 'ts-strategy']);
    const child = await ordo.client.workflow.getHandle(`${parentId}-24`).describe();
    expect(child.typedSearchAttributes.get(SA.ParentId)).toBe(parentId);
    expect(child.typedSearchAttributes.get(SA.OrderStatus)).toBe('FILLED');
  });

  test('a full-day VWAP on a U-shaped profile sizes its hourly slices by the profile, across runs', async () => {
    const parentId = uniqueOrderId('ts-vwap');
    const first = await ordo.client.workflow.start('vwapWorkflow', {
      taskQueue: ordo.taskQueue,
      workflowId: parentId,
      args: [
        {
          symbol: 'BTC/USDT',
          side: 'sell',
          quantity: '0.048',
          venue: 'sim',
          duration: '24h',
          interval: '1h',
          profile: U_PROFILE,
          aggression: 'market',
          // Continue-as-new after every 10 children: a day-long parent spans runs.
          childrenPerRun: 10,
        },
      ],
    });
    const final = await runToEnd(ordo, parentId, 'full-day VWAP (U profile)');

    expect(final.status).toBe('COMPLETED');
    expect(final.filledQuantity).toBe('0.048');
    const startMs = Date.parse(final.request?.startAt as string);
    expect(final.slices.map((s) => s.childId)).toEqual(
      Array.from({ length: 24 }, (_, i) => `${parentId}-${i + 1}`),
    );
    expect(final.slices.map((s) => Date.parse(s.scheduledAt) - startMs)).toEqual(
      Array.from({ length: 24 }, (_, i) => i * HOUR_MS),
    );
    // Exactly proportional: 0.048 · w / 48 for each weight w, all filled.
    const weightSum = U_PROFILE.reduce((a, b) => a + b, 0);
    const expected = U_PROFILE.map((w) => toDecimalString(dec('0.048').times(w).dividedBy(weightSum)));
    expect(final.slices.map((s) => norm(s.targetQuantity))).toEqual(expected);
    expect(final.slices.map((s) => norm(s.filledQuantity))).toEqual(expected);
    expect(sum(final.slices.map((s) => s.targetQuantity))).toBe('0.048');
    await expectChildrenFilled(ordo, final);
    // Three runs: 10 + 10 + 4 children.
    expect(await runsOf(ordo, parentId, first.firstExecutionRunId)).toBe(3);
  });

  test('the kill switch stops a TWAP waiting for its next slice', async () => {
    const parentId = uniqueOrderId('ts-kill');
    await ordo.client.workflow.start('twapWorkflow', {
      taskQueue: ordo.taskQueue,
      workflowId: parentId,
      args: [
        {
          symbol: 'BTC/USDT',
          side: 'buy',
          quantity: '0.024',
          venue: 'sim',
          duration: '2h',
          interval: '5m',
          aggression: 'market',
        },
      ],
    });
    // Time does not skip while the test polls: the parent waits 5 minutes for slice 2.
    await progressWhen(ordo, parentId, (p) => p.slices[0]?.status === 'FILLED');
    await ordo.client.workflow.getHandle(parentId).signal(killSwitchSignal, { reason: 'test' });
    const paused = await progressWhen(ordo, parentId, (p) => p.status === 'PAUSED');
    expect(paused.reason).toBe('KILL_SWITCH: test');
    // Nobody resumes it: the schedule's end comes while it is paused.
    const final = await runToEnd(ordo, parentId, 'killed TWAP');

    expect(final.status).toBe('EXPIRED');
    expect(final.reason).toMatch(/^END_REACHED while paused/);
    expect(final.history.map((h) => h.status)).toEqual(['PENDING', 'WORKING', 'PAUSED', 'EXPIRED']);
    expect(final.filledQuantity).toBe('0.001');
    expect(final.slices.filter((s) => s.childId !== undefined).map((s) => s.childId)).toEqual([
      `${parentId}-1`,
    ]);
    await expect(ordo.client.workflow.getHandle(`${parentId}-2`).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
  });
});

describe('on a still simulator with five days of history', () => {
  let sim: RunningSimulator;
  let config: WorkerConfig;
  let ordo: TimeSkippingOrdo;

  beforeAll(async () => {
    // No background ticks: nothing trades but the test, so the candles stay as the workflow read them.
    sim = await startSimulator({ port: 0, seed: 7, tickMs: 0, historyDays: 5 });
    config = testWorkerConfig({ simulatorUrl: sim.url, apiKey: 'sim-key', secret: 'sim-secret' });
    ordo = await startTimeSkippingOrdo(config);
  });

  afterAll(async () => {
    await ordo?.shutdown();
    await sim?.close();
  });

  /** The hourly candles the VWAP driver reads for its profile: the window's time of day, each lookback day. */
  async function profileCandles(window: ProfileWindow): Promise<Candle[]> {
    const registry = createVenueRegistry(config);
    try {
      const market = createMarketActivities(registry);
      const span = Math.min(window.endMs - window.startMs, DAY_MS);
      const candles: Candle[] = [];
      for (let day = window.lookbackDays; day >= 1; day--) {
        const since = window.startMs - day * DAY_MS;
        const until = since + span;
        candles.push(
          ...(await market.candles({
            venue: 'sim',
            symbol: window.symbol,
            timeframe: '1h',
            since: new Date(since).toISOString(),
            until: new Date(until).toISOString(),
          })),
        );
      }
      return candles;
    } finally {
      await registry.close();
    }
  }

  async function marketRules(symbol: string): Promise<MarketRules> {
    const registry = createVenueRegistry(config);
    try {
      return (await createOrderActivities(registry).prepareOrder({ venue: 'sim', symbol })).rules;
    } finally {
      await registry.close();
    }
  }

  test('a full-day VWAP without a profile sizes its slices by the venue hourly volume', async () => {
    const parentId = uniqueOrderId('ts-vwap-candles');
    // Starts 10 minutes from now (workflow time), so the test sees the plan before any slice trades.
    const startMs = Math.ceil((await ordo.env.currentTimeMs()) / 1000) * 1000 + 10 * MINUTE_MS;
    const window = { symbol: 'BTC/USDT', startMs, endMs: startMs + DAY_MS, lookbackDays: 5 };
    const candlesBefore = await profileCandles(window);
    await ordo.client.workflow.start('vwapWorkflow', {
      taskQueue: ordo.taskQueue,
      workflowId: parentId,
      args: [
        {
          symbol: 'BTC/USDT',
          side: 'buy',
          quantity: '0.024',
          venue: 'sim',
          startAt: new Date(startMs).toISOString(),
          duration: '24h',
          interval: '1h',
          lookbackDays: 5,
        },
      ],
    });
    const planned = await progressWhen(ordo, parentId, (p) => p.slices.length > 0);
    const candlesAfter = await profileCandles(window);
    // The workflow read the candles between the test's two reads. They are the same unless an hour
    // began in between (a new, empty hourly candle): then the workflow saw one of the two.
    const rules = await marketRules('BTC/USDT');
    const request = planned.request as VwapRequest;
    const plans = [candlesBefore, candlesAfter].map((candles) => {
      const span = { startAt: request.startAt, endAt: request.endAt, intervalMs: request.intervalMs };
      const { weights } = volumeProfile(candles, span);
      return planVwap({ ...span, quantity: request.quantity }, weights, rules, planned.arrivalPrice);
    });
    const asSlices = (plan: SchedulePlan) => plan.slices.map((s) => `${s.at} ${norm(s.quantity)}`);
    const planSlices = planned.slices.map((s) => `${s.scheduledAt} ${norm(s.targetQuantity)}`);
    expect(plans.map(asSlices)).toContainEqual(planSlices);
    expect(planned.slices.every((s) => s.status === 'SCHEDULED')).toBe(true);
    // 24 hourly candles on each of the 5 lookback days; the oldest hour may start before the
    // simulator's back history does.
    expect(planned.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^volume profile from 1(19|20) 1h candles of the last 5 days$/),
      ]),
    );
    // Sized by volume, not flat.
    expect(new Set(planned.slices.map((s) => s.targetQuantity)).size).toBeGreaterThan(1);

    const final = await runToEnd(ordo, parentId, 'full-day VWAP (candle profile)');
    expect(final.status).toBe('COMPLETED');
    expect(final.filledQuantity).toBe('0.024');
    expect(sum(final.slices.map((s) => s.targetQuantity))).toBe('0.024');
    expect(final.slices.map((s) => `${s.scheduledAt} ${norm(s.targetQuantity)}`)).toEqual(planSlices);
    await expectChildrenFilled(ordo, final);
  });
});
