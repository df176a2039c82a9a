/**
 * `ordo kill | resume | reduce-only | trading` without a server: the commands wired to a stand-in
 * OrdoTrading (the real client runs against Temporal in test/temporal/kill-switch.test.ts), and
 * the real bin/ordo.js for the exit code of a refused command.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { Command } from 'commander';
import { registerTradingCommands } from '../../src/client/cli-trading';
import type { OrdoTrading, TradingStatus } from '../../src/client/trading';
import type { HaltRequest, KillReport } from '../../src/workflows/trading-messages';

const ORDO = path.join(__dirname, '..', '..', 'bin', 'ordo.js');

const KILL: KillReport = {
  killId: 'kill-1',
  requestIds: ['req-1'],
  requestedAt: '2030-01-01T00:00:00.000Z',
  reason: 'desk halt',
  ordersSignalled: 3,
  parentsPaused: 1,
  alreadyClosed: 2,
  venuesCancelled: [{ venue: 'sim', cancelled: 5, remaining: 0, alreadyGone: 1 }],
  rounds: 2,
  errors: [],
  done: true,
  doneAt: '2030-01-01T00:00:02.500Z',
};

/** A stand-in client that records what the commands asked. */
function standIn(kill: KillReport = KILL) {
  const calls: unknown[][] = [];
  const trading = {
    halt: async (req: Omit<HaltRequest, 'requestId'>) => {
      calls.push(['halt', req]);
      return { requestId: 'req-1' };
    },
    resume: async (reason: string) => void calls.push(['resume', reason]),
    reduceOnly: async (reason: string) => void calls.push(['reduceOnly', reason]),
    waitForKill: async (requestId: string) => {
      calls.push(['waitForKill', requestId]);
      return kill;
    },
    state: async (): Promise<TradingStatus> => ({
      state: 'HALTED',
      reason: 'desk halt',
      since: KILL.requestedAt,
      running: true,
      lastKill: kill,
      history: [
        { state: 'HALTED', at: KILL.requestedAt, reason: 'desk halt' },
        { state: 'HALTED', at: '2030-01-01T00:01:00.000Z', reason: 'again', unchanged: true },
      ],
    }),
  };
  return { calls, trading: trading as unknown as OrdoTrading };
}

async function run(args: string[], trading: OrdoTrading) {
  let out = '';
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    const program = new Command('ordo').option('--json').exitOverride();
    registerTradingCommands(program, {
      write: (text) => {
        out += text;
      },
      connect: async () => ({ trading, close: async () => undefined }),
    });
    await program.parseAsync(args, { from: 'user' });
    return { out, exitCode: process.exitCode };
  } finally {
    process.exitCode = before;
  }
}

describe('ordo kill', () => {
  it('halts with cancelAll by default, without it under --no-cancel, with flatten on --flatten', async () => {
    const s = standIn();
    await run(['kill', '--reason', 'desk halt'], s.trading);
    await run(['kill', '--reason', 'outage', '--no-cancel'], s.trading);
    await run(['kill', '--reason', 'close out', '--flatten'], s.trading);
    expect(s.calls).toEqual([
      ['halt', { reason: 'desk halt', cancelAll: true }],
      ['halt', { reason: 'outage', cancelAll: false }],
      ['halt', { reason: 'close out', cancelAll: true, flatten: true }],
    ]);
  });

  it('--wait waits for that kill and prints its report; exit 1 when it left something behind', async () => {
    const s = standIn();
    const done = await run(['kill', '--reason', 'desk halt', '--wait'], s.trading);
    expect(s.calls.at(-1)).toEqual(['waitForKill', 'req-1']);
    expect(done.exitCode).toBeUndefined();
    expect(done.out).toContain('kill kill-1 at 2030-01-01T00:00:00.000Z: desk halt');
    expect(done.out).toContain('3 orders signalled (2 more had closed), 1 parent orders paused, 2 round(s)');
    expect(done.out).toContain('sim: 5 cancelled, 1 already gone, 0 still open');

    const leftOpen = {
      ...KILL,
      venuesCancelled: [{ venue: 'sim', cancelled: 5, remaining: 2, alreadyGone: 0 }],
    };
    expect((await run(['kill', '--reason', 'x', '--wait'], standIn(leftOpen).trading)).exitCode).toBe(1);
    const failed = { ...KILL, errors: ['signal sweep: deadline exceeded'] };
    const report = await run(['--json', 'kill', '--reason', 'x', '--wait'], standIn(failed).trading);
    expect(report.exitCode).toBe(1);
    expect(JSON.parse(report.out)).toEqual(failed);
  });

  it('refuses a missing or blank reason before connecting (REASON_REQUIRED)', async () => {
    const s = standIn();
    await expect(run(['kill'], s.trading)).rejects.toMatchObject({ code: 'REASON_REQUIRED' });
    await expect(run(['resume', '--reason', ' '], s.trading)).rejects.toMatchObject({
      code: 'REASON_REQUIRED',
    });
    await expect(run(['reduce-only', '--reason', 'x'.repeat(501)], s.trading)).rejects.toMatchObject({
      code: 'REASON_TOO_LONG',
    });
    expect(s.calls).toEqual([]);
  });

  it('bin/ordo.js exits 2 with the typed reason on stderr', async () => {
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile('node', [ORDO, 'kill'], { timeout: 20_000 }, (err, _stdout, stderr) => {
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stderr });
      });
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^REASON_REQUIRED: /);
  });
});

describe('ordo resume | reduce-only | trading', () => {
  it('send their command with the reason', async () => {
    const s = standIn();
    expect((await run(['resume', '--reason', 'all clear'], s.trading)).out).toBe('trading ACTIVE\n');
    expect((await run(['reduce-only', '--reason', 'unwind'], s.trading)).out).toBe('trading REDUCING\n');
    expect(s.calls).toEqual([
      ['resume', 'all clear'],
      ['reduceOnly', 'unwind'],
    ]);
  });

  it('trading shows the state, the last kill and the history (unchanged commands marked)', async () => {
    const { out } = await run(['trading'], standIn().trading);
    expect(out.split('\n')[0]).toBe('trading HALTED since 2030-01-01T00:00:00.000Z (desk halt)');
    expect(out).toContain('last kill:\nkill kill-1');
    expect(out).toContain('history:\n  2030-01-01T00:00:00.000Z  HALTED    desk halt\n');
    expect(out).toContain('  2030-01-01T00:01:00.000Z  HALTED    again  (no change)');
  });
});
