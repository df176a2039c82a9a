/**
 * bench/parent-orders: parent orders on the simulator's synthetic market (tickMs 250), measured.
 *
 *   slice lateness     each planned TWAP/VWAP slice's scheduledAt (catch-ups left out) → its
 *                      child workflow's start (server time), the child's SUBMITTED (workflow
 *                      time), the order's arrival at the simulator; next to a plain order
 *                      submitted by the client in the same run (client call → arrival at the
 *                      simulator), the baseline of the ratio column
 *   TWAP/VWAP slippage each parent's average fill price against the market's VWAP over the
 *                      parent's [startAt, endAt], from every public trade of the simulator except
 *                      ours (any trade with our account on either side); bps, positive = cost
 *                      (bought above / sold below the VWAP); fees are not included. Also
 *                      against the arrival mid, and how many children expired unfilled (an IOC
 *                      slice whose price the market left before it arrived: later slices catch up)
 *   POV participation  our filled quantity / all public volume in [startAt, endAt] (ours included:
 *                      the volume POV targets a share of), against the target
 *
 * All parents of a round start together and run for the same window: a buy and a sell TWAP and
 * VWAP on BTC/USDT and on ETH/USDT, and on SOL/USDT a buy POV and a sell POV. The POVs' maximum
 * participation is their target and their quantity more than the window's volume allows, so they
 * trade at their rate until the end (and end EXPIRED) instead of speeding up or finishing early.
 * Everything runs in this process (dev server in memory, simulator, worker), so clocks are
 * shared. Prints numbers; asserts nothing.
 *
 *   npx tsx bench/parent-orders.ts
 *   BENCH_DURATION=2m30s BENCH_TWAP_INTERVAL=5s BENCH_VWAP_INTERVAL=30s BENCH_POV_CHECK=5s
 *   BENCH_AGGRESSION=cross BENCH_ROUNDS=1 (rounds run one after the other; samples add up)
 */
import os from 'node:os';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { ALGO_WORKFLOW_TYPES } from '../src/client/algos';
import { OrdoOrders } from '../src/client/orders';
import { parseDuration } from '../src/domain/algos/duration';
import type { Algo } from '../src/domain/algos/types';
import type { OrderState } from '../src/domain/order-state';
import { type RunningSimulator, startSimulator } from '../src/sim/server';
import { openLedger } from '../src/ledger/open-ledger';
import { createVenueRegistry } from '../src/venues/factory';
import { createWorkerActivities } from '../src/workers/activities';
import { parseWorkerConfig } from '../src/workers/config';
import { workflowSource } from '../src/workers/workflow-bundle';
import type { ParentProgress } from '../src/workflows/parent-messages';
import { startDevServer } from '../test/support/temporal-dev-server';
import { percentile } from './stats';

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const DURATION = env('BENCH_DURATION', '2m30s');
const TWAP_INTERVAL = env('BENCH_TWAP_INTERVAL', '5s');
const VWAP_INTERVAL = env('BENCH_VWAP_INTERVAL', '30s');
const POV_CHECK = env('BENCH_POV_CHECK', '5s');
const AGGRESSION = env('BENCH_AGGRESSION', 'cross');
const ROUNDS = Number(env('BENCH_ROUNDS', '1'));
/** Plain orders for the baseline (after as many unmeasured ones). */
const BASELINE_ORDERS = 10;
const TASK_QUEUE = 'bench-parents';
const ACCOUNT = {
  apiKey: 'bench-parents',
  secret: 'bench-parents-secret',
  balances: { USDT: '10000000', BTC: '100', ETH: '2000', SOL: '100000' },
};

interface ParentSpec {
  algo: Algo;
  symbol: string;
  side: 'buy' | 'sell';
  quantity: string;
  extra: Record<string, unknown>;
}

function parentsOfARound(): ParentSpec[] {
  const specs: ParentSpec[] = [];
  for (const side of ['buy', 'sell'] as const) {
    for (const [symbol, quantity] of [
      ['BTC/USDT', '0.5'],
      ['ETH/USDT', '10'],
    ] as const) {
      specs.push({ algo: 'twap', symbol, side, quantity, extra: { interval: TWAP_INTERVAL } });
      specs.push({ algo: 'vwap', symbol, side, quantity, extra: { interval: VWAP_INTERVAL } });
    }
  }
  for (const [side, participation] of [
    ['buy', 0.1],
    ['sell', 0.2],
  ] as const)
    specs.push({
      algo: 'pov',
      symbol: 'SOL/USDT',
      side,
      quantity: '20000',
      extra: { participation, maxParticipation: participation, checkInterval: POV_CHECK },
    });
  return specs;
}

/** Every public trade of the simulator, and the ids of those our account took part in. */
interface Tape {
  trades: { id: number; symbol: string; price: number; qty: number; time: number }[];
  ours: Set<number>;
}

function recordTape(sim: RunningSimulator, accountId: string): Tape {
  const tape: Tape = { trades: [], ours: new Set() };
  sim.engine.exchange.on('trade', (t) =>
    tape.trades.push({
      id: t.id,
      symbol: t.symbol,
      price: t.price.toNumber(),
      qty: t.qty.toNumber(),
      time: t.time,
    }),
  );
  sim.engine.exchange.on('order', (e) => {
    if (e.fill !== undefined && e.fill.accountId === accountId) tape.ours.add(e.fill.tradeId);
  });
  return tape;
}

function marketOf(tape: Tape, symbol: string, fromMs: number, toMs: number, withOurs: boolean) {
  const venueSymbol = symbol.replace('/', '');
  let volume = 0;
  let notional = 0;
  let count = 0;
  for (const t of tape.trades) {
    if (t.symbol !== venueSymbol || t.time < fromMs || t.time > toMs) continue;
    if (!withOurs && tape.ours.has(t.id)) continue;
    volume += t.qty;
    notional += t.qty * t.price;
    count += 1;
  }
  return { volume, vwap: volume > 0 ? notional / volume : NaN, trades: count };
}

interface Finished {
  spec: ParentSpec;
  final: ParentProgress;
}

interface Lateness {
  algo: Algo;
  first: boolean;
  childStarted: number;
  submitted: number;
  atVenue: number;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const server = await startDevServer();
  const sim = await startSimulator({ port: 0, seed: 42, tickMs: 250 });
  sim.engine.addAccount(ACCOUNT);
  const tape = recordTape(sim, ACCOUNT.apiKey);
  const config = parseWorkerConfig(
    JSON.stringify({
      venues: {
        sim: {
          kind: 'ccxt',
          exchange: 'binance',
          simulatorUrl: sim.url,
          apiKey: ACCOUNT.apiKey,
          secret: ACCOUNT.secret,
          pollIntervalMs: 100,
          rateLimitMs: 1,
          recvWindowDeadline: true,
        },
      },
    }),
  );
  const registry = createVenueRegistry(config);
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue: TASK_QUEUE,
    ...(await workflowSource()),
    // Events go nowhere here: a log line per event would mix with the numbers printed.
    activities: createWorkerActivities({
      registry,
      ledger: await openLedger('sqlite::memory:'),
      eventSinks: [],
      client: new Client({ connection: nativeConnection }),
      taskQueue: TASK_QUEUE,
      namespace: 'default',
    }),
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const arrivals = () => {
    const byClientId = new Map<string, number>();
    for (const r of sim.engine.orderLog.list({ apiKey: ACCOUNT.apiKey }))
      if (r.clientOrderId !== null && !byClientId.has(r.clientOrderId))
        byClientId.set(r.clientOrderId, r.receivedAt);
    return byClientId;
  };

  try {
    const baseline = await plainOrders(client, arrivals);
    await warmUpParent(client);
    const finished: Finished[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      console.error(`round ${round}/${ROUNDS}: ${parentsOfARound().length} parents for ${DURATION}…`);
      finished.push(...(await runRound(client, round)));
    }
    const lateness = await latenessOf(client, finished, arrivals());
    printReport(finished, baseline, lateness, tape);
  } finally {
    worker.shutdown();
    await running;
    await registry.close();
    await nativeConnection.close();
    await connection.close();
    await sim.close();
    await server.stop();
  }
}

/** Client call → arrival at the simulator of plain market orders: what a slice is compared with. */
async function plainOrders(client: Client, arrivals: () => Map<string, number>): Promise<number[]> {
  const orders = new OrdoOrders(client, TASK_QUEUE);
  const starts: { t0: number; final: OrderState }[] = [];
  for (let i = 0; i < 2 * BASELINE_ORDERS; i++) {
    const orderId = `bench-plain-${Date.now()}-${i}`;
    const t0 = Date.now();
    await orders.submit({
      orderId,
      symbol: 'BTC/USDT',
      side: i % 2 === 0 ? 'buy' : 'sell',
      type: 'market',
      quantity: '0.001',
      venue: 'sim',
    });
    const final = (await client.workflow.getHandle(orderId).result()) as OrderState;
    if (i >= BASELINE_ORDERS) starts.push({ t0, final });
  }
  const seen = arrivals();
  return starts.map(({ t0, final }) => (seen.get(final.clientOrderId) ?? NaN) - t0);
}

/** A short TWAP, not measured: the first parent pays for loading code and markets. */
async function warmUpParent(client: Client): Promise<void> {
  const handle = await client.workflow.start('twapWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: `bench-warm-${Date.now()}`,
    args: [
      { symbol: 'ETH/USDT', side: 'buy', quantity: '0.1', venue: 'sim', duration: '3s', interval: '1s' },
    ],
  });
  await handle.result();
}

async function runRound(client: Client, round: number): Promise<Finished[]> {
  const stamp = Date.now().toString(36);
  const started: { spec: ParentSpec; handle: WorkflowHandle }[] = [];
  for (const [i, spec] of parentsOfARound().entries()) {
    const parentId = `bench-${spec.algo}-${spec.side}-${spec.symbol.split('/')[0]}-${stamp}-${round}-${i}`;
    const handle = await client.workflow.start(ALGO_WORKFLOW_TYPES[spec.algo], {
      taskQueue: TASK_QUEUE,
      workflowId: parentId,
      args: [
        {
          symbol: spec.symbol,
          side: spec.side,
          quantity: spec.quantity,
          venue: 'sim',
          duration: DURATION,
          aggression: AGGRESSION,
          ...spec.extra,
        },
      ],
    });
    started.push({ spec, handle });
  }
  return Promise.all(
    started.map(async ({ spec, handle }) => ({ spec, final: (await handle.result()) as ParentProgress })),
  );
}

/** Per child of every TWAP and VWAP: how late it started, was sent and arrived, against scheduledAt. */
async function latenessOf(
  client: Client,
  finished: Finished[],
  arrivals: Map<string, number>,
): Promise<Lateness[]> {
  const jobs = finished
    .filter((f) => f.spec.algo === 'twap' || f.spec.algo === 'vwap')
    .flatMap((f) =>
      f.final.slices
        // Planned slices only: a catch-up child is scheduled the moment it is sent.
        .filter((s) => s.childId !== undefined && s.note?.startsWith('catch-up') !== true)
        .map((s, n) => ({ algo: f.spec.algo, first: n === 0, slice: s, childId: s.childId as string })),
    );
  const out: Lateness[] = [];
  // A few at a time: describe + result of every child is two calls each.
  for (let i = 0; i < jobs.length; i += 8) {
    const batch = await Promise.all(
      jobs.slice(i, i + 8).map(async (job) => {
        const handle = client.workflow.getHandle(job.childId);
        const [description, state] = await Promise.all([
          handle.describe(),
          handle.result() as Promise<OrderState>,
        ]);
        const due = Date.parse(job.slice.scheduledAt);
        const submitted = state.history.find((h) => h.status === 'SUBMITTED')?.at;
        return {
          algo: job.algo,
          first: job.first,
          childStarted: description.startTime.getTime() - due,
          submitted: submitted === undefined ? NaN : Date.parse(submitted) - due,
          atVenue: (arrivals.get(state.clientOrderId) ?? NaN) - due,
        };
      }),
    );
    out.push(...batch);
  }
  return out;
}

// ---- printing -----------------------------------------------------------------------------------

function table(header: string[], rows: (string | number)[][]): void {
  const cells = rows.map((r) => r.map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of cells) console.log(line(r));
}

const finite = (xs: number[]) => xs.filter((x) => Number.isFinite(x));
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '-');
const bps = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');
const median = (xs: number[]) => percentile(finite(xs), 50);

/** Signed so that positive is a cost: bought above, or sold below, the reference. */
function slippageBps(side: 'buy' | 'sell', price: number, reference: number): number {
  return ((side === 'buy' ? 1 : -1) * (price - reference) * 10_000) / reference;
}

function printReport(finished: Finished[], baseline: number[], lateness: Lateness[], tape: Tape): void {
  console.log(
    `parent orders: ${ROUNDS} round(s) of ${parentsOfARound().length} parents over ${DURATION} ` +
      `(TWAP every ${TWAP_INTERVAL}, VWAP every ${VWAP_INTERVAL}, POV checked every ${POV_CHECK}, ` +
      `aggression ${AGGRESSION}); simulator tick 250 ms; ` +
      `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, node ${process.version}`,
  );

  console.log(
    '\nslice start lateness (ms) against scheduledAt; baseline: a plain order, client call → at venue',
  );
  const base = median(baseline);
  const rows: [string, number[]][] = [
    ['plain order: client call → at venue (baseline)', baseline],
    [
      'TWAP slice due → child workflow started',
      lateness.filter((l) => l.algo === 'twap').map((l) => l.childStarted),
    ],
    ['TWAP slice due → child SUBMITTED', lateness.filter((l) => l.algo === 'twap').map((l) => l.submitted)],
    ['TWAP slice due → at venue', lateness.filter((l) => l.algo === 'twap').map((l) => l.atVenue)],
    [
      'TWAP slice due → at venue, first slices only',
      lateness.filter((l) => l.algo === 'twap' && l.first).map((l) => l.atVenue),
    ],
    [
      'TWAP slice due → at venue, without first slices',
      lateness.filter((l) => l.algo === 'twap' && !l.first).map((l) => l.atVenue),
    ],
    ['VWAP slice due → at venue', lateness.filter((l) => l.algo === 'vwap').map((l) => l.atVenue)],
  ];
  table(
    ['measure', 'n', 'p50', 'p90', 'p99', 'max', 'p50 / baseline'],
    rows.map(([name, raw]) => {
      const xs = finite(raw);
      return [
        name,
        xs.length,
        ms(percentile(xs, 50)),
        ms(percentile(xs, 90)),
        ms(percentile(xs, 99)),
        ms(xs.length === 0 ? NaN : Math.max(...xs)),
        `${(percentile(xs, 50) / base).toFixed(1)}×`,
      ];
    }),
  );

  console.log(
    "\nTWAP / VWAP slippage against the market's interval VWAP (public trades in [startAt, endAt], ours excluded), bps, + = cost",
  );
  const scheduled = finished.filter((f) => f.spec.algo === 'twap' || f.spec.algo === 'vwap');
  const slip = scheduled.map((f) => {
    const request = f.final.request;
    const from = Date.parse(request?.startAt ?? '');
    const to = Date.parse(request?.endAt ?? '');
    const market = marketOf(tape, f.spec.symbol, from, to, false);
    const avg = Number(f.final.averagePrice ?? NaN);
    return {
      f,
      market,
      vsVwap: slippageBps(f.spec.side, avg, market.vwap),
      vsArrival: slippageBps(f.spec.side, avg, Number(f.final.arrivalPrice ?? NaN)),
    };
  });
  table(
    [
      'parent',
      'status',
      'filled',
      'children',
      'expired unfilled',
      'avg price',
      'market VWAP',
      'market trades',
      'vs VWAP bps',
      'vs arrival mid bps',
    ],
    slip.map(({ f, market, vsVwap, vsArrival }) => [
      `${f.spec.algo} ${f.spec.side} ${f.spec.symbol}`,
      f.final.status,
      `${f.final.filledQuantity} / ${f.final.quantity}`,
      f.final.slices.filter((s) => s.childId !== undefined).length,
      f.final.slices.filter((s) => s.status === 'EXPIRED' && Number(s.filledQuantity) === 0).length,
      f.final.averagePrice ?? '-',
      market.vwap.toFixed(2),
      market.trades,
      bps(vsVwap),
      bps(vsArrival),
    ]),
  );
  const groups: [string, (s: (typeof slip)[number]) => boolean][] = [
    ['TWAP', (s) => s.f.spec.algo === 'twap'],
    ['VWAP', (s) => s.f.spec.algo === 'vwap'],
    ['buys', (s) => s.f.spec.side === 'buy'],
    ['sells', (s) => s.f.spec.side === 'sell'],
    ['all', () => true],
  ];
  table(
    ['group', 'parents', 'median vs VWAP bps', 'mean vs VWAP bps', 'median vs arrival mid bps'],
    groups.map(([name, keep]) => {
      const xs = slip.filter(keep);
      const vs = finite(xs.map((s) => s.vsVwap));
      return [
        name,
        xs.length,
        bps(median(vs)),
        bps(vs.reduce((a, b) => a + b, 0) / vs.length),
        bps(median(xs.map((s) => s.vsArrival))),
      ];
    }),
  );

  console.log(
    '\nPOV realised participation: our filled / all public volume in [startAt, endAt] (ours included)',
  );
  table(
    ['parent', 'status', 'children', 'filled', 'market volume', 'target', 'realised', 'realised / target'],
    finished
      .filter((f) => f.spec.algo === 'pov')
      .map((f) => {
        const request = f.final.request;
        const market = marketOf(
          tape,
          f.spec.symbol,
          Date.parse(request?.startAt ?? ''),
          Date.parse(request?.endAt ?? ''),
          true,
        );
        const target = Number(f.spec.extra['participation']);
        const realised = Number(f.final.filledQuantity) / market.volume;
        return [
          `pov ${f.spec.side} ${f.spec.symbol}`,
          f.final.status,
          f.final.slices.filter((s) => s.childId !== undefined).length,
          f.final.filledQuantity,
          market.volume.toFixed(3),
          target.toFixed(3),
          realised.toFixed(4),
          (realised / target).toFixed(3),
        ];
      }),
  );
}

// Durations are checked before anything starts: a typo should not cost a server start.
for (const d of [DURATION, TWAP_INTERVAL, VWAP_INTERVAL, POV_CHECK]) parseDuration(d);

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
