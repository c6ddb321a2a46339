// Parses durations given on the command line and in config files ("30s",
// "1500ms", "2m", "1h", or a bare number of seconds) into milliseconds, up to
// a bound: Node's timers fire at once past 2^31-1 ms, so nothing longer gets in.

export type DurationParse = { ok: true; ms: number } | { ok: false; error: string };

/** The longest delay a Node timer keeps (about 596 hours); a longer one fires after 1 ms. */
export const timerMsMax = 2 ** 31 - 1;
const hourMs = 3_600_000;
/** Bounds most flags take: an operation or a fault lasts at most an hour, a run or a search a day. */
export const durationHourMsMax = hourMs;
export const durationDayMsMax = 24 * hourMs;

const units: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: hourMs };

/** `msMax` (at most timerMsMax) is named in the error of a longer duration. */
export function durationParse(text: string, msMax: number = timerMsMax): DurationParse {
  const match = /^\s*(\d{1,20}(?:\.\d{1,20})?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!match) return { ok: false, error: `expected a duration like 30s, 1500ms, 2m or 1h, got "${text}"` };
  const amount = Number(match[1]);
  const unit = units[match[2] ?? 's'];
  if (unit === undefined || !Number.isFinite(amount)) return { ok: false, error: `bad duration "${text}"` };
  const ms = Math.round(amount * unit);
  const bound = Math.min(msMax, timerMsMax);
  if (!(ms <= bound)) return { ok: false, error: `at most ${durationText(bound)}, got "${text}"` };
  return { ok: true, ms };
}

/** A bound as a person reads it: "1h", "24h", "2147483647ms (about 596h)". */
export function durationText(ms: number): string {
  for (const [unit, size] of [
    ['h', hourMs],
    ['m', 60_000],
    ['s', 1000],
  ] as const)
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return ms >= hourMs ? `${ms}ms (about ${Math.floor(ms / hourMs)}h)` : `${ms}ms`;
}
