// Every fault the chaos nemesis knows, by name, grouped in families that a
// --nemesis list may name instead (`partition` means all seven partitions),
// and `all`: every fault the store must survive. `corrupt-over-limit` is kept
// out of `all` and of `corrupt`: it destroys data by design, to show the
// checkers report it.

import type { Fault, FaultEnv } from './fault.js';
import { aimNames, aimSummaries } from '../observe/aims.js';
import { awaitEvents, awaitSummaries } from '../observe/await-event.js';
import { corruptFaultCreate } from './corrupt-fault.js';
import { deposeFaultCreate } from './depose-fault.js';
import { linkDegradeFaultCreate, partitionFaultCreate } from './link-fault.js';
import { processFaultCreate } from './process-fault.js';
import { tuneFaultCreate } from './tune-fault.js';

export interface FaultSpec {
  readonly name: string;
  readonly family: string;
  readonly summary: string;
  /** Part of its family and of `all`. */
  readonly survivable: boolean;
  /** What the runtime must be able to do besides the runtime interface (Docker needs tc netem to shape links). */
  readonly needs: readonly FaultNeed[];
  readonly create: (env: FaultEnv) => Fault;
}

/** `link-shaping`: delaying or losing packets of a link (the local proxy always can; Docker needs tc netem). */
export type FaultNeed = 'link-shaping';

const spec = (
  name: string,
  family: string,
  summary: string,
  create: (name: string, env: FaultEnv) => Fault,
  survivable = true,
  needs: readonly FaultNeed[] = [],
): FaultSpec =>
  Object.freeze({
    name,
    family,
    summary,
    survivable,
    needs: Object.freeze([...needs]),
    create: (env: FaultEnv) => create(name, env),
  });

export const faultSpecs: readonly FaultSpec[] = Object.freeze([
  spec('partition-node', 'partition', 'isolate one node from every other node', (n, e) =>
    partitionFaultCreate(n, 'isolate-node', e),
  ),
  spec('partition-az', 'partition', 'isolate one AZ from the others', (n, e) =>
    partitionFaultCreate(n, 'isolate-az', e),
  ),
  spec('partition-halves', 'partition', 'split the nodes into two random halves', (n, e) =>
    partitionFaultCreate(n, 'halves', e),
  ),
  spec('partition-ring', 'partition', 'majorities ring: every node hears a different majority', (n, e) =>
    partitionFaultCreate(n, 'majorities-ring', e),
  ),
  spec('partition-bridge', 'partition', 'two halves joined by one node in both', (n, e) =>
    partitionFaultCreate(n, 'bridge', e),
  ),
  spec('partition-writer-storage', 'partition', 'cut the primary writer off from every storage node', (n, e) =>
    partitionFaultCreate(n, 'writer-storage', e),
  ),
  spec('partition-client-writer', 'partition', 'cut the clients off from the primary writer', (n, e) =>
    partitionFaultCreate(n, 'client-writer', e),
  ),
  spec(
    'partition-peers',
    'partition',
    'cut one storage node off from its peers (no gossip); writers reach it',
    (n, e) => partitionFaultCreate(n, 'storage-peers', e),
  ),
  spec('kill-node', 'kill', 'SIGKILL one storage node, restart it at the heal', (n, e) =>
    processFaultCreate(n, 'kill', 'storage-node', e),
  ),
  spec('kill-az', 'kill', 'SIGKILL every node of one AZ (writers included)', (n, e) =>
    processFaultCreate(n, 'kill', 'az', e),
  ),
  spec('kill-az-plus-one', 'kill', 'SIGKILL one AZ and one more storage node (AZ+1)', (n, e) =>
    processFaultCreate(n, 'kill', 'az-plus-one', e),
  ),
  spec('kill-writer', 'kill', 'SIGKILL the primary writer; a running standby is promoted', (n, e) =>
    processFaultCreate(n, 'kill', 'writer', e),
  ),
  spec(
    'power-loss',
    'power-loss',
    "cut one AZ's storage nodes with the volatile write cache on: unsynced writes vanish",
    (n, e) => processFaultCreate(n, 'power-loss', 'az-storage', e),
  ),
  spec('pause-node', 'pause', 'SIGSTOP one storage node, SIGCONT at the heal', (n, e) =>
    processFaultCreate(n, 'pause', 'storage-node', e),
  ),
  spec('pause-az', 'pause', 'SIGSTOP every node of one AZ', (n, e) => processFaultCreate(n, 'pause', 'az', e)),
  spec('pause-writer', 'pause', 'SIGSTOP the primary writer', (n, e) => processFaultCreate(n, 'pause', 'writer', e)),
  spec('corrupt-helix', 'corrupt', 'damage blocks of running replicas, each record intact on a write quorum', (n, e) =>
    corruptFaultCreate(n, 'helix', e),
  ),
  spec('corrupt-truncate', 'corrupt', "cut a killed replica's newest hot file mid-block, restart it", (n, e) =>
    corruptFaultCreate(n, 'truncate', e),
  ),
  spec(
    'corrupt-rollback',
    'corrupt',
    "roll a killed replica's hot files back to a snapshot (lost writes), restart it",
    (n, e) => corruptFaultCreate(n, 'rollback', e),
  ),
  spec(
    'corrupt-over-limit',
    'corrupt',
    'damage one LSN stripe on every replica: data loss the checkers must report',
    (n, e) => corruptFaultCreate(n, 'over-limit', e),
    false,
  ),
  spec(
    'slow-links',
    'links',
    'delay every link into and out of one AZ (50 ms + up to 50 ms)',
    (n, e) => linkDegradeFaultCreate(n, 'slow', e),
    true,
    ['link-shaping'],
  ),
  spec(
    'lossy-links',
    'links',
    'lose 10% of chunks on the links of one AZ (retransmission spikes, resets)',
    (n, e) => linkDegradeFaultCreate(n, 'lossy', e),
    true,
    ['link-shaping'],
  ),
  spec(
    'depose-writer',
    'writer',
    'pause the primary, promote a standby; the stop resumes a deposed writer that believes it leads',
    (n, e) => deposeFaultCreate(n, e),
  ),
  spec('slow-fsync', 'disk', 'every fdatasync of the storage nodes (default all) takes 200 ms until the stop', (n, e) =>
    tuneFaultCreate(n, 'slow-fsync', e),
  ),
  spec(
    'storage-reads',
    'reads',
    'the writers answer reads from storage, round-robin over every eligible replica, until the stop',
    (n, e) => tuneFaultCreate(n, 'storage-reads', e),
  ),
]);

export const faultAllName = 'all';

export function faultFamilies(): readonly string[] {
  return [...new Set(faultSpecs.map((fault) => fault.family))];
}

export function faultSpecOf(name: string): FaultSpec | undefined {
  return faultSpecs.find((fault) => fault.name === name);
}

export type FaultNamesExpand =
  { readonly ok: true; readonly faults: readonly string[] } | { readonly ok: false; readonly error: string };

/** Fault names, family names and `all`, expanded to distinct fault names in catalog order. */
export function faultNamesExpand(names: readonly string[]): FaultNamesExpand {
  const chosen = new Set<string>();
  for (const name of names) {
    const members =
      name === faultAllName
        ? faultSpecs.filter((fault) => fault.survivable)
        : faultSpecs.filter((fault) => fault.name === name || (fault.family === name && fault.survivable));
    if (members.length === 0)
      return { ok: false, error: `unknown nemesis "${name}"; known: ${faultNamesKnown().join(', ')}` };
    for (const member of members) chosen.add(member.name);
  }
  return {
    ok: true,
    faults: Object.freeze(faultSpecs.filter((fault) => chosen.has(fault.name)).map((fault) => fault.name)),
  };
}

/** The faults that need something the runtime lacks, each with the reason (from the runtime's missing needs). */
export function faultsUnavailable(missing: ReadonlyMap<FaultNeed, string>): ReadonlyMap<string, string> {
  const unavailable = new Map<string, string>();
  for (const fault of faultSpecs) {
    const need = fault.needs.find((candidate) => missing.has(candidate));
    if (need !== undefined) unavailable.set(fault.name, missing.get(need)!);
  }
  return unavailable;
}

/** Every name a --nemesis list accepts, besides `none`. */
export function faultNamesKnown(): string[] {
  return [...new Set([faultAllName, ...faultFamilies(), ...faultSpecs.map((fault) => fault.name)])];
}

/** The catalog as help text: families with their faults, one fault a line; then the aims and await events. */
export function faultCatalogText(): string {
  const lines = [`${faultAllName}: every fault below except corrupt-over-limit`];
  for (const family of faultFamilies()) {
    lines.push(`${family}:`);
    for (const fault of faultSpecs.filter((f) => f.family === family))
      lines.push(`  ${fault.name.padEnd(26)}${fault.summary}${fault.survivable ? '' : ' (not in all)'}`);
  }
  lines.push('aims of a start step ({"start": F, "aim": A, "count": N}; count cuts the list):');
  for (const aim of aimNames) lines.push(`  ${aim.padEnd(26)}${aimSummaries[aim]}`);
  lines.push(
    '  (a fault of one AZ takes the AZ of the first node; kill-az-plus-one adds the first storage node outside it)',
  );
  lines.push('await events ({"await": E, "timeout": "5s"}; at most 30s):');
  for (const event of awaitEvents) lines.push(`  ${event.padEnd(26)}${awaitSummaries[event]}`);
  return lines.join('\n');
}
