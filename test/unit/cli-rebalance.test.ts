/**
 * `ordo rebalance` without a server: the command wired to a stand-in planner client (the real one
 * runs against Temporal in test/temporal/rebalance.test.ts), and the real bin/ordo.js for the exit
 * code of a refused targets file.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { registerRebalanceCommands } from '../../src/client/cli-rebalance';
import type { OrderOutcome, OrdoRebalance, RebalanceOptions } from '../../src/client/rebalance';
import type { RebalanceResult } from '../../src/workflows/rebalance-workflow';

const ORDO = path.join(__dirname, '..', '..', 'bin', 'ordo.js');

const FILE = {
  strategyId: 'alpha',
  targets: [
    { venue: 'sim', symbol: 'BTC/USDT', quantity: '-0.5' },
    { venue: 'sim', symbol: 'ETH/USDT', quantity: '2' },
  ],
};

const RESULT: RebalanceResult = {
  rebalanceId: 'rb-1',
  status: 'STARTED',
  from: 'ledger',
  planOnly: false,
  decisionId: 'rb-1',
  targets: [
    {
      venue: 'sim',
      symbol: 'BTC/USDT',
      strategyId: 'alpha',
      target: '-0.5',
      position: '1',
      working: '0',
      projected: '1',
      delta: '-1.5',
      orders: [
        {
          orderId: 'rb-1-sim-BTC-USDT-alpha-1',
          venue: 'sim',
          symbol: 'BTC/USDT',
          strategyId: 'alpha',
          side: 'sell',
          quantity: '1',
          reduceOnly: true,
          kind: 'order',
          reason: 'below the TWAP threshold: a market order',
        },
        {
          orderId: 'rb-1-sim-BTC-USDT-alpha-2',
          venue: 'sim',
          symbol: 'BTC/USDT',
          strategyId: 'alpha',
          side: 'sell',
          quantity: '0.5',
          reduceOnly: false,
          kind: 'order',
          reason: 'below the TWAP threshold: a market order',
        },
      ],
      skips: [],
      issues: [],
    },
    {
      venue: 'sim',
      symbol: 'ETH/USDT',
      strategyId: 'alpha',
      target: '2',
      position: '2',
      working: '0',
      projected: '2',
      delta: '0',
      orders: [],
      skips: [{ code: 'ZERO_DELTA', quantity: '0', message: 'the projected position is the target' }],
      issues: [],
    },
  ],
  orders: [],
  issues: [],
  started: [
    { orderId: 'rb-1-sim-BTC-USDT-alpha-1', workflowType: 'orderWorkflow', alreadyStarted: false },
    { orderId: 'rb-1-sim-BTC-USDT-alpha-2', workflowType: 'orderWorkflow', alreadyStarted: true },
  ],
};

function standIn(result: RebalanceResult = RESULT, outcomes: OrderOutcome[] = []) {
  const calls: unknown[][] = [];
  const rebalance = {
    run: async (targets: unknown, options: RebalanceOptions) => {
      calls.push(['run', targets, options]);
      return result;
    },
    waitForOrders: async (started: RebalanceResult['started']) => {
      calls.push(['wait', started.map((s) => s.orderId)]);
      return outcomes;
    },
  };
  return { calls, rebalance: rebalance as unknown as OrdoRebalance };
}

async function run(args: string[], rebalance: OrdoRebalance, files: Record<string, string> = {}) {
  let out = '';
  let connected = 0;
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    const program = new Command('ordo').option('--json').exitOverride();
    registerRebalanceCommands(program, {
      write: (text) => {
        out += text;
      },
      readFile: (p) => {
        const text = files[p];
        if (text === undefined) throw new Error(`ENOENT: ${p}`);
        return text;
      },
      connect: async () => {
        connected++;
        return { rebalance, close: async () => undefined };
      },
    });
    await program.parseAsync(args, { from: 'user' });
    return { out, exitCode: process.exitCode, connected };
  } finally {
    process.exitCode = before;
  }
}

const files = { 't.json': JSON.stringify(FILE) };

describe('ordo rebalance', () => {
  it('runs the file with the flags: --plan, --from, --id', async () => {
    const s = standIn();
    await run(['rebalance', '--targets', 't.json'], s.rebalance, files);
    await run(
      ['rebalance', '--targets', 't.json', '--plan', '--from', 'venue', '--id', 'rb-9'],
      s.rebalance,
      files,
    );
    expect(s.calls).toEqual([
      ['run', FILE, { from: 'ledger', planOnly: false }],
      ['run', FILE, { from: 'venue', planOnly: true, id: 'rb-9' }],
    ]);
  });

  it('prints the plan as a table: one row per order or skip, the facts once per target', async () => {
    const { out, exitCode } = await run(['rebalance', '--targets', 't.json'], standIn().rebalance, files);
    expect(exitCode).toBeUndefined();
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe('rebalance rb-1 (positions from ledger): STARTED');
    expect(lines[1]).toMatch(
      /^VENUE +SYMBOL +STRATEGY +POSITION +WORKING +TARGET +ACTION +QUANTITY +KIND +ORDER \/ REASON$/,
    );
    expect(lines[2]).toMatch(
      /^sim +BTC\/USDT +alpha +1 +0 +-0\.5 +sell +1 +market reduce-only +rb-1-sim-BTC-USDT-alpha-1$/,
    );
    expect(lines[3]).toMatch(/^ +sell +0\.5 +market +rb-1-sim-BTC-USDT-alpha-2$/);
    expect(lines[4]).toMatch(
      /^sim +ETH\/USDT +alpha +2 +0 +2 +skip +ZERO_DELTA +the projected position is the target$/,
    );
    expect(lines[5]).toBe(
      'started 1 order(s); 1 already started by an earlier run: rb-1-sim-BTC-USDT-alpha-2',
    );
  });

  it('--json prints the result; --wait adds how the orders ended (exit 3 if one was refused)', async () => {
    const plain = await run(['--json', 'rebalance', '--targets', 't.json'], standIn().rebalance, files);
    expect(JSON.parse(plain.out)).toEqual(RESULT);

    const outcomes: OrderOutcome[] = [
      { orderId: 'rb-1-sim-BTC-USDT-alpha-1', status: 'FILLED', filledQuantity: '1', averagePrice: '60000' },
      { orderId: 'rb-1-sim-BTC-USDT-alpha-2', status: 'DENIED', reason: 'REDUCE_ONLY: …' },
    ];
    const s = standIn(RESULT, outcomes);
    const waited = await run(['--json', 'rebalance', '--targets', 't.json', '--wait'], s.rebalance, files);
    expect(s.calls.at(-1)).toEqual(['wait', ['rb-1-sim-BTC-USDT-alpha-1', 'rb-1-sim-BTC-USDT-alpha-2']]);
    expect(JSON.parse(waited.out)).toEqual({ ...RESULT, outcomes });
    expect(waited.exitCode).toBe(3);
    const human = await run(
      ['rebalance', '--targets', 't.json', '--wait'],
      standIn(RESULT, outcomes.slice(0, 1)).rebalance,
      files,
    );
    expect(human.exitCode).toBeUndefined();
    expect(human.out).toMatch(/rb-1-sim-BTC-USDT-alpha-1 +FILLED +1 +60000/);
  });

  it('an issue found in the worker: the plan with its issues, exit 2', async () => {
    const refused: RebalanceResult = {
      ...RESULT,
      status: 'REFUSED',
      started: [],
      targets: [
        {
          venue: 'sim',
          symbol: 'NOPE/USDT',
          target: '1',
          orders: [],
          skips: [],
          issues: [{ code: 'BAD_SYMBOL', message: 'no such market' }],
        },
      ],
      issues: [{ code: 'BAD_SYMBOL', field: 'targets[0]', message: 'no such market' }],
    };
    const s = standIn(refused);
    const { out, exitCode } = await run(['rebalance', '--targets', 't.json', '--wait'], s.rebalance, files);
    expect(exitCode).toBe(2);
    expect(out).toMatch(/^sim +NOPE\/USDT +- +- +- +1 +issue +BAD_SYMBOL +no such market$/m);
    expect(s.calls.map((c) => c[0])).toEqual(['run']); // nothing started: nothing to wait for
  });

  it('refuses a bad file before connecting, with every issue typed', async () => {
    const s = standIn();
    const bad = {
      'bad.json': JSON.stringify({ targets: [{ venue: 'sim', symbol: 'BTC/USDT', quantity: 'x' }] }),
    };
    await expect(run(['rebalance', '--targets', 'bad.json'], s.rebalance, bad)).rejects.toMatchObject({
      code: 'INVALID_QUANTITY',
      issues: [expect.objectContaining({ field: 'targets[0].quantity' })],
    });
    await expect(
      run(['rebalance', '--targets', 'j.json'], s.rebalance, { 'j.json': '{ targets' }),
    ).rejects.toMatchObject({
      code: 'INVALID_JSON',
    });
    await expect(run(['rebalance', '--targets', 'none.json'], s.rebalance)).rejects.toMatchObject({
      code: 'TARGETS_FILE_UNREADABLE',
    });
    await expect(run(['rebalance'], s.rebalance)).rejects.toMatchObject({
      code: 'MISSING_MANDATORY_OPTION_VALUE',
    });
    await expect(
      run(['rebalance', '--targets', 't.json', '--from', 'broker'], s.rebalance, files),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(s.calls).toEqual([]);
  });

  it('bin/ordo.js exits 2 with the typed reasons on stderr', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ordo-rebalance-'));
    try {
      const file = path.join(dir, 'targets.json');
      writeFileSync(
        file,
        JSON.stringify({
          targets: [
            { venue: 'sim', symbol: 'BTC/USDT', quantity: 1 },
            { venue: 'sim', symbol: 'BTC/USDT', quantity: 2 },
          ],
        }),
      );
      const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
        execFile(
          'node',
          [ORDO, 'rebalance', '--targets', file],
          { timeout: 20_000 },
          (err, _stdout, stderr) => {
            resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stderr });
          },
        );
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^DUPLICATE_TARGET: targets\[1\] repeats targets\[0\]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
