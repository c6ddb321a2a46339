// What the nemesis did in a run, read back from its history: per fault, how
// many starts took effect, which failed and why, how many heals, and for link
// faults what the blocked links dropped (proxy chunks or iptables packets), so
// the summary and results.json show that a partition really cut the network.

import type { HistoryEvent, JsonValue } from '../core/history.js';
import { nemesisErrorRead, nemesisErrorText } from '../nemesis/outcome.js';

export interface FaultDrops {
  readonly backend: string;
  readonly unit: string;
  readonly bytes: number;
  readonly count: number;
}

export interface FaultEffect {
  readonly fault: string;
  /** Starts that took effect. */
  readonly started: number;
  /** Starts recorded with an error, and the distinct errors as "code: message" (at most errorsKept). */
  readonly startErrors: number;
  readonly errors: readonly string[];
  /** Stops that took effect (heals). */
  readonly healed: number;
  /** Drops summed over the heals that reported them; null for faults that report none. */
  readonly dropped: FaultDrops | null;
}

/** Distinct error texts kept per fault, so a fault that fails every time does not flood the results. */
export const errorsKept = 5;

export function faultEffects(history: readonly HistoryEvent[]): FaultEffect[] {
  const effects = new Map<
    string,
    { started: number; startErrors: number; errors: Set<string>; healed: number; dropped: FaultDrops | null }
  >();
  for (const event of history) {
    if (event.process !== 'nemesis' || event.type !== 'info') continue;
    const match = /^(start|stop)-(.+)$/.exec(event.f);
    if (match === null) continue;
    const fault = match[2]!;
    const effect = effects.get(fault) ?? {
      started: 0,
      startErrors: 0,
      errors: new Set<string>(),
      healed: 0,
      dropped: null,
    };
    effects.set(fault, effect);
    const error = nemesisErrorRead(event);
    if (error !== null) {
      if (match[1] === 'start') effect.startErrors++;
      if (effect.errors.size < errorsKept) effect.errors.add(nemesisErrorText(error));
      continue;
    }
    if (match[1] === 'start') effect.started++;
    else {
      effect.healed++;
      effect.dropped = dropsAdd(effect.dropped, dropsOf(event.value));
    }
  }
  return [...effects].map(([fault, e]) => ({
    fault,
    started: e.started,
    startErrors: e.startErrors,
    errors: [...e.errors],
    healed: e.healed,
    dropped: e.dropped,
  }));
}

/** One line for the summary: "partition-node 2x (dropped 310 packets, 21.4 KB), slow-links unavailable: ...". */
export function faultEffectsText(effects: readonly FaultEffect[]): string {
  return effects
    .map((e) => {
      if (e.started === 0 && e.startErrors > 0) return `${e.fault} never took effect (${e.errors[0] ?? 'error'})`;
      const drops =
        e.dropped === null
          ? ''
          : ` (dropped ${e.dropped.count} ${e.dropped.unit}s, ${(e.dropped.bytes / 1024).toFixed(1)} KB)`;
      const failed = e.startErrors > 0 ? `, ${e.startErrors} failed` : '';
      return `${e.fault} ${e.started}x${drops}${failed}`;
    })
    .join(', ');
}

function dropsOf(value: JsonValue): FaultDrops | null {
  const dropped = field(value, 'dropped');
  const bytes = field(dropped, 'bytes');
  const count = field(dropped, 'count');
  if (typeof bytes !== 'number' || typeof count !== 'number') return null;
  const backend = field(dropped, 'backend');
  const unit = field(dropped, 'unit');
  return {
    backend: typeof backend === 'string' ? backend : '?',
    unit: typeof unit === 'string' ? unit : 'unit',
    bytes,
    count,
  };
}

function dropsAdd(sum: FaultDrops | null, drops: FaultDrops | null): FaultDrops | null {
  if (drops === null) return sum;
  if (sum === null) return drops;
  return { ...sum, bytes: sum.bytes + drops.bytes, count: sum.count + drops.count };
}

function field(value: JsonValue | undefined, name: string): JsonValue | undefined {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value)
    ? (value as { readonly [key: string]: JsonValue })[name]
    : undefined;
}
