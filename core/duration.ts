// Parses durations given on the command line and in config files ("30s",
// "1500ms", "2m", "1h", or a bare number of seconds) into milliseconds.

export type DurationParse = { ok: true; ms: number } | { ok: false; error: string };

const units: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function durationParse(text: string): DurationParse {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!match) return { ok: false, error: `expected a duration like 30s, 1500ms, 2m or 1h, got "${text}"` };
  const amount = Number(match[1]);
  const unit = units[match[2] ?? 's'];
  if (unit === undefined || !Number.isFinite(amount)) return { ok: false, error: `bad duration "${text}"` };
  return { ok: true, ms: Math.round(amount * unit) };
}
