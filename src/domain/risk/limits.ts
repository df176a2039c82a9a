/**
 * Which limits apply to one order: the defaults, then the symbol's overrides, then the strategy's
 * (defaults < symbol < strategy: the most specific owner of the order has the last word). A null
 * in an override removes the limit.
 */
import type { RiskLimits, RiskLimitsOverride, RiskSettings } from './types';

/** No limits and enabled: only what every order obeys (reduce-only) is checked. */
export const NO_RISK_LIMITS: RiskSettings = { enabled: true, defaults: {}, symbols: {}, strategies: {} };

/** The limits for an order; undefined when risk checks are disabled. */
export function resolveRiskLimits(
  settings: RiskSettings,
  order: { symbol: string; strategyId?: string },
): RiskLimits | undefined {
  if (!settings.enabled) return undefined;
  const limits: RiskLimits = { ...settings.defaults };
  applyOverride(limits, settings.symbols[order.symbol]);
  if (order.strategyId !== undefined) applyOverride(limits, settings.strategies[order.strategyId]);
  return limits;
}

function applyOverride(limits: RiskLimits, override: RiskLimitsOverride | undefined): void {
  if (override === undefined) return;
  // Keys of RiskLimitsOverride are keys of RiskLimits with the same value types (plus null).
  const target = limits as Record<string, unknown>;
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete target[key];
    else if (value !== undefined) target[key] = value;
  }
}
