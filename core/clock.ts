// The one clock of a run. History times are nanoseconds since the run started,
// from a monotonic source; wall-clock time appears only in file names and
// metadata.

export interface Clock {
  /** Monotonic nanoseconds since this clock was created (safe as a number for ~104 days). */
  nowNs(): number;
  /** Monotonic milliseconds since this clock was created, fractional. */
  nowMs(): number;
  /** Wall-clock time as an ISO string, for metadata only. */
  wallIso(): string;
}

export function clockCreate(): Clock {
  const origin = process.hrtime.bigint();
  const nowNs = (): number => Number(process.hrtime.bigint() - origin);
  return {
    nowNs,
    nowMs: () => nowNs() / 1e6,
    wallIso: () => new Date().toISOString(),
  };
}
