/**
 * TWAP, VWAP and implementation shortfall: three ways to plan the same kind of schedule (slices
 * at times), run by the time-schedule driver.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type {
  ImplementationShortfallRequest,
  ParentRequest,
  TwapRequest,
  VwapRequest,
} from '../../domain/algos/params';
import { estimateImpact } from '../../domain/algos/impact-estimate';
import { planImplementationShortfall } from '../../domain/algos/implementation-shortfall';
import { planTwap } from '../../domain/algos/twap';
import { participationCap, planVwap, volumeProfile } from '../../domain/algos/vwap';
import type { SchedulePlan } from '../../domain/algos/types';
import type { Candle } from '../../venues/types';
import { marketCalls } from './calls';
import type { AlgoDriver, ParentContext } from './driver';
import { timeScheduleDriver } from './time-schedule-driver';

const DAY_MS = 86_400_000;
/** Candle sizes venues commonly serve (ccxt timeframes), smallest first. */
const TIMEFRAMES: [string, number][] = [
  ['1m', 60_000],
  ['5m', 300_000],
  ['15m', 900_000],
  ['30m', 1_800_000],
  ['1h', 3_600_000],
  ['4h', 14_400_000],
  ['1d', DAY_MS],
];

export const twapDriver = (request: ParentRequest, carried: unknown): AlgoDriver => {
  const twap = request as TwapRequest;
  return timeScheduleDriver(
    {
      plan: async (ctx) =>
        planTwap(
          { ...window(ctx), intervalMs: twap.intervalMs, randomization: twap.randomization, seed: twap.seed },
          ctx.rules(),
          ctx.referencePrice(),
        ),
    },
    carried,
  );
};

export const vwapDriver = (request: ParentRequest, carried: unknown): AlgoDriver => {
  const vwap = request as VwapRequest;
  return timeScheduleDriver(
    {
      plan: async (ctx) => {
        const weights = vwap.profile ?? (await profileFromCandles(ctx, vwap));
        return planVwap(
          { ...window(ctx), intervalMs: vwap.intervalMs },
          weights,
          ctx.rules(),
          ctx.referencePrice(),
        );
      },
      ...(vwap.maxParticipation === undefined
        ? {}
        : {
            cap: async (ctx, slotStartMs, sinceMs) => {
              const since = new Date(Math.max(0, sinceMs ?? slotStartMs - vwap.intervalMs)).toISOString();
              try {
                const observed = await marketCalls.marketVolume({
                  venue: vwap.venue,
                  symbol: vwap.symbol,
                  since,
                  until: new Date(ctx.nowMs()).toISOString(),
                });
                return participationCap(observed.volume, vwap.maxParticipation as number, ctx.rules());
              } catch (err) {
                ctx.note(`no market volume for the participation cap (${String(err)}): slice not capped`);
                return undefined;
              }
            },
          }),
    },
    carried,
  );
};

export const implementationShortfallDriver = (request: ParentRequest, carried: unknown): AlgoDriver => {
  const is = request as ImplementationShortfallRequest;
  return timeScheduleDriver({ plan: (ctx) => planIs(ctx, is) }, carried);
};

function window(ctx: ParentContext): { quantity: string; startAt: string; endAt: string } {
  const request = ctx.request();
  return { quantity: request.quantity, startAt: request.startAt, endAt: request.endAt as string };
}

/** The largest common timeframe that divides the interval (so candles fall into one bucket each). */
function timeframeFor(intervalMs: number): [string, number] {
  let best = TIMEFRAMES[0] as [string, number];
  for (const tf of TIMEFRAMES) if (tf[1] <= intervalMs && intervalMs % tf[1] === 0) best = tf;
  return best;
}

/**
 * The venue's volume over the same time of day on each lookback day: only the schedule's window
 * of each day is fetched, so a short schedule reads a few candles, not days of them.
 */
async function profileFromCandles(ctx: ParentContext, vwap: VwapRequest): Promise<number[]> {
  const startMs = Date.parse(vwap.startAt);
  const endMs = Date.parse(vwap.endAt);
  const [timeframe] = timeframeFor(vwap.intervalMs);
  const candles: Candle[] = [];
  for (let day = vwap.lookbackDays; day >= 1; day--) {
    const span = Math.min(endMs - startMs, DAY_MS);
    const since = startMs - day * DAY_MS;
    try {
      candles.push(
        ...(await marketCalls.candles({
          venue: vwap.venue,
          symbol: vwap.symbol,
          timeframe,
          since: new Date(since).toISOString(),
          until: new Date(since + span).toISOString(),
        })),
      );
    } catch (err) {
      ctx.note(`no ${timeframe} candles for ${new Date(since).toISOString().slice(0, 10)}: ${String(err)}`);
    }
  }
  const profile = volumeProfile(candles, {
    startAt: vwap.startAt,
    endAt: vwap.endAt,
    intervalMs: vwap.intervalMs,
  });
  ctx.note(
    `volume profile from ${candles.length} ${timeframe} candles of the last ${vwap.lookbackDays} days`,
  );
  for (const note of profile.notes) ctx.note(note);
  return profile.weights;
}

async function planIs(ctx: ParentContext, is: ImplementationShortfallRequest): Promise<SchedulePlan> {
  let { sigma, eta, gamma, epsilon } = is;
  if (sigma === undefined || eta === undefined || gamma === undefined || epsilon === undefined) {
    const estimate = await estimateFromMarket(ctx, is);
    sigma ??= estimate.sigma;
    eta ??= estimate.eta;
    gamma ??= estimate.gamma;
    epsilon ??= estimate.epsilon;
  }
  const plan = planImplementationShortfall(
    {
      ...window(ctx),
      slices: is.slices,
      timeUnitMs: is.timeUnitMs,
      sigma,
      eta,
      gamma,
      epsilon,
      ...(is.riskAversion === undefined ? {} : { riskAversion: is.riskAversion }),
      ...(is.urgency === undefined ? {} : { urgency: is.urgency }),
    },
    ctx.rules(),
    ctx.referencePrice(),
  );
  ctx.note(
    `Almgren–Chriss: σ ${sigma}, η ${eta}, γ ${gamma}, ε ${epsilon}; κ ${plan.kappa} per time unit; ` +
      `E ${plan.expectedCost}, V ${plan.variance}`,
  );
  return plan;
}

/** σ, η, γ, ε from hourly candles over the lookback and the current spread (see impact-estimate.ts). */
async function estimateFromMarket(ctx: ParentContext, is: ImplementationShortfallRequest) {
  const startMs = Date.parse(is.startAt);
  const candles = await marketCalls.candles({
    venue: is.venue,
    symbol: is.symbol,
    timeframe: '1h',
    since: new Date(startMs - is.lookbackDays * DAY_MS).toISOString(),
    until: new Date(startMs).toISOString(),
  });
  const quote = await marketCalls.marketQuote({ venue: is.venue, symbol: is.symbol });
  const price = Number(quote.mid ?? quote.last ?? ctx.referencePrice() ?? NaN);
  const spread =
    quote.bid !== undefined && quote.ask !== undefined ? Number(quote.ask) - Number(quote.bid) : undefined;
  try {
    const estimate = estimateImpact(candles, {
      timeUnitMs: is.timeUnitMs,
      candleMs: 3_600_000,
      price,
      ...(spread !== undefined && spread > 0 ? { spread } : {}),
    });
    for (const note of estimate.notes) ctx.note(`estimated ${note}`);
    return estimate;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw ApplicationFailure.create({
      type: typeof code === 'string' ? code : 'ESTIMATE_FAILED',
      message: `cannot estimate the impact model from the venue's candles: ${String(err)}`,
      nonRetryable: true,
    });
  }
}
