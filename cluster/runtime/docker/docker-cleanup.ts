// Leftovers of Docker runs, found by label: containers and networks of one run
// or of every run. Without a run id, runs whose owning process still lives on
// this machine are spared (unless asked otherwise), so `cleanup` never pulls a
// cluster from under a run in progress. Packet-drop rules and netem queues live
// in the containers' network namespaces and vanish with the containers.

import type Docker from 'dockerode';
import { DockerEngineUnavailable, dockerEngineConnect, errorStatus, errorText, withTimeout } from './docker-engine.js';
import { labelNode, labelOwner, labelRun, ownerAlive, runFilter } from './docker-labels.js';

export type DockerLeftover =
  | {
      readonly kind: 'container';
      readonly name: string;
      readonly runId: string;
      readonly nodeId: string;
      readonly removed: boolean;
      readonly note: string;
    }
  | {
      readonly kind: 'network';
      readonly name: string;
      readonly runId: string;
      readonly removed: boolean;
      readonly note: string;
    };

export interface DockerCleanupOptions {
  /** One run (removed whatever its owner's state), or every run when absent. */
  readonly runId?: string;
  /** With no runId: also remove runs whose owner still runs (a hung run). */
  readonly includeOwned?: boolean;
  /** An engine already connected; connects (and fails clearly) otherwise. */
  readonly docker?: Docker;
}

/** Bound on one engine call while cleaning up. */
export const cleanupCallTimeoutMs = 30_000;

export async function dockerCleanup(options: DockerCleanupOptions = {}): Promise<DockerLeftover[]> {
  const docker = options.docker ?? (await dockerEngineConnect());
  const wanted = (labels: Record<string, string> | undefined): boolean =>
    options.runId !== undefined || options.includeOwned === true || !ownerAlive(labels?.[labelOwner]);
  const filters = runFilter(options.runId);
  const containers = await withTimeout(docker.listContainers({ all: true, filters }), cleanupCallTimeoutMs);
  const leftovers: DockerLeftover[] = [];
  for (const info of containers.filter((c) => wanted(c.Labels))) {
    const name = (info.Names[0] ?? info.Id).replace(/^\//, '');
    const note = await removeOrWhy(() => docker.getContainer(info.Id).remove({ force: true, v: true }));
    leftovers.push({
      kind: 'container',
      name,
      runId: info.Labels[labelRun] ?? '?',
      nodeId: info.Labels[labelNode] ?? '?',
      removed: note === null,
      note: note ?? 'removed',
    });
  }
  // Networks after containers: a network with attached containers cannot be removed.
  const networks = await withTimeout(docker.listNetworks({ filters }), cleanupCallTimeoutMs);
  for (const info of networks.filter((n) => wanted(n.Labels))) {
    const note = await removeOrWhy(() => docker.getNetwork(info.Id).remove());
    leftovers.push({
      kind: 'network',
      name: info.Name,
      runId: info.Labels?.[labelRun] ?? '?',
      removed: note === null,
      note: note ?? 'removed',
    });
  }
  return leftovers;
}

export type DockerCleanupReport =
  | { readonly engine: false; readonly note: string }
  | { readonly engine: true; readonly leftovers: readonly DockerLeftover[] };

/**
 * For `quorumlab cleanup`, which also serves users without Docker: no engine
 * is a note, not an error (there can be no containers to remove).
 */
export async function dockerCleanupIfEngine(
  options: Omit<DockerCleanupOptions, 'docker'> = {},
): Promise<DockerCleanupReport> {
  try {
    return { engine: true, leftovers: await dockerCleanup(options) };
  } catch (error) {
    if (error instanceof DockerEngineUnavailable)
      return { engine: false, note: 'no Docker engine answers; no containers to clean up' };
    throw error;
  }
}

/** Null when removed (or already gone), else why not. */
async function removeOrWhy(remove: () => Promise<unknown>): Promise<string | null> {
  try {
    await withTimeout(remove(), cleanupCallTimeoutMs);
    return null;
  } catch (error) {
    return errorStatus(error) === 404 ? null : errorText(error);
  }
}

export function dockerLeftoverRender(leftover: DockerLeftover): string {
  const mark = leftover.removed ? 'removed' : 'FAILED ';
  const what =
    leftover.kind === 'container'
      ? `container ${leftover.name} (node ${leftover.nodeId} of run ${leftover.runId})`
      : `network ${leftover.name} (run ${leftover.runId})`;
  return `${mark} ${what}${leftover.removed ? '' : `: ${leftover.note}`}`;
}
