// What the runner saw of the store after the heal, as the history records it:
// nemesis-process `info` events whose values carry the figures (replica SCLs,
// scrub passes, unrepaired blocks). The runner writes them and the liveness and
// repair checkers read them, so a stored history can be judged again alone.

import type { HistoryEvent, JsonValue } from '../core/history.js';

/** The `f` of each observation event. */
export const observeF = {
  replicas: 'observe-replicas',
  scrub: 'observe-scrub',
  repair: 'observe-repair',
} as const;

/** The phase marker value that opens the liveness phase (after the heal and the recovery wait). */
export const livenessPhase = 'liveness';

/** One storage node's SCL per PG as its health reported it; scls null, with the error, when it did not answer. */
export type ReplicaSeen = {
  readonly node: string;
  readonly scls: readonly number[] | null;
  readonly error: string | null;
};

/** One round of the replica watch: every storage node's SCLs. */
export type ReplicasObservation = {
  /** 1 for the first round. */
  readonly round: number;
  /** Since the first round began. */
  readonly watchedMs: number;
  /** The watch's bound. */
  readonly timeoutMs: number;
  readonly nodes: readonly ReplicaSeen[];
};

/** What one on-demand scrub pass of a node found (the store's scrub-result). */
export type ScrubFigures = {
  readonly blocksChecked: number;
  readonly blocksCorrupt: number;
  readonly blocksUnrepaired: number;
  /** False when a bound cut the pass short. */
  readonly complete: boolean;
};

export type ScrubSeen = {
  readonly node: string;
  /** null, with the error, when the node gave no figures. */
  readonly figures: ScrubFigures | null;
  readonly error: string | null;
};

/** Pass 1 finds what is damaged; pass 2, after the repair wait, must find nothing. */
export type ScrubObservation = { readonly pass: 1 | 2; readonly nodes: readonly ScrubSeen[] };

export type RepairSeen = {
  readonly node: string;
  /** From the node's health stats; null, with the error, when it gave none. */
  readonly blocksUnrepaired: number | null;
  readonly blockRepairsMax: number | null;
  readonly error: string | null;
};

/** One round of the repair wait: every storage node's unrepaired blocks. */
export type RepairObservation = {
  readonly round: number;
  readonly watchedMs: number;
  readonly timeoutMs: number;
  readonly nodes: readonly RepairSeen[];
};

/** An observation with the event that carried it. */
export interface Observed<T> {
  readonly index: number;
  readonly timeNs: number;
  readonly value: T;
}

export type ObservationsRead<T> =
  { readonly ok: true; readonly observed: readonly Observed<T>[] } | { readonly ok: false; readonly error: string };

/** Index of the first nemesis phase marker with this value; null when the history has none. */
export function phaseMarkerIndex(history: readonly HistoryEvent[], phase: string): number | null {
  const marker = history.find((event) => event.process === 'nemesis' && event.f === 'phase' && event.value === phase);
  return marker?.index ?? null;
}

export function replicasObservations(history: readonly HistoryEvent[]): ObservationsRead<ReplicasObservation> {
  return observationsRead(history, observeF.replicas, (value) => {
    const nodes = arrayOf(value['nodes'], (node) => ({
      node: text(node['node'], 'node'),
      scls: node['scls'] === null ? null : numbers(node['scls']),
      error: textOrNull(node['error'], 'error'),
    }));
    return {
      round: count(value['round'], 'round'),
      watchedMs: count(value['watchedMs'], 'watchedMs'),
      timeoutMs: count(value['timeoutMs'], 'timeoutMs'),
      nodes,
    };
  });
}

export function scrubObservations(history: readonly HistoryEvent[]): ObservationsRead<ScrubObservation> {
  return observationsRead(history, observeF.scrub, (value) => {
    const pass = count(value['pass'], 'pass');
    if (pass !== 1 && pass !== 2) throw new ObservationError(`pass: expected 1 or 2, got ${pass}`);
    const nodes = arrayOf(value['nodes'], (node) => ({
      node: text(node['node'], 'node'),
      figures: node['figures'] === null ? null : scrubFigures(objectOf(node['figures'], 'figures')),
      error: textOrNull(node['error'], 'error'),
    }));
    return { pass, nodes };
  });
}

export function repairObservations(history: readonly HistoryEvent[]): ObservationsRead<RepairObservation> {
  return observationsRead(history, observeF.repair, (value) => {
    const nodes = arrayOf(value['nodes'], (node) => ({
      node: text(node['node'], 'node'),
      blocksUnrepaired: node['blocksUnrepaired'] === null ? null : count(node['blocksUnrepaired'], 'blocksUnrepaired'),
      blockRepairsMax: node['blockRepairsMax'] === null ? null : count(node['blockRepairsMax'], 'blockRepairsMax'),
      error: textOrNull(node['error'], 'error'),
    }));
    return {
      round: count(value['round'], 'round'),
      watchedMs: count(value['watchedMs'], 'watchedMs'),
      timeoutMs: count(value['timeoutMs'], 'timeoutMs'),
      nodes,
    };
  });
}

/** Targets of a nemesis event, from `{targets: [...]}`; anything else reads as no targets. */
export function nemesisTargets(value: JsonValue): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const targets = (value as JsonObject)['targets'];
  if (!Array.isArray(targets)) return [];
  return (targets as readonly JsonValue[]).flatMap((t) =>
    typeof t === 'string' || typeof t === 'number' ? [String(t)] : [],
  );
}

function scrubFigures(figures: JsonObject): ScrubFigures {
  const complete = figures['complete'];
  if (typeof complete !== 'boolean') throw new ObservationError(`figures.complete: expected a boolean`);
  return {
    blocksChecked: count(figures['blocksChecked'], 'blocksChecked'),
    blocksCorrupt: count(figures['blocksCorrupt'], 'blocksCorrupt'),
    blocksUnrepaired: count(figures['blocksUnrepaired'], 'blocksUnrepaired'),
    complete,
  };
}

type JsonObject = { readonly [key: string]: JsonValue };

/** An observation value that does not have its shape: the history was edited or written by something else. */
class ObservationError extends Error {}

function observationsRead<T>(
  history: readonly HistoryEvent[],
  f: string,
  parse: (value: JsonObject) => T,
): ObservationsRead<T> {
  const observed: Observed<T>[] = [];
  for (const event of history) {
    if (event.process !== 'nemesis' || event.f !== f) continue;
    try {
      observed.push({ index: event.index, timeNs: event.time, value: parse(objectOf(event.value, 'value')) });
    } catch (error) {
      if (!(error instanceof ObservationError)) throw error;
      return { ok: false, error: `event ${event.index} (${f}): ${error.message}` };
    }
  }
  return { ok: true, observed };
}

function objectOf(value: JsonValue | undefined, what: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ObservationError(`${what}: expected an object, got ${JSON.stringify(value) ?? 'nothing'}`);
  return value as JsonObject;
}

function arrayOf<T>(value: JsonValue | undefined, parse: (item: JsonObject) => T): T[] {
  if (!Array.isArray(value)) throw new ObservationError(`nodes: expected an array`);
  return (value as readonly JsonValue[]).map((item, i) => parse(objectOf(item, `nodes[${i}]`)));
}

function count(value: JsonValue | undefined, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new ObservationError(`${field}: expected a count, got ${JSON.stringify(value) ?? 'nothing'}`);
  return value;
}

function numbers(value: JsonValue | undefined): number[] {
  if (!Array.isArray(value) || !(value as readonly JsonValue[]).every((item) => typeof item === 'number'))
    throw new ObservationError(`scls: expected an array of numbers, got ${JSON.stringify(value) ?? 'nothing'}`);
  return [...(value as readonly number[])];
}

function text(value: JsonValue | undefined, field: string): string {
  if (typeof value !== 'string')
    throw new ObservationError(`${field}: expected a string, got ${JSON.stringify(value) ?? 'nothing'}`);
  return value;
}

function textOrNull(value: JsonValue | undefined, field: string): string | null {
  if (value === null || value === undefined) return null;
  return text(value, field);
}
