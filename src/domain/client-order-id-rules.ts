/** Venue client-order-id rule sets by name: configuration and payloads carry the name only. */
import { BINANCE_CLIENT_ID_RULES, BYBIT_CLIENT_ID_RULES, type ClientOrderIdRules } from './client-order-id';

export const CLIENT_ORDER_ID_RULES = {
  binance: BINANCE_CLIENT_ID_RULES,
  bybit: BYBIT_CLIENT_ID_RULES,
} as const satisfies Record<string, ClientOrderIdRules>;

export type ClientOrderIdRuleName = keyof typeof CLIENT_ORDER_ID_RULES;

export function isClientOrderIdRuleName(name: string): name is ClientOrderIdRuleName {
  return Object.hasOwn(CLIENT_ORDER_ID_RULES, name);
}
