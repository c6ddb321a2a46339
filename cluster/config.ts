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

/** Returns the first violated rule of a config, or null. */
export function clusterConfigCheck(config: ClusterConfig, where = 'config'): string | null {
  const g = config.geometry;
  const v = geometryReplicas(g);
  const positive: [string, number][] = [
    ['geometry.azCount', g.azCount],
    ['geometry.nodesPerAz', g.nodesPerAz],
    ['geometry.writeQuorum', g.writeQuorum],
    ['geometry.readQuorum', g.readQuorum],
    ['geometry.pgCount', g.pgCount],
    ['writer.allocationLimit', config.writer.allocationLimit],
    ['writer.batchRecordsMax', config.writer.batchRecordsMax],
    ['storage.blockBytes', config.storage.blockBytes],
  ];
  for (const [name, value] of positive) {
    if (!Number.isInteger(value) || value < 1) return `${where}.${name}: must be a positive integer, got ${value}`;
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
