// The lattice of transactional consistency models and anomalies, following
// Adya and the published model map Elle uses: which anomaly implies which,
// which model implies which weaker one, and what each model forbids directly.
// Everything a model forbids is then closed both ways: the anomalies of every
// weaker model, and every anomaly that implies a forbidden one.

/** a -> anomalies that a's presence also proves. */
const impliedAnomalies: Readonly<Record<string, readonly string[]>> = {
  G0: ['G1c', 'G0-process'],
  'G0-process': ['G1c-process', 'G0-realtime'],
  'G0-realtime': ['G1c-realtime'],
  G1a: ['G1'],
  G1b: ['G1'],
  G1c: ['G1', 'G1c-process'],
  'G1c-process': ['G1c-realtime', 'G1-process'],
  'G1c-realtime': ['G1-realtime'],
  G1: ['G1-process'],
  'G1-process': ['G1-realtime'],
  'G-single-item': ['G-single', 'G-single-item-process', 'G-nonadjacent-item'],
  'G-single-item-process': ['G-single-process', 'G-single-item-realtime', 'G-nonadjacent-item-process'],
  'G-single-item-realtime': ['G-single-realtime', 'G-nonadjacent-item-realtime'],
  'G-single': ['G-nonadjacent', 'G-single-process'],
  'G-single-process': ['G-nonadjacent-process', 'G-single-realtime'],
  'G-single-realtime': ['G-nonadjacent-realtime'],
  'G-nonadjacent-item': ['G-nonadjacent', 'G2-item', 'G-nonadjacent-item-process'],
  'G-nonadjacent-item-process': ['G-nonadjacent-process', 'G2-item-process', 'G-nonadjacent-item-realtime'],
  'G-nonadjacent-item-realtime': ['G2-item-realtime', 'G-nonadjacent-realtime'],
  'G-nonadjacent': ['G2', 'G-nonadjacent-process'],
  'G-nonadjacent-process': ['G2-process', 'G-nonadjacent-realtime'],
  'G-nonadjacent-realtime': ['G2-realtime'],
  G2: ['G2-process'],
  'G2-item': ['G2', 'G2-item-process'],
  'G2-item-process': ['G2-process', 'G2-item-realtime'],
  'G2-item-realtime': ['G2-realtime'],
  'G2-process': ['G2-realtime'],
  'incompatible-order': ['G1a'],
  'future-read': ['G1c'],
  'dirty-update': ['G1a'],
  'lost-update': ['write-skew', 'G2-item'],
  'write-skew': ['G2'],
};

interface ModelSpec {
  /** Models this one implies (a history satisfying this one satisfies them). */
  readonly weaker: readonly string[];
  /** Anomalies this model forbids beyond what its weaker models forbid. */
  readonly forbids: readonly string[];
}

const models: Readonly<Record<string, ModelSpec>> = {
  'read-uncommitted': { weaker: [], forbids: ['G0', 'duplicate-elements', 'PL-1-cycle-exists'] },
  'read-committed': { weaker: ['read-uncommitted'], forbids: ['G1', 'PL-2-cycle-exists'] },
  'cursor-stability': { weaker: ['read-committed'], forbids: ['G1', 'lost-update'] },
  'monotonic-view': { weaker: ['read-committed'], forbids: ['G1'] },
  'consistent-view': { weaker: ['cursor-stability', 'monotonic-view'], forbids: ['G1', 'G-single'] },
  'forward-consistent-view': { weaker: ['consistent-view'], forbids: ['G1'] },
  'monotonic-atomic-view': { weaker: ['read-committed'], forbids: [] },
  'read-atomic': { weaker: ['monotonic-atomic-view'], forbids: ['internal', 'G1a', 'future-read'] },
  'causal-cerone': { weaker: ['read-atomic'], forbids: ['internal', 'G1a'] },
  prefix: { weaker: ['causal-cerone'], forbids: ['internal', 'G1a'] },
  'update-atomic': { weaker: ['read-committed'], forbids: ['internal', 'lost-update'] },
  'parallel-snapshot-isolation': { weaker: ['causal-cerone', 'update-atomic'], forbids: ['internal', 'G1a'] },
  'monotonic-snapshot-read': { weaker: ['read-committed'], forbids: ['G1'] },
  'repeatable-read': {
    weaker: ['cursor-stability', 'monotonic-atomic-view'],
    forbids: ['G1', 'G2-item', 'lost-update', 'PL-2.99-cycle-exists'],
  },
  'snapshot-isolation': {
    weaker: [
      'forward-consistent-view',
      'monotonic-atomic-view',
      'monotonic-snapshot-read',
      'parallel-snapshot-isolation',
      'prefix',
    ],
    forbids: ['internal', 'G1', 'G-nonadjacent', 'PL-SI-cycle-exists'],
  },
  'update-serializable': { weaker: ['forward-consistent-view'], forbids: ['G1'] },
  serializable: {
    weaker: ['repeatable-read', 'snapshot-isolation', 'update-serializable'],
    forbids: ['G1', 'G2', 'internal', 'PL-3-cycle-exists'],
  },
  'strong-session-read-uncommitted': {
    weaker: ['read-uncommitted'],
    forbids: ['strong-session-PL-1-cycle-exists', 'G0-process'],
  },
  'strong-session-read-committed': {
    weaker: ['read-committed', 'strong-session-read-uncommitted'],
    forbids: ['strong-session-PL-2-cycle-exists', 'G1c-process'],
  },
  'strong-read-uncommitted': {
    weaker: ['strong-session-read-uncommitted'],
    forbids: ['strong-PL-1-cycle-exists', 'G0-realtime'],
  },
  'strong-read-committed': {
    weaker: ['strong-session-read-committed', 'strong-read-uncommitted'],
    forbids: ['strong-PL-2-cycle-exists', 'G1c-realtime'],
  },
  'strong-session-snapshot-isolation': {
    weaker: ['snapshot-isolation', 'strong-session-read-committed'],
    forbids: ['internal', 'G1-process', 'G-nonadjacent-process', 'strong-session-snapshot-isolation-cycle-exists'],
  },
  'strong-snapshot-isolation': {
    weaker: ['strong-session-snapshot-isolation', 'strong-read-committed'],
    forbids: ['internal', 'G1-realtime', 'G-nonadjacent-realtime', 'strong-snapshot-isolation-cycle-exists'],
  },
  'strong-session-serializable': {
    weaker: ['serializable', 'strong-session-snapshot-isolation'],
    forbids: ['G1-process', 'G2-process', 'strong-session-serializable-cycle-exists'],
  },
  'strict-serializable': {
    weaker: ['serializable', 'snapshot-isolation', 'strong-snapshot-isolation', 'strong-session-serializable'],
    forbids: ['G1', 'G1c-realtime', 'G2-realtime', 'PL-SS-cycle-exists'],
  },
};

/** Other names of the same models (Adya's PL names among them). */
const modelAliases: Readonly<Record<string, string>> = {
  'PL-1': 'read-uncommitted',
  'PL-2': 'read-committed',
  'PL-CS': 'cursor-stability',
  'PL-2L': 'monotonic-view',
  'PL-2+': 'consistent-view',
  'PL-FCV': 'forward-consistent-view',
  'PL-MSR': 'monotonic-snapshot-read',
  'PL-2.99': 'repeatable-read',
  'PL-SI': 'snapshot-isolation',
  'PL-3U': 'update-serializable',
  'PL-3': 'serializable',
  'conflict-serializable': 'serializable',
  'PL-SS': 'strict-serializable',
  'strong-serializable': 'strict-serializable',
  'strong-session-PL-1': 'strong-session-read-uncommitted',
  'strong-session-PL-2': 'strong-session-read-committed',
  'strong-PL-1': 'strong-read-uncommitted',
  'strong-PL-2': 'strong-read-committed',
};

/** The model a name means, or null when it names none. */
export function modelNamed(name: string): string | null {
  const model = modelAliases[name] ?? name;
  return model in models ? model : null;
}

export const modelNamesKnown: readonly string[] = Object.keys(models);

const anomaliesKnown: ReadonlySet<string> = new Set([
  ...Object.keys(impliedAnomalies),
  ...Object.values(impliedAnomalies).flat(),
  ...Object.values(models).flatMap((spec) => spec.forbids),
  'internal',
]);

export function isAnomalyName(name: string): boolean {
  return anomaliesKnown.has(name);
}

function closure(start: Iterable<string>, next: (item: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length > 0) {
    const item = queue.pop()!;
    if (seen.has(item)) continue;
    seen.add(item);
    queue.push(...next(item));
  }
  return seen;
}

const implyingAnomalies: Readonly<Record<string, string[]>> = (() => {
  const reverse: Record<string, string[]> = {};
  for (const [a, implied] of Object.entries(impliedAnomalies)) {
    for (const b of implied) (reverse[b] ??= []).push(a);
  }
  return reverse;
})();

/** The anomalies `anomalies` prove, themselves included. */
export function anomaliesImplied(anomalies: Iterable<string>): Set<string> {
  return closure(anomalies, (a) => impliedAnomalies[a] ?? []);
}

/** Every anomaly whose presence proves one of `anomalies`, themselves included. */
export function anomaliesImplying(anomalies: Iterable<string>): Set<string> {
  return closure(anomalies, (a) => implyingAnomalies[a] ?? []);
}

function modelsImplied(names: Iterable<string>): Set<string> {
  return closure(names, (m) => models[m]?.weaker ?? []);
}

/** Every anomaly that must not occur if all of `names` (known models) hold. */
export function anomaliesProhibitedBy(names: Iterable<string>): Set<string> {
  return anomaliesImplying([...modelsImplied(names)].flatMap((m) => models[m]?.forbids ?? []));
}

const prohibitedByModel: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  modelNamesKnown.map((m) => [m, anomaliesProhibitedBy([m])]),
);

/** The models that cannot hold given `anomalies` occurred. */
export function modelsImpossible(anomalies: Iterable<string>): Set<string> {
  const found = [...anomalies];
  return new Set(modelNamesKnown.filter((m) => found.some((a) => prohibitedByModel.get(m)?.has(a) === true)));
}

/** Of `names`, those that no other member is weaker than: the weakest models ruled out. */
export function modelsWeakest(names: ReadonlySet<string>): string[] {
  return [...names]
    .filter((m) => ![...modelsImplied(models[m]?.weaker ?? [])].some((weaker) => weaker !== m && names.has(weaker)))
    .sort();
}

/** `name` and every model that implies it: all ruled out once `name` is. */
export function modelsAtLeast(name: string): Set<string> {
  return new Set(modelNamesKnown.filter((m) => modelsImplied([m]).has(name)));
}
