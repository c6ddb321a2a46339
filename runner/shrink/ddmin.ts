// Delta debugging (Zeller's ddmin) over the indices of a failing input: finds a
// subset that still fails and from which no single chunk at the finest
// granularity tried can be removed. Pure apart from the probe, which the caller
// owns; every probe is one attempt, counted against a bound.

/** What a probe says of one subset: it still fails, it passes, or the caller's budget is spent. */
export type ProbeVerdict = 'fails' | 'passes' | 'budget-spent';

export type Probe = (kept: readonly number[]) => Promise<ProbeVerdict>;

export interface DdminOptions {
  /** The indices of the failing input, in order (the whole input fails; it is not probed again). */
  readonly items: readonly number[];
  /** Probes at most this many subsets. */
  readonly attemptsMax: number;
  /** Stop once a failing subset has this many items or fewer (one: nothing smaller is tried). */
  readonly sizeGoal?: number;
}

export interface DdminOutcome {
  /** The smallest failing subset found, in the order of `items`. */
  readonly kept: readonly number[];
  readonly attempts: number;
  /** Why the search ended: nothing more to remove, the goal size, or a bound. */
  readonly end: 'minimal' | 'goal' | 'attempts' | 'budget-spent';
}

export async function ddmin(probe: Probe, options: DdminOptions): Promise<DdminOutcome> {
  const sizeGoal = Math.max(1, options.sizeGoal ?? 1);
  const seen = new Map<string, 'fails' | 'passes'>();
  let attempts = 0;
  let current = [...options.items];
  let granularity = 2;
  const test = async (subset: readonly number[]): Promise<ProbeVerdict | 'attempts'> => {
    const key = subset.join(',');
    const known = seen.get(key);
    if (known !== undefined) return known;
    if (attempts >= options.attemptsMax) return 'attempts';
    attempts += 1;
    const verdict = await probe(subset);
    if (verdict !== 'budget-spent') seen.set(key, verdict);
    return verdict;
  };
  const outcome = (end: DdminOutcome['end']): DdminOutcome =>
    Object.freeze({ kept: Object.freeze(current), attempts, end });
  while (current.length > sizeGoal) {
    const step = await reduceStep(current, granularity, test);
    if (step.kind === 'stop') return outcome(step.reason);
    if (step.kind === 'reduced') {
      current = step.kept;
      granularity = step.granularity;
      continue;
    }
    if (granularity >= current.length) return outcome('minimal');
    granularity = Math.min(granularity * 2, current.length);
  }
  return outcome('goal');
}

type Step =
  | { readonly kind: 'reduced'; readonly kept: number[]; readonly granularity: number }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'stop'; readonly reason: 'attempts' | 'budget-spent' };

/**
 * One round at one granularity: a chunk alone that fails becomes the input
 * (granularity back to 2), else a complement that fails (granularity one less).
 */
async function reduceStep(
  current: readonly number[],
  granularity: number,
  test: (subset: readonly number[]) => Promise<ProbeVerdict | 'attempts'>,
): Promise<Step> {
  const chunks = chunksOf(current, granularity);
  for (const chunk of chunks) {
    const verdict = await test(chunk);
    if (verdict === 'fails') return { kind: 'reduced', kept: chunk, granularity: 2 };
    if (verdict !== 'passes') return { kind: 'stop', reason: verdict };
  }
  // With two chunks each complement is the other chunk, already tried.
  if (chunks.length === 2) return { kind: 'unchanged' };
  for (const chunk of chunks) {
    const complement = current.filter((item) => !chunk.includes(item));
    const verdict = await test(complement);
    if (verdict === 'fails') return { kind: 'reduced', kept: complement, granularity: Math.max(granularity - 1, 2) };
    if (verdict !== 'passes') return { kind: 'stop', reason: verdict };
  }
  return { kind: 'unchanged' };
}

/** `items` cut into `count` chunks of nearly equal size, in order. */
export function chunksOf(items: readonly number[], count: number): number[][] {
  const chunks: number[][] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = start + Math.floor((items.length - start) / (count - i));
    if (end > start) chunks.push(items.slice(start, end));
    start = end;
  }
  return chunks;
}
