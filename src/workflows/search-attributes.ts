/** Search-attribute keys (DESIGN.md §3), all Keyword, kept current by every workflow. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SA = {
  Symbol: defineSearchAttributeKey('Symbol', SearchAttributeType.KEYWORD),
  Side: defineSearchAttributeKey('Side', SearchAttributeType.KEYWORD),
  OrderStatus: defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD),
  Venue: defineSearchAttributeKey('Venue', SearchAttributeType.KEYWORD),
  StrategyId: defineSearchAttributeKey('StrategyId', SearchAttributeType.KEYWORD),
  ParentId: defineSearchAttributeKey('ParentId', SearchAttributeType.KEYWORD),
  Algo: defineSearchAttributeKey('Algo', SearchAttributeType.KEYWORD),
} as const;
