/** One API request as the fault injector sees it: enough to decide which faults apply. */
export interface FaultTarget {
  method: string;
  /** The path without the query string, e.g. /api/v3/order or /v5/order/create. */
  path: string;
  /** Authenticated (signed) endpoint. */
  signed: boolean;
  /** Places an order (new order, cancel/replace, amend that creates one...). */
  placesOrder: boolean;
}

/**
 * Whether a request is in a fault's scope (no scope: every request). Entries are described in
 * fault-settings.ts; tags let one fault configuration work for every dialect, whose paths differ.
 */
export function inScope(scope: readonly string[] | undefined, target: FaultTarget): boolean {
  return scope === undefined || scope.some((entry) => entryMatches(entry, target));
}

function entryMatches(entry: string, target: FaultTarget): boolean {
  switch (entry) {
    case '@placeOrder':
      return target.placesOrder;
    case '@signed':
      return target.signed;
    case '@public':
      return !target.signed;
  }
  const space = entry.indexOf(' ');
  const method = space < 0 ? undefined : entry.slice(0, space);
  const pattern = space < 0 ? entry : entry.slice(space + 1);
  if (method !== undefined && method !== target.method.toUpperCase()) return false;
  return pattern.endsWith('*') ? target.path.startsWith(pattern.slice(0, -1)) : target.path === pattern;
}
