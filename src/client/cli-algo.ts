/**
 * `ordo algo …`: start a parent order (twap, vwap, pov, is, iceberg, route), or only plan it
 * (`--plan`, no server needed), and manage running ones (progress, pause, resume, cancel, amend,
 * kill, list). Bad input is refused with typed issues (ParentRequestError, an OrderRequestError:
 * the CLI's error handler prints the codes and exits 2); nothing is clamped or guessed.
 */
import { type Command, CommanderError } from 'commander';
import { DurationError, parseDuration } from '../domain/algos/duration';
import { type ParentRequest, validateParentRequest } from '../domain/algos/params';
import { type ParentPlan, planParent } from '../domain/algos/plan';
import { ALGOS, type Algo, type LotRules } from '../domain/algos/types';
import { Dec, isDecimalText, toDecimalString } from '../domain/decimal';
import type { RequestIssue } from '../domain/order-request';
import { PARENT_STATUSES, type ParentAmendRequest, type ParentStatus } from '../workflows/parent-messages';
import { OrdoAlgos, ParentRequestError, type ParentFilter } from './algos';
import { clientEnvironment, connectClient } from './connection';
import { formatParentCommand, formatParentList, formatParentProgress, formatPlan } from './format-algo';

/** What the commands need from the outside world; tests pass their own. */
export interface AlgoCliDeps {
  write: (text: string) => void;
  now: () => Date;
  connect: () => Promise<{ algos: OrdoAlgos; close: () => Promise<void> }>;
}

const defaultDeps: AlgoCliDeps = {
  write: (text) => process.stdout.write(text),
  now: () => new Date(),
  connect: async () => {
    const env = clientEnvironment();
    const client = await connectClient(env);
    return { algos: new OrdoAlgos(client, env.taskQueue), close: () => client.connection.close() };
  },
};

type Kind = 'text' | 'number' | 'texts' | 'numbers';

/** A flag that becomes a request field. */
interface FieldFlag {
  flag: string;
  field: string;
  kind: Kind;
  help: string;
  /** The value's name in --help. */
  arg: string;
}

const text = (flag: string, field: string, help: string, arg: string): FieldFlag => ({
  flag,
  field,
  kind: 'text',
  help,
  arg,
});
const num = (flag: string, field: string, help: string): FieldFlag => ({
  flag,
  field,
  kind: 'number',
  help,
  arg: '<number>',
});

const COMMON_FLAGS: FieldFlag[] = [
  text('symbol', 'symbol', 'unified symbol, e.g. BTC/USDT', '<symbol>'),
  text('side', 'side', 'buy | sell', '<side>'),
  text('quantity', 'quantity', 'total quantity (decimal)', '<decimal>'),
  text(
    'id',
    'parentId',
    'parent id (default <algo>-<8 hex>); the same id again returns the existing parent',
    '<id>',
  ),
  text('duration', 'duration', 'how long the schedule runs: 90s, 30m, 2h, 5d, 1h30m', '<duration>'),
  text('end', 'endAt', 'when the schedule must be done (ISO-8601), instead of --duration', '<iso>'),
  text('start', 'startAt', 'when the schedule begins (ISO-8601; default now)', '<iso>'),
  text('limit-price', 'limitPrice', 'never buy above / sell below this price', '<decimal>'),
  text(
    'aggression',
    'aggression',
    'passive | mid | cross | market (how a slice prices itself)',
    '<aggression>',
  ),
  num('cross-buffer-bps', 'crossBufferBps', 'how far past the far touch a cross slice may price (default 5)'),
  text('strategy-id', 'strategyId', 'strategy id, carried to every child order', '<id>'),
  text('decision-id', 'decisionId', 'decision id, carried to every child order', '<id>'),
];

const INTERVAL = text('interval', 'interval', 'time between slices, e.g. 5m', '<duration>');
const SEED = num('seed', 'seed', 'seed of the randomisation (default: from the parent id)');

/** Each algorithm's own flags; help texts say the units. */
const ALGO_FLAGS: Record<Algo, { description: string; summary?: string; flags: FieldFlag[] }> = {
  twap: {
    description: 'time-weighted: equal slices at a fixed interval',
    flags: [
      INTERVAL,
      num('slices', 'slices', 'number of slices, instead of --interval'),
      num('randomization', 'randomization', '0 ≤ r < 1: times move by up to r of an interval, sizes by ±r'),
      SEED,
    ],
  },
  vwap: {
    description: "volume-weighted: slices follow the market's usual intraday volume",
    flags: [
      INTERVAL,
      {
        flag: 'profile',
        field: 'profile',
        kind: 'numbers',
        arg: '<w,w,…>',
        help: 'weights, one per slice: 1,2,3 (default: from candles)',
      },
      num('lookback-days', 'lookbackDays', 'days of candles the profile is built from (default 5)'),
      num(
        'max-participation',
        'maxParticipation',
        'never more than this fraction of the volume seen (0 < p ≤ 1)',
      ),
    ],
  },
  pov: {
    description: 'percentage of volume: trade a fraction of what the market trades',
    flags: [
      num('participation', 'participation', 'target fraction of market volume (0 < p < 1)'),
      num('min-participation', 'minParticipation', 'lowest fraction (default 0)'),
      num('max-participation', 'maxParticipation', 'highest fraction (default 0.5)'),
      text('check-interval', 'checkInterval', 'how often volume is checked, e.g. 5s', '<duration>'),
    ],
  },
  is: {
    summary: 'implementation shortfall (Almgren–Chriss): impact cost against price risk',
    description:
      'implementation shortfall (Almgren–Chriss): trade off impact cost against price risk. σ, η, γ are per the ' +
      'time unit: --time-unit if given, else the unit --duration is written in (5d → days, 2h → hours), else 1 day',
    flags: [
      num('slices', 'slices', 'number of trading intervals N'),
      num('sigma', 'sigma', 'σ, volatility: price per unit per √(time unit)'),
      num('eta', 'eta', 'η, temporary impact: price per (unit / time unit) of trading rate'),
      num('gamma', 'gamma', 'γ, permanent impact: price move per unit traded'),
      num('epsilon', 'epsilon', 'ε, fixed cost: price per unit traded (half the spread plus fees)'),
      num('risk-aversion', 'riskAversion', 'λ in E + λV, per unit of price (the paper: 1e-6)'),
      num('urgency', 'urgency', 'κT instead of λ: 0 is a straight line, larger trades earlier'),
      text(
        'time-unit',
        'timeUnit',
        'the time unit of σ, η, γ, e.g. 1d (default: the unit of --duration)',
        '<duration>',
      ),
      num('lookback-days', 'lookbackDays', 'days of candles σ, η, γ, ε are estimated from when not given'),
    ],
  },
  iceberg: {
    description: 'shows a small part of the order at a time, at --limit-price',
    flags: [
      text('display', 'displayQuantity', 'quantity shown at a time', '<decimal>'),
      num('display-randomization', 'displayRandomization', '0 ≤ r ≤ 0.5: each shown quantity varies by ±r'),
      SEED,
    ],
  },
  route: {
    description: 'smart routing: split across venues by their live order books',
    flags: [
      {
        flag: 'venues',
        field: 'venues',
        kind: 'texts',
        arg: '<venue,venue,…>',
        help: 'venues to route across: a,b (default: every routing venue)',
      },
      num('max-rounds', 'maxRounds', 'routing rounds (default 10)'),
      text('retry-interval', 'retryInterval', 'wait between rounds, e.g. 2s', '<duration>'),
    ],
  },
};

/** A satoshi: fine enough that a plan without --lot-size is not visibly rounded. */
const DEFAULT_STEP = '0.00000001';

/** Flags only a plan uses: the market the schedule is sized for. */
const PLAN_FLAGS: Array<{ flag: string; help: string; default?: string }> = [
  { flag: 'lot-size', help: 'lot size every slice is a multiple of', default: DEFAULT_STEP },
  { flag: 'tick-size', help: 'tick size of prices', default: DEFAULT_STEP },
  { flag: 'min-amount', help: 'smallest quantity the venue accepts' },
  {
    flag: 'min-notional',
    help: 'smallest quantity × price the venue accepts (needs --price or --limit-price)',
  },
  { flag: 'price', help: 'reference price for --min-notional (default: --limit-price)' },
];

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const snake = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toUpperCase();
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Collects every problem with the flags, so one run reports them all. */
class Issues {
  readonly list: RequestIssue[] = [];
  add(code: string, field: string, message: string): void {
    this.list.push({ code, field, message });
  }
  throwIfAny(): void {
    if (this.list.length > 0) throw new ParentRequestError(this.list);
  }
}

/** A number flag, strictly: "abc", "1e", "" and "Infinity" are refused, ranges are the schema's. */
function parseNumber(value: string, flag: string, field: string, issues: Issues): number | undefined {
  const n = Number(value);
  if (NUMBER.test(value.trim()) && Number.isFinite(n)) return n;
  issues.add(`INVALID_${snake(field)}`, field, `--${flag}: "${value}" is not a number`);
  return undefined;
}

function parseField(f: FieldFlag, value: string, issues: Issues): unknown {
  switch (f.kind) {
    case 'text':
      return value;
    case 'number':
      return parseNumber(value, f.flag, f.field, issues);
    case 'texts':
    case 'numbers': {
      const items = value.split(',').map((item) => item.trim());
      if (items.some((item) => item === '')) {
        issues.add(`INVALID_${snake(f.field)}`, f.field, `--${f.flag}: "${value}" has an empty item`);
        return undefined;
      }
      if (f.kind === 'texts') return items;
      const numbers = items.map((item) => parseNumber(item, f.flag, f.field, issues));
      return numbers.every((n) => n !== undefined) ? numbers : undefined;
    }
  }
}

/** A decimal flag ≥ 0 (> 0 when `positive`), as a canonical decimal string. */
function parseDecimal(value: string, flag: string, positive: boolean, issues: Issues): string | undefined {
  const ok =
    isDecimalText(value) && (positive ? new Dec(value).greaterThan(0) : !new Dec(value).isNegative());
  if (ok) return toDecimalString(value);
  issues.add(
    `INVALID_${snake(flag)}`,
    camel(flag),
    `--${flag}: "${value}" is not a decimal ${positive ? '> 0' : '≥ 0'}`,
  );
  return undefined;
}

/** The raw request (as the workflow receives it) from the flags. */
function requestFromFlags(
  algo: Algo,
  opts: Record<string, unknown>,
  issues: Issues,
): Record<string, unknown> {
  const request: Record<string, unknown> = {};
  for (const f of [...COMMON_FLAGS, ...ALGO_FLAGS[algo].flags]) {
    const value = opts[camel(f.flag)];
    if (typeof value !== 'string') continue;
    const parsed = parseField(f, value, issues);
    if (parsed !== undefined) request[f.field] = parsed;
  }
  if (typeof opts['venue'] === 'string') request['venue'] = opts['venue'];
  else if (algo !== 'route') request['venue'] = 'sim';
  return request;
}

/** The market a plan is sized for; an invalid flag is an issue (thrown before anything is planned). */
function lotRulesFromFlags(opts: Record<string, unknown>, issues: Issues): LotRules {
  const value = (flag: string, positive: boolean) => {
    const raw = opts[camel(flag)] ?? PLAN_FLAGS.find((f) => f.flag === flag)?.default;
    return typeof raw === 'string' ? parseDecimal(raw, flag, positive, issues) : undefined;
  };
  const rules: LotRules = {
    amountStep: value('lot-size', true) ?? DEFAULT_STEP,
    priceStep: value('tick-size', true) ?? DEFAULT_STEP,
  };
  const minAmount = value('min-amount', false);
  const minNotional = value('min-notional', false);
  if (minAmount !== undefined) rules.minAmount = minAmount;
  if (minNotional !== undefined) rules.minNotional = minNotional;
  return rules;
}

/** The plan exactly as `--json` promises: algo, params, slices (index, at, quantity), notes [, IS model]. */
export function planJson(plan: ParentPlan): Record<string, unknown> {
  const out: Record<string, unknown> = {
    algo: plan.algo,
    params: plan.params,
    slices: plan.slices.map(({ index, at, quantity }) => ({ index, at, quantity })),
    notes: plan.notes,
  };
  if (plan.algo === 'is')
    Object.assign(out, {
      holdings: plan.holdings,
      kappa: plan.kappa,
      expectedCost: plan.expectedCost,
      variance: plan.variance,
    });
  return out;
}

/** Validates, then plans: what a run with these flags would do, without a server. */
function planFromFlags(
  algo: Algo,
  raw: Record<string, unknown>,
  opts: Record<string, unknown>,
  now: Date,
  issues: Issues,
): ParentPlan {
  const rules = lotRulesFromFlags(opts, issues);
  const price =
    typeof opts['price'] === 'string' ? parseDecimal(opts['price'], 'price', true, issues) : undefined;
  const request = validated(algo, raw, now, issues);
  const referencePrice = price ?? request.limitPrice;
  const plan = planParent(request, referencePrice === undefined ? { rules } : { rules, referencePrice });
  const notes = [...plan.notes];
  if (rules.minNotional !== undefined && referencePrice === undefined)
    notes.push('--min-notional is not applied: give --price (or --limit-price) to convert it to a quantity');
  const randomised =
    (request.algo === 'twap' && request.randomization > 0) ||
    (request.algo === 'iceberg' && request.displayRandomization > 0);
  if (randomised && opts['seed'] === undefined && opts['id'] === undefined)
    notes.push(
      'the seed defaults from the parent id, which a run without --id picks at random: give --seed or --id to trade this plan',
    );
  return { ...plan, notes };
}

/** Validates; the schema's issues join the flags' own (minus repeats about a flag already refused). */
function validated(algo: Algo, raw: Record<string, unknown>, now: Date, issues: Issues): ParentRequest {
  const result = validateParentRequest(algo, raw, { now });
  if (result.ok && issues.list.length === 0) return result.request;
  if (!result.ok) {
    const refused = new Set(issues.list.map((i) => i.field));
    for (const i of result.issues) if (i.field === undefined || !refused.has(i.field)) issues.list.push(i);
  }
  throw new ParentRequestError(issues.list);
}

/** Commander's own usage errors as typed issues: unknown option → UNKNOWN_OPTION, exit 2. */
function usageError(err: CommanderError): void {
  // Help and version end the process normally (commander exits after this returns).
  if (err.exitCode === 0 || err.code === 'commander.help') return;
  const code = snake(err.code.replace(/^commander\./, ''));
  const message = err.message.replace(/^error: /, '');
  throw new ParentRequestError([{ code, message: `${message} (--help lists the options)` }]);
}

export function registerAlgoCommands(program: Command, overrides: Partial<AlgoCliDeps> = {}): Command {
  const deps: AlgoCliDeps = { ...defaultDeps, ...overrides };
  const algo = program
    .command('algo')
    .description('parent orders: schedules of child orders (TWAP, VWAP, POV, IS, iceberg, smart routing)')
    // Inherited by every subcommand: usage errors become typed issues, printed once, exit 2.
    .exitOverride(usageError)
    .configureOutput({ outputError: () => undefined })
    .showHelpAfterError(false);

  const print = (cmd: Command, data: unknown, human: string) => {
    const { json } = cmd.optsWithGlobals<{ json?: boolean }>();
    deps.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human}\n`);
  };
  const withAlgos = async <T>(fn: (algos: OrdoAlgos) => Promise<T>): Promise<T> => {
    const { algos, close } = await deps.connect();
    try {
      return await fn(algos);
    } finally {
      await close();
    }
  };

  for (const name of ALGOS) {
    const { description, summary } = ALGO_FLAGS[name];
    const cmd = algo
      .command(name)
      .description(description)
      .summary(summary ?? description);
    for (const f of COMMON_FLAGS) cmd.option(`--${f.flag} ${f.arg}`, f.help);
    cmd.option(
      '--venue <venue>',
      name === 'route' ? 'one venue to route on (default: --venues)' : 'venue name (default sim)',
    );
    for (const f of ALGO_FLAGS[name].flags) cmd.option(`--${f.flag} ${f.arg}`, f.help);
    cmd
      .option('--plan', 'compute and print the schedule without trading (no server needed)')
      .option('--wait', 'wait until the parent ends and print its progress (exit 1 unless COMPLETED)');
    for (const f of PLAN_FLAGS)
      cmd.option(
        `--${f.flag} <decimal>`,
        `with --plan: ${f.help}${f.default ? ` (default ${f.default})` : ''}`,
      );

    cmd.action(async (opts: Record<string, unknown>, self: Command) => {
      const issues = new Issues();
      const raw = requestFromFlags(name, opts, issues);
      const now = deps.now();
      if (opts['plan'] === true) {
        if (opts['wait'] === true)
          issues.add('CONFLICTING_FLAGS', 'wait', '--wait starts an order; --plan does not');
        const plan = planFromFlags(name, raw, opts, now, issues);
        return print(self, planJson(plan), formatPlan(plan));
      }
      for (const f of PLAN_FLAGS)
        if (opts[camel(f.flag)] !== undefined)
          issues.add('PLAN_ONLY_FLAG', camel(f.flag), `--${f.flag} only applies with --plan`);
      validated(name, raw, now, issues); // refuse bad input before connecting anywhere
      await withAlgos(async (algos) => {
        const started = await algos.start(name, raw, now);
        if (opts['wait'] !== true)
          return print(self, started, `${name} ${started.parentId} started (run ${started.runId})`);
        const final = await algos.waitFor(started.parentId);
        print(self, final, formatParentProgress(final));
        if (final.status !== 'COMPLETED') process.exitCode = 1;
      });
    });
  }

  algo
    .command('progress <id>')
    .description("a parent's progress: filled, behind schedule or not, and every slice")
    .action(async (id: string, _opts: unknown, self: Command) => {
      await withAlgos(async (algos) => {
        const progress = await algos.progress(id);
        print(self, progress, formatParentProgress(progress));
      });
    });

  for (const [verb, done, what] of [
    ['pause', 'paused', 'stop starting slices and cancel the working child; the schedule waits'],
    ['resume', 'resumed', 'carry on: what is left is re-planned over the time that is left'],
    ['cancel', 'cancelled', 'end the parent: cancel the working child, start no more'],
  ] as const) {
    algo
      .command(`${verb} <id>`)
      .description(what)
      .option('--reason <text>')
      .action(async (id: string, opts: { reason?: string }, self: Command) => {
        await withAlgos(async (algos) => {
          const result = await algos[verb](id, opts.reason);
          print(self, result, formatParentCommand(done, result));
          if (!result.accepted) process.exitCode = 3;
        });
      });
  }

  algo
    .command('amend <id>')
    .description('change the total quantity, the end or the limit price; what is left is re-planned')
    .option('--quantity <decimal>', 'new total quantity (including what has filled)')
    .option('--end <iso>', 'new end (ISO-8601)')
    .option('--duration <duration>', 'new end, this long from now (e.g. 30m)')
    .option('--limit-price <decimal>', 'new limit price')
    .action(async (id: string, opts: Record<string, string | undefined>, self: Command) => {
      const amend = amendFromFlags(opts, deps.now());
      await withAlgos(async (algos) => {
        const result = await algos.amend(id, amend);
        print(self, result, formatParentCommand('amended', result));
        if (!result.accepted) process.exitCode = 3;
      });
    });

  algo
    .command('kill <id>')
    .description('kill switch: stop now and cancel every working child (needs --reason)')
    .option('--reason <text>', 'why (recorded in the history)')
    .action(async (id: string, opts: { reason?: string }, self: Command) => {
      if (opts.reason === undefined || opts.reason.trim() === '')
        throw new ParentRequestError([
          { code: 'MISSING_REASON', field: 'reason', message: 'kill needs --reason' },
        ]);
      const reason = opts.reason;
      await withAlgos(async (algos) => {
        await algos.killSwitch(id, reason);
        print(self, { parentId: id, killed: true, reason }, `kill switch sent to ${id}: ${reason}`);
      });
    });

  algo
    .command('list')
    .description('parent orders, newest first')
    .option('--algo <algo>', ALGOS.join(' | '))
    .option('--status <status>', PARENT_STATUSES.join(' | '))
    .option('--symbol <symbol>')
    .option('--side <side>')
    .option('--venue <venue>')
    .option('--strategy-id <id>')
    .option('--limit <n>', 'at most this many (default 50)')
    .action(async (opts: Record<string, string | undefined>, self: Command) => {
      const { filter, limit } = listFromFlags(opts);
      await withAlgos(async (algos) => {
        const list = await algos.list(filter, limit);
        print(self, list, formatParentList(list));
      });
    });

  return algo;
}

function amendFromFlags(opts: Record<string, string | undefined>, now: Date): ParentAmendRequest {
  const issues = new Issues();
  const amend: ParentAmendRequest = {};
  if (opts['quantity'] !== undefined) {
    const quantity = parseDecimal(opts['quantity'], 'quantity', true, issues);
    if (quantity !== undefined) amend.quantity = quantity;
  }
  if (opts['limitPrice'] !== undefined) {
    const limitPrice = parseDecimal(opts['limitPrice'], 'limit-price', true, issues);
    if (limitPrice !== undefined) amend.limitPrice = limitPrice;
  }
  const { end, duration } = opts;
  if (end !== undefined && duration !== undefined)
    issues.add('CONFLICTING_END', 'duration', 'give --end or --duration, not both');
  else if (end !== undefined) {
    const ms = Date.parse(end);
    if (/^\d{4}-\d{2}-\d{2}T/.test(end) && Number.isFinite(ms)) amend.endAt = new Date(ms).toISOString();
    else issues.add('INVALID_END', 'endAt', `--end: "${end}" is not an ISO-8601 date-time`);
  } else if (duration !== undefined) {
    try {
      amend.endAt = new Date(now.getTime() + parseDuration(duration)).toISOString();
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
      issues.add(err.code, 'duration', `--duration: ${err.message}`);
    }
  }
  if (issues.list.length === 0 && Object.keys(amend).length === 0)
    issues.add('NOTHING_TO_AMEND', 'quantity', 'give --quantity, --end, --duration or --limit-price');
  issues.throwIfAny();
  return amend;
}

function listFromFlags(opts: Record<string, string | undefined>): { filter: ParentFilter; limit: number } {
  const issues = new Issues();
  const filter: ParentFilter = {};
  const { algo, status, symbol, side, venue, strategyId } = opts;
  if (algo !== undefined) {
    if ((ALGOS as readonly string[]).includes(algo)) filter.algo = algo as Algo;
    else issues.add('INVALID_ALGO', 'algo', `--algo must be one of ${ALGOS.join(', ')}`);
  }
  if (status !== undefined) {
    if ((PARENT_STATUSES as readonly string[]).includes(status)) filter.status = status as ParentStatus;
    else issues.add('INVALID_STATUS', 'status', `--status must be one of ${PARENT_STATUSES.join(', ')}`);
  }
  if (symbol !== undefined) filter.symbol = symbol;
  if (side !== undefined) filter.side = side;
  if (venue !== undefined) filter.venue = venue;
  if (strategyId !== undefined) filter.strategyId = strategyId;
  let limit = 50;
  if (opts['limit'] !== undefined) {
    const n = Number(opts['limit']);
    if (/^\d+$/.test(opts['limit']) && Number.isSafeInteger(n) && n > 0) limit = n;
    else issues.add('INVALID_LIMIT', 'limit', `--limit: "${opts['limit']}" is not a positive integer`);
  }
  issues.throwIfAny();
  return { filter, limit };
}
