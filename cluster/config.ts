// The cluster configuration: geometry (AZs, nodes, quorums, PGs), the named
// deliberate bugs, and the tunables of writer and storage node. Parsed once at
// the edge into a frozen value; every error names the field and the value.

export const bugNames = [
  'ack-before-quorum',
  'ack-before-fsync',
  'read-uncommitted',
  'stale-storage-read',
  'skip-crc',
  'no-epoch-fence',
  'no-truncation',
  'lose-hot-log-tail',
] as const;
export type BugName = (typeof bugNames)[number];

export interface Geometry {
  readonly azCount: number;
  readonly nodesPerAz: number;
  /** Vw: replicas that must hold a record before it counts as durable. */
  readonly writeQuorum: number;
  /** Vr: replicas read to rebuild state at recovery. */
  readonly readQuorum: number;
  readonly pgCount: number;
}

export interface WriterTuning {
  /** No LSN above VDL + this is allocated (Aurora: 10 million). */
  readonly allocationLimit: number;
  readonly cacheEnabled: boolean;
  readonly backpressureTimeoutMs: number;
  readonly quorumTimeoutMs: number;
  /** A storage read not answered within this is sent to a second node too. */
  readonly hedgeAfterMs: number;
  readonly batchRecordsMax: number;
}

export interface StorageTuning {
  /** Keep written bytes in process memory until fdatasync, so a kill loses what a power cut would. */
  readonly volatileWriteCache: boolean;
  readonly blockBytes: number;
  readonly gossipIntervalMs: number;
  readonly scrubIntervalMs: number;
  readonly coalesceIntervalMs: number;
}

export interface ClusterConfig {
  readonly geometry: Geometry;
  readonly bugs: readonly BugName[];
  readonly writer: WriterTuning;
  readonly storage: StorageTuning;
}

export const clusterConfigDefault: ClusterConfig = Object.freeze({
  geometry: Object.freeze({ azCount: 3, nodesPerAz: 2, writeQuorum: 4, readQuorum: 3, pgCount: 1 }),
  bugs: Object.freeze([]),
  writer: Object.freeze({
    allocationLimit: 10_000_000,
    cacheEnabled: true,
    backpressureTimeoutMs: 2000,
    quorumTimeoutMs: 2000,
    hedgeAfterMs: 20,
    batchRecordsMax: 512,
  }),
  storage: Object.freeze({
    volatileWriteCache: false,
    blockBytes: 4096,
    gossipIntervalMs: 200,
    scrubIntervalMs: 1000,
    coalesceIntervalMs: 500,
  }),
});

/** Replicas of every segment (V): every PG has one replica on each storage node. */
export function geometryReplicas(geometry: Geometry): number {
  return geometry.azCount * geometry.nodesPerAz;
}

export type ConfigParse = { ok: true; config: ClusterConfig } | { ok: false; error: string };

/** Parses a partial config (missing fields take defaults) and validates the whole. */
export function clusterConfigParse(raw: unknown, where = 'config'): ConfigParse {
  if (raw === undefined || raw === null) return { ok: true, config: clusterConfigDefault };
  if (!isObject(raw)) return { ok: false, error: `${where}: expected an object, got ${describe(raw)}` };
  const unknownTop = Object.keys(raw).filter((k) => !['geometry', 'bugs', 'writer', 'storage'].includes(k));
  if (unknownTop.length > 0) return { ok: false, error: `${where}.${unknownTop[0]}: unknown field` };
  try {
    const geometry = section(raw.geometry, clusterConfigDefault.geometry, `${where}.geometry`);
    const writer = section(raw.writer, clusterConfigDefault.writer, `${where}.writer`);
    const storage = section(raw.storage, clusterConfigDefault.storage, `${where}.storage`);
    const bugs = bugsParse(raw.bugs, `${where}.bugs`);
    const config: ClusterConfig = Object.freeze({ geometry, writer, storage, bugs });
    const error = clusterConfigCheck(config, where);
    return error === null ? { ok: true, config } : { ok: false, error };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, error: error.message };
    throw error;
  }
}

/** An inclusive range of integers a numeric field must fall in. */
export interface FieldRange {
  readonly min: number;
  readonly max: number;
}

type NumericFields<T> = { readonly [K in keyof T as T[K] extends number ? K : never]: FieldRange };

/** Bound on storage nodes (azCount x nodesPerAz): each is a process of its own on one machine. */
export const geometryNodesMax = 64;
/** Bound on protection groups, the same as the `--pgs` flag's. */
export const geometryPgCountMax = 1024;

/**
 * The range of every numeric field, checked at parse time so that a value no
 * node could work with is refused before anything starts. Intervals start at
 * 10 ms because a background task at 0 runs back to back and starves the node;
 * blockBytes stops at 64 KiB because a block must fit in a client frame.
 */
export const clusterConfigRanges = {
  geometry: {
    azCount: { min: 1, max: 16 },
    nodesPerAz: { min: 1, max: 16 },
    writeQuorum: { min: 1, max: geometryNodesMax },
    readQuorum: { min: 1, max: geometryNodesMax },
    pgCount: { min: 1, max: geometryPgCountMax },
  },
  writer: {
    allocationLimit: { min: 1, max: 100_000_000 },
    backpressureTimeoutMs: { min: 1, max: 600_000 },
    quorumTimeoutMs: { min: 1, max: 600_000 },
    hedgeAfterMs: { min: 1, max: 60_000 },
    // The storage node refuses an append of more records than this (message-parse.ts).
    batchRecordsMax: { min: 1, max: 100_000 },
  },
  storage: {
    blockBytes: { min: 512, max: 64 * 1024 },
    gossipIntervalMs: { min: 10, max: 3_600_000 },
    scrubIntervalMs: { min: 10, max: 3_600_000 },
    coalesceIntervalMs: { min: 10, max: 3_600_000 },
  },
} as const satisfies {
  readonly geometry: NumericFields<Geometry>;
  readonly writer: NumericFields<WriterTuning>;
  readonly storage: NumericFields<StorageTuning>;
};

/** Returns the first violated rule of a config, or null. */
export function clusterConfigCheck(config: ClusterConfig, where = 'config'): string | null {
  const rangeError = rangesCheck(config, where);
  if (rangeError !== null) return rangeError;
  const g = config.geometry;
  const v = geometryReplicas(g);
  if (v > geometryNodesMax) {
    return `${where}.geometry.nodesPerAz: azCount x nodesPerAz must be at most ${geometryNodesMax} storage nodes, got ${g.azCount} x ${g.nodesPerAz} = ${v}`;
  }
  if (g.writeQuorum > v)
    return `${where}.geometry.writeQuorum: ${g.writeQuorum} exceeds the ${v} replicas (azCount x nodesPerAz)`;
  if (g.readQuorum > v)
    return `${where}.geometry.readQuorum: ${g.readQuorum} exceeds the ${v} replicas (azCount x nodesPerAz)`;
  if (g.readQuorum + g.writeQuorum <= v) {
    return `${where}.geometry.readQuorum: Vr + Vw must exceed V so every read quorum meets every write quorum, got ${g.readQuorum} + ${g.writeQuorum} <= ${v}`;
  }
  if (2 * g.writeQuorum <= v) {
    return `${where}.geometry.writeQuorum: Vw must exceed V/2 so two write quorums always overlap, got ${g.writeQuorum} with V = ${v}`;
  }
  if (config.storage.blockBytes % 512 !== 0)
    return `${where}.storage.blockBytes: must be a multiple of 512, got ${config.storage.blockBytes}`;
  return null;
}

function rangesCheck(config: ClusterConfig, where: string): string | null {
  for (const [section, fields] of Object.entries(clusterConfigRanges)) {
    const values = config[section as keyof typeof clusterConfigRanges] as unknown as Record<string, number>;
    for (const [field, range] of Object.entries(fields as Record<string, FieldRange>)) {
      const value = values[field];
      if (value === undefined || !Number.isInteger(value) || value < range.min || value > range.max)
        return `${where}.${section}.${field}: must be an integer from ${range.min} to ${range.max}, got ${value}`;
    }
  }
  return null;
}

class ConfigError extends Error {}

function section<T extends object>(raw: unknown, defaults: T, where: string): T {
  if (raw === undefined) return defaults;
  if (!isObject(raw)) throw new ConfigError(`${where}: expected an object, got ${describe(raw)}`);
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(raw)) {
    if (!Object.hasOwn(defaults, key)) throw new ConfigError(`${where}.${key}: unknown field`);
    const expected = typeof (defaults as Record<string, unknown>)[key];
    if (typeof value !== expected)
      throw new ConfigError(`${where}.${key}: expected a ${expected}, got ${describe(value)}`);
    out[key] = value;
  }
  return Object.freeze(out) as T;
}

function bugsParse(raw: unknown, where: string): readonly BugName[] {
  if (raw === undefined) return clusterConfigDefault.bugs;
  if (!Array.isArray(raw)) throw new ConfigError(`${where}: expected a list of bug names, got ${describe(raw)}`);
  const out: BugName[] = [];
  raw.forEach((name: unknown, i) => {
    if (typeof name !== 'string' || !(bugNames as readonly string[]).includes(name)) {
      throw new ConfigError(`${where}[${i}]: unknown bug ${describe(name)}; known bugs: ${bugNames.join(', ')}`);
    }
    if (!out.includes(name as BugName)) out.push(name as BugName);
  });
  return Object.freeze(out);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

export function bugOn(config: ClusterConfig, bug: BugName): boolean {
  return config.bugs.includes(bug);
}
