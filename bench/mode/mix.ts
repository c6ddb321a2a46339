// The operation mixes of the bench command: the YCSB core workloads that a
// key-value store without scans can run (A, B, C, D, F), a write-only mix (W),
// and custom weights. Each named mix brings the key distribution YCSB gives it.

export const benchOpKinds = ['read', 'write', 'cas', 'append'] as const;
export type BenchOpKind = (typeof benchOpKinds)[number];

export const keyDistributionNames = ['uniform', 'zipfian', 'latest'] as const;
export type KeyDistributionName = (typeof keyDistributionNames)[number];

export interface BenchMix {
  /** A, B, C, D, F, W, or `custom`. */
  readonly name: string;
  /** Relative weights, each at least 0, at least one above 0. */
  readonly weights: Readonly<Record<BenchOpKind, number>>;
  /** The distribution the mix runs with unless --distribution says otherwise. */
  readonly distribution: KeyDistributionName;
  /** D: writes insert new keys (and `latest` reads follow them) instead of updating existing ones. */
  readonly writesInsert: boolean;
}

const none: Readonly<Record<BenchOpKind, number>> = { read: 0, write: 0, cas: 0, append: 0 };

/** YCSB's core workloads (workloads/workloada ... f of the YCSB distribution), less E, plus W. */
export const benchMixes: Readonly<Record<string, BenchMix>> = Object.freeze({
  A: { name: 'A', weights: { ...none, read: 50, write: 50 }, distribution: 'zipfian', writesInsert: false },
  B: { name: 'B', weights: { ...none, read: 95, write: 5 }, distribution: 'zipfian', writesInsert: false },
  C: { name: 'C', weights: { ...none, read: 100 }, distribution: 'zipfian', writesInsert: false },
  D: { name: 'D', weights: { ...none, read: 95, write: 5 }, distribution: 'latest', writesInsert: true },
  F: { name: 'F', weights: { ...none, read: 50, cas: 50 }, distribution: 'zipfian', writesInsert: false },
  W: { name: 'W', weights: { ...none, write: 100 }, distribution: 'zipfian', writesInsert: false },
});

export type MixParse = { readonly ok: true; readonly mix: BenchMix } | { readonly ok: false; readonly error: string };

/** A mix's name (A, B, C, D, F, W) or `read=50,write=30,cas=10,append=10`. */
export function mixParse(text: string): MixParse {
  const trimmed = text.trim();
  const named = benchMixes[trimmed.toUpperCase()];
  if (named !== undefined) return { ok: true, mix: named };
  if (trimmed.toUpperCase() === 'E')
    return { ok: false, error: '--mix: YCSB E needs range scans, which the store does not have' };
  if (!trimmed.includes('='))
    return {
      ok: false,
      error: `--mix: expected one of ${Object.keys(benchMixes).join(', ')} or weights like read=50,write=50, got "${text}"`,
    };
  return customParse(trimmed);
}

function customParse(text: string): MixParse {
  const weights: Record<BenchOpKind, number> = { ...none };
  const seen = new Set<string>();
  for (const part of text.split(',')) {
    const [kind = '', weightText = ''] = part.split('=').map((piece) => piece.trim());
    if (kind === 'txn') return { ok: false, error: '--mix: txn is not available: the store has no transactions yet' };
    if (!(benchOpKinds as readonly string[]).includes(kind))
      return { ok: false, error: `--mix: unknown operation "${kind}"; known: ${benchOpKinds.join(', ')}` };
    if (seen.has(kind)) return { ok: false, error: `--mix: ${kind} is given twice` };
    seen.add(kind);
    const weight = /^\d+(\.\d+)?$/.test(weightText) ? Number(weightText) : NaN;
    if (!Number.isFinite(weight))
      return { ok: false, error: `--mix: ${kind} needs a non-negative number, got "${weightText}"` };
    weights[kind as BenchOpKind] = weight;
  }
  if (benchOpKinds.every((kind) => weights[kind] === 0))
    return { ok: false, error: `--mix: at least one weight must be above 0, got "${text}"` };
  return { ok: true, mix: { name: 'custom', weights, distribution: 'uniform', writesInsert: false } };
}

/** "read 50%, write 50%": the mix as a person reads it. */
export function mixText(mix: BenchMix): string {
  const total = benchOpKinds.reduce((sum, kind) => sum + mix.weights[kind], 0);
  return benchOpKinds
    .filter((kind) => mix.weights[kind] > 0)
    .map((kind) => `${kind} ${Math.round((mix.weights[kind] * 100) / total)}%`)
    .join(', ');
}
