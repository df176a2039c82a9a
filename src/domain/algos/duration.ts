/**
 * Durations as users write them: "90s", "30m", "2h", "5d", "250ms", or combined ("1h30m").
 * Pure; refuses anything else with a typed error rather than guessing.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const WHOLE = /^(\d+(?:\.\d+)?(ms|s|m|h|d))+$/;

export class DurationError extends Error {
  readonly code = 'INVALID_DURATION';
  constructor(text: string) {
    super(`"${text}" is not a duration: use e.g. 90s, 30m, 2h, 5d or 1h30m`);
    this.name = 'DurationError';
  }
}

/** Milliseconds in a duration text; throws DurationError for anything malformed or zero. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (!WHOLE.test(trimmed)) throw new DurationError(text);
  let ms = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART))
    ms += Number(amount) * (UNIT_MS[unit as string] ?? 0);
  if (!Number.isFinite(ms) || ms <= 0) throw new DurationError(text);
  return Math.round(ms);
}

/** The unit a duration text is given in ("5d" → "d"): IS parameters are per that unit of time. */
export function durationUnitMs(text: string): number {
  const match = /(ms|s|m|h|d)$/.exec(text.trim());
  if (match === null) throw new DurationError(text);
  return UNIT_MS[match[1] as string] as number;
}

/** Short human form: 90000 → "1m30s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('');
}
