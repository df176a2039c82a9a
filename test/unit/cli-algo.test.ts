/**
 * `ordo algo …` without a server: plans through the commander tree in-process (fast), a few runs
 * of the real bin/ordo.js for exit codes and output streams, and the wiring of the management
 * commands to a stand-in OrdoAlgos (the real client is tested against Temporal elsewhere).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { Command } from 'commander';
import { OrdoAlgos, parentListQuery } from '../../src/client/algos';
import { type AlgoCliDeps, registerAlgoCommands } from '../../src/client/cli-algo';
import { Dec } from '../../src/domain/decimal';
import { OrderRequestError } from '../../src/domain/order-request';
import type { ParentCommandResult, ParentProgress } from '../../src/workflows/parent-messages';

const NOW = new Date('2030-01-01T00:00:00.000Z');
const ORDO = path.join(__dirname, '..', '..', 'bin', 'ordo.js');
const TWAP = ['algo', 'twap', '--symbol', 'BTC/USDT', '--side', 'buy', '--quantity', '1', '--duration', '2h'];
const PAPER = [
  ...['algo', 'is', '--symbol', 'BTC/USDT', '--side', 'sell', '--quantity', '1000000', '--duration', '5d'],
  ...['--slices', '5', '--sigma', '0.95', '--eta', '2.5e-6', '--gamma', '2.5e-7', '--epsilon', '0.0625'],
  ...['--risk-aversion', '1e-6', '--lot-size', '1'],
];

interface Slice {
  index: number;
  at: string;
  quantity: string;
}
interface PlanOutput {
  algo: string;
  params: Record<string, unknown>;
  slices: Slice[];
  notes: string[];
  holdings?: string[];
  kappa?: number;
  expectedCost?: number;
  variance?: number;
}

const sum = (slices: Slice[]) => slices.reduce((s, x) => s.plus(x.quantity), new Dec(0)).toFixed();

/** Runs `ordo <args>` in-process; returns what it printed. `algos` stands in for the client. */
async function run(args: string[], algos?: Partial<OrdoAlgos>): Promise<string> {
  let out = '';
  const deps: AlgoCliDeps = {
    write: (text) => {
      out += text;
    },
    now: () => NOW,
    connect: async () => {
      if (algos === undefined) throw new Error('this test must not connect');
      return { algos: algos as OrdoAlgos, close: async () => undefined };
    },
  };
  const program = new Command('ordo').option('--json');
  registerAlgoCommands(program, deps);
  await program.parseAsync(args, { from: 'user' });
  return out;
}

async function runJson<T = PlanOutput>(args: string[], algos?: Partial<OrdoAlgos>): Promise<T> {
  return JSON.parse(await run([...args, '--json'], algos)) as T;
}

/** The issue codes a refused command reports. */
async function refusal(args: string[], algos?: Partial<OrdoAlgos>): Promise<string[]> {
  try {
    await run(args, algos);
  } catch (err) {
    // ParentRequestError (the flags) or PlanError (the planner): both are request errors (exit 2).
    if (err instanceof OrderRequestError) return err.issues.map((i) => i.code);
    throw err;
  }
  throw new Error(`expected ${args.join(' ')} to be refused`);
}

/** The real CLI, as a user runs it (tsx; ~1 s each, so only a few). */
function spawnOrdo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', [ORDO, ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('ordo algo … --plan (in-process)', () => {
  it('twap --json: exactly { algo, params, slices: [{ index, at, quantity }], notes }, summing exactly', async () => {
    const plan = await runJson([...TWAP, '--interval', '5m', '--plan']);
    expect(Object.keys(plan)).toEqual(['algo', 'params', 'slices', 'notes']);
    expect(plan.algo).toBe('twap');
    expect(plan.params).toMatchObject({
      algo: 'twap',
      symbol: 'BTC/USDT',
      side: 'buy',
      quantity: '1',
      venue: 'sim',
      startAt: NOW.toISOString(),
      endAt: '2030-01-01T02:00:00.000Z',
      intervalMs: 300_000,
    });
    expect(plan.slices).toHaveLength(24);
    for (const s of plan.slices) expect(Object.keys(s)).toEqual(['index', 'at', 'quantity']);
    expect(plan.slices[1]).toEqual({ index: 1, at: '2030-01-01T00:05:00.000Z', quantity: '0.04166667' });
    expect(sum(plan.slices)).toBe('1');
    expect(plan.notes).toEqual([]);
  });

  it("is: the paper's example gives κ ≈ 0.6 per day and holdings from 1000000 to 0", async () => {
    const plan = await runJson([...PAPER, '--plan']);
    expect(Object.keys(plan)).toEqual([
      'algo',
      'params',
      'slices',
      'notes',
      'holdings',
      'kappa',
      'expectedCost',
      'variance',
    ]);
    expect(plan.params).toMatchObject({ timeUnitMs: 86_400_000, sigma: 0.95, eta: 2.5e-6 });
    expect(plan.kappa).toBeCloseTo(0.607, 3);
    expect(plan.holdings).toEqual(['1000000', '541956', '289855', '147898', '62142', '0']);
    expect(plan.slices.map((s) => s.quantity)).toEqual(['458044', '252101', '141957', '85756', '62142']);
    expect(plan.expectedCost).toBeGreaterThan(0);
    expect(plan.variance).toBeGreaterThan(0);
  });

  it('the human plan is a table with the total, and the IS model figures', async () => {
    const text = await run([...PAPER, '--plan']);
    expect(text).toMatch(
      /^is: sell 1000000 BTC\/USDT on sim, from 2030-01-01T00:00:00.000Z until 2030-01-06/,
    );
    expect(text).toMatch(/#\s+at\s+quantity/);
    expect(text).toContain('total 1000000 in 5 slices');
    expect(text).toContain('holdings x_0 … x_N: 1000000, 541956, 289855, 147898, 62142, 0');
    expect(text).toMatch(/κ 0\.607\d* per time unit/);
  });

  it('every algo plans: vwap from --profile, iceberg shows, pov and route with a note and no slices', async () => {
    const vwap = await runJson([
      ...['algo', 'vwap', '--symbol', 'ETH/USDT', '--side', 'sell', '--quantity', '6', '--duration', '30m'],
      ...['--interval', '10m', '--profile', '1,2,3', '--plan'],
    ]);
    expect(vwap.slices.map((s) => s.quantity)).toEqual(['1', '2', '3']);

    const iceberg = await runJson([
      ...['algo', 'iceberg', '--symbol', 'BTC/USDT', '--side', 'buy', '--quantity', '10', '--display', '4'],
      ...['--limit-price', '60000', '--plan'],
    ]);
    expect(iceberg.slices.map((s) => s.quantity)).toEqual(['4', '4', '2']);
    expect(iceberg.slices.every((s) => s.at === NOW.toISOString())).toBe(true);

    const pov = await runJson(['algo', 'pov', ...TWAP.slice(2), '--participation', '0.1', '--plan']);
    expect(pov.slices).toEqual([]);
    expect(pov.notes[0]).toMatch(/volume/);

    const route = await runJson([
      ...['algo', 'route', '--symbol', 'BTC/USDT', '--side', 'buy', '--quantity', '1', '--venues', 'a,b'],
      '--plan',
    ]);
    expect(route.params).toMatchObject({ venues: ['a', 'b'], venue: '' });
    expect(route.slices).toEqual([]);
  });

  it('lot rules come from --lot-size / --min-amount; --min-notional without a price is not silently ignored', async () => {
    const plan = await runJson([
      ...TWAP,
      '--slices',
      '3',
      '--lot-size',
      '0.1',
      '--min-notional',
      '10',
      '--plan',
    ]);
    expect(plan.slices.map((s) => s.quantity)).toEqual(['0.4', '0.3', '0.3']);
    expect(plan.notes.join(' ')).toMatch(/--min-notional is not applied/);
    const merged = await runJson([...TWAP, '--slices', '4', '--min-amount', '0.4', '--plan']);
    expect(sum(merged.slices)).toBe('1');
    expect(merged.slices.length).toBeLessThan(4);
    expect(merged.notes.join(' ')).toMatch(/below the venue minimum/);
  });

  it('a randomised plan without --seed or --id says the run would pick another seed', async () => {
    const plan = await runJson([...TWAP, '--randomization', '0.2', '--plan']);
    expect(plan.notes.join(' ')).toMatch(/give --seed or --id/);
    const seeded = await runJson([...TWAP, '--randomization', '0.2', '--seed', '7', '--plan']);
    expect(seeded.notes).toEqual([]);
    expect(seeded.params).toMatchObject({ seed: 7 });
  });
});

describe('ordo algo: bad input is refused with typed issues, all at once, nothing clamped', () => {
  it('number flags are parsed strictly and every problem is reported', async () => {
    const codes = await refusal([
      ...PAPER.slice(0, 10),
      ...['--slices', '5', '--sigma', 'abc', '--eta', '1e', '--gamma', '-1', '--epsilon', '0.0625', '--plan'],
    ]);
    expect(codes).toEqual(['INVALID_SIGMA', 'INVALID_ETA', 'INVALID_GAMMA']);
  });

  it('out-of-range values are refused, not clamped', async () => {
    expect(await refusal([...TWAP, '--randomization', '1', '--plan'])).toEqual(['INVALID_RANDOMIZATION']);
    expect(await refusal([...TWAP, '--slices', '2.5', '--plan'])).toEqual(['INVALID_SLICES']);
    expect(await refusal([...TWAP, '--lot-size', '0', '--plan'])).toEqual(['INVALID_LOT_SIZE']);
  });

  it("the schema's own issues come with the flags' (one issue per flag)", async () => {
    const codes = await refusal([
      ...['algo', 'twap', '--symbol', 'btc', '--side', 'hold', '--quantity', '-1', '--duration', '2x'],
      ...['--seed', 'x', '--plan'],
    ]);
    expect(codes).toEqual([
      'INVALID_SEED',
      'INVALID_SYMBOL',
      'INVALID_SIDE',
      'INVALID_QUANTITY',
      'INVALID_DURATION',
    ]);
  });

  it('IS without σ, η, γ, ε cannot be planned: MISSING_MODEL_PARAMETERS', async () => {
    expect(await refusal([...PAPER.slice(0, 12), '--plan'])).toEqual(['MISSING_MODEL_PARAMETERS']);
  });

  it("commander's usage errors are typed too", async () => {
    expect(await refusal([...TWAP, '--bogus', '--plan'])).toEqual(['UNKNOWN_OPTION']);
    expect(await refusal(['algo', 'nope'])).toEqual(['UNKNOWN_COMMAND']);
    expect(await refusal(['algo', 'twap', '--symbol'])).toEqual(['OPTION_MISSING_ARGUMENT']);
  });

  it('flags that make no sense together are refused before connecting', async () => {
    expect(await refusal([...TWAP, '--plan', '--wait'])).toEqual(['CONFLICTING_FLAGS']);
    expect(await refusal([...TWAP, '--lot-size', '1'])).toEqual(['PLAN_ONLY_FLAG']);
    expect(await refusal([...TWAP, '--end', '2030-01-01T03:00:00Z', '--plan'])).toEqual(['CONFLICTING_END']);
    expect(await refusal(['algo', 'amend', 'p1'])).toEqual(['NOTHING_TO_AMEND']);
    expect(await refusal(['algo', 'amend', 'p1', '--end', 'tomorrow', '--quantity', '0'])).toEqual([
      'INVALID_QUANTITY',
      'INVALID_END',
    ]);
    expect(await refusal(['algo', 'kill', 'p1'])).toEqual(['MISSING_REASON']);
    expect(await refusal(['algo', 'list', '--status', 'DONE', '--algo', 'x'])).toEqual([
      'INVALID_ALGO',
      'INVALID_STATUS',
    ]);
  });
});

describe('ordo algo: commands reach the client with what the flags say', () => {
  it('start passes the raw request (durations unresolved) and the clock', async () => {
    const start = jest.fn(async () => ({ parentId: 'twap-0000abcd', runId: 'r1' }));
    const text = await run([...TWAP, '--interval', '5m', '--id', 'twap-0000abcd'], { start });
    expect(start).toHaveBeenCalledWith(
      'twap',
      {
        symbol: 'BTC/USDT',
        side: 'buy',
        quantity: '1',
        duration: '2h',
        interval: '5m',
        parentId: 'twap-0000abcd',
        venue: 'sim',
      },
      NOW,
    );
    expect(text).toBe('twap twap-0000abcd started (run r1)\n');
  });

  it('amend --duration is from now; a refused update exits 3', async () => {
    const amend = jest.fn(async (): Promise<ParentCommandResult> => ({
      accepted: false,
      reason: 'PARENT_ENDED',
      status: 'COMPLETED',
    }));
    const text = await run(['algo', 'amend', 'p1', '--duration', '30m', '--limit-price', '61000.50'], {
      amend,
    });
    expect(amend).toHaveBeenCalledWith('p1', { endAt: '2030-01-01T00:30:00.000Z', limitPrice: '61000.5' });
    expect(text).toBe('not amended (PARENT_ENDED): COMPLETED\n');
    expect(process.exitCode).toBe(3);
    process.exitCode = undefined;
  });

  it('pause, kill and list', async () => {
    const pause = jest.fn(async (): Promise<ParentCommandResult> => ({ accepted: true, status: 'PAUSED' }));
    expect(await run(['algo', 'pause', 'p1', '--reason', 'news'], { pause })).toBe('paused: PAUSED\n');
    expect(pause).toHaveBeenCalledWith('p1', 'news');

    const killSwitch = jest.fn(async () => undefined);
    await run(['algo', 'kill', 'p1', '--reason', 'risk'], { killSwitch });
    expect(killSwitch).toHaveBeenCalledWith('p1', 'risk');

    const list = jest.fn(async () => []);
    const out = await runJson<unknown[]>(
      ['algo', 'list', '--algo', 'is', '--status', 'WORKING', '--limit', '5'],
      {
        list,
      },
    );
    expect(out).toEqual([]);
    expect(list).toHaveBeenCalledWith({ algo: 'is', status: 'WORKING' }, 5);
  });

  it('progress: a header, then one row per slice; --json is the progress itself', async () => {
    const progress: ParentProgress = {
      parentId: 'twap-1',
      algo: 'twap',
      status: 'WORKING',
      quantity: '1',
      filledQuantity: '0.25',
      remainingQuantity: '0.75',
      averagePrice: '60000',
      slices: [
        {
          index: 0,
          scheduledAt: '2030-01-01T00:00:00.000Z',
          targetQuantity: '0.25',
          filledQuantity: '0.25',
          childId: 'twap-1-0',
          status: 'FILLED',
          averagePrice: '60000',
        },
        {
          index: 1,
          scheduledAt: '2030-01-01T00:30:00.000Z',
          targetQuantity: '0.25',
          filledQuantity: '0',
          status: 'SCHEDULED',
        },
      ],
      behindSchedule: true,
      scheduledQuantity: '0.5',
      notes: [],
      history: [{ status: 'WORKING', at: '2030-01-01T00:00:00.000Z' }],
    };
    const get = jest.fn(async () => progress);
    const text = await run(['algo', 'progress', 'twap-1'], { progress: get });
    expect(text.split('\n').slice(0, 6)).toEqual([
      'twap-1  twap  WORKING',
      '  filled 0.25 of 1, remaining 0.75, average 60000',
      '  scheduled by now 0.5, BEHIND SCHEDULE',
      '  #  scheduled at              target  filled  status     average  child     note',
      '  0  2030-01-01T00:00:00.000Z  0.25    0.25    FILLED     60000    twap-1-0',
      '  1  2030-01-01T00:30:00.000Z  0.25    0       SCHEDULED',
    ]);
    expect(await runJson(['algo', 'progress', 'twap-1'], { progress: get })).toEqual(progress);
  });

  it('parents are listed by workflow type, filtered by search attributes', () => {
    expect(parentListQuery({ algo: 'twap', symbol: "O'B/USDT" })).toBe(
      "WorkflowType IN ('twapWorkflow', 'vwapWorkflow', 'povWorkflow', 'implementationShortfallWorkflow', " +
        "'icebergWorkflow', 'smartRouteWorkflow') AND Algo = 'twap' AND Symbol = 'O\\'B/USDT'",
    );
  });
});

describe('bin/ordo.js algo (the real CLI, no server)', () => {
  it('--plan --json prints the plan on stdout and exits 0', async () => {
    const { code, stdout, stderr } = await spawnOrdo([...TWAP, '--interval', '5m', '--plan', '--json']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const plan = JSON.parse(stdout) as PlanOutput;
    expect(Object.keys(plan)).toEqual(['algo', 'params', 'slices', 'notes']);
    expect(plan.slices).toHaveLength(24);
    expect(sum(plan.slices)).toBe('1');
  });

  it("is --plan --json: the paper's example", async () => {
    const { code, stdout } = await spawnOrdo([...PAPER, '--plan', '--json']);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout) as PlanOutput;
    expect(plan.kappa).toBeCloseTo(0.6, 1);
    expect(plan.holdings?.[0]).toBe('1000000');
    expect(plan.holdings?.at(-1)).toBe('0');
  });

  it('bad flags exit 2 with SCREAMING_SNAKE codes on stderr (or as JSON with --json)', async () => {
    const bad = await spawnOrdo([...TWAP, '--quantity', 'abc', '--randomization', '1e', '--plan']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe(
      'INVALID_RANDOMIZATION: --randomization: "1e" is not a number\n' +
        'INVALID_QUANTITY: quantity "abc" is not a decimal number\n',
    );
    const unknown = await spawnOrdo([...TWAP, '--bogus', '--plan', '--json']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ error: 'UNKNOWN_OPTION' });
  });
});
