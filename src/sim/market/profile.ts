/**
 * How one symbol's synthetic market behaves. These are simulation knobs, not money: they are
 * turned into whole ticks and whole lots before any price or quantity is made from them.
 */
export interface MarketProfile {
  symbol: string;
  /** Starting mid price (decimal string). */
  initialMid: string;
  /** Standard deviation of one random-walk step, as a fraction of the mid. */
  tickVolatility: number;
  /** Standard deviation of one history minute's move, as a fraction of the price. */
  minuteVolatility: number;
  /** Market-maker quote levels on each side. */
  quoteLevels: number;
  /** Distance from the mid to the best quotes, in basis points. */
  halfSpreadBps: number;
  /** Distance between successive quote levels, in basis points. */
  levelSpacingBps: number;
  /** Quote-currency size range of one market-maker level (grows with depth). */
  levelNotional: readonly [number, number];
  /** Chance per tick of one synthetic taker trade. */
  takerProbability: number;
  /** Quote-currency size range of one synthetic taker trade. */
  takerNotional: readonly [number, number];
  /** Average base volume per minute in the synthetic history. */
  historyMinuteVolume: number;
}
