// What every runtime lets a caller choose (readiness bounds, the stop grace,
// extra environment, the clock its waits run on), with each runtime's defaults,
// checked once when the runtime is created.

import type { Clock } from '../../../core/clock.js';

export interface RuntimeOptions {
  /** Bound on a storage node becoming ready after its process or container starts. */
  readonly storageReadyTimeoutMs?: number;
  /** Bound on a writer finishing recovery (or settling as a standby). */
  readonly writerReadyTimeoutMs?: number;
  /** Bound between SIGTERM and SIGKILL on a graceful stop. */
  readonly stopGraceMs?: number;
  /** Extra environment for every node. */
  readonly env?: Readonly<Record<string, string>>;
  /** The clock the readiness waits run on (default: the real one). */
  readonly clock?: Clock;
}

export interface RuntimeBounds {
  readonly storageReadyTimeoutMs: number;
  readonly writerReadyTimeoutMs: number;
  readonly stopGraceMs: number;
}

export type BoundsParse<B> = { readonly ok: true; readonly bounds: B } | { readonly ok: false; readonly error: string };

/** Bound on every wait of a runtime (a key ending in Ms): beyond Node's timer range a wait would fire after 1 ms. */
export const runtimeBoundMsMax = 3_600_000;

/** Every bound of `defaults`, taken from `options` where given; each must be a positive integer (a wait at most runtimeBoundMsMax). */
export function runtimeBoundsParse<B extends RuntimeBounds>(
  runtime: string,
  options: Partial<Record<keyof B, unknown>>,
  defaults: B,
): BoundsParse<B> {
  const bounds: Record<string, unknown> = { ...(defaults as Record<keyof B, unknown>) };
  for (const key of Object.keys(defaults) as (keyof B & string)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (key.endsWith('Ms')) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > runtimeBoundMsMax) {
        const error = `${runtime} ${key}: must be an integer from 1 to ${runtimeBoundMsMax}, got ${String(value)}`;
        return { ok: false, error };
      }
    } else if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
      return { ok: false, error: `${runtime} ${key}: must be a positive integer, got ${String(value)}` };
    bounds[key] = value;
  }
  return { ok: true, bounds: Object.freeze(bounds) as B };
}
