// The directory of a cluster kept running by hand: `cluster up` empties its
// nodes folder on every start, so it must only ever do that to a directory it
// made. A marker file says the directory is ours; anything else that is not
// empty (a stored run, a home directory) is refused before a file is touched.

import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clusterStateFileName } from './cluster-state-file.js';

export const clusterDirMarkerFileName = 'quorumlab-cluster-dir';
const markerText =
  'This directory was made by `quorumlab cluster up`, which empties its nodes folder on every start.\n';
/** What a directory of a build before the marker holds: nothing else, so nothing else is at risk. */
const unmarkedClusterEntries = new Set(['nodes', clusterStateFileName]);
/** Bound on entries named in a refusal. */
const entriesNamedMax = 3;

export type ClusterDirClaim = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** Makes `dir` a cluster directory (creating and marking it), or says why it is someone else's. */
export function clusterDirClaim(dir: string): ClusterDirClaim {
  let entries: string[];
  try {
    mkdirSync(dir, { recursive: true });
    entries = readdirSync(dir).sort();
  } catch (error) {
    return { ok: false, error: `--dir ${dir}: not usable as a cluster directory: ${(error as Error).message}` };
  }
  if (!entries.includes(clusterDirMarkerFileName)) {
    const foreign = entries.filter((entry) => !unmarkedClusterEntries.has(entry) && !isStateTemporary(entry));
    if (foreign.length > 0) {
      const named = foreign.slice(0, entriesNamedMax).join(', ');
      const more = foreign.length > entriesNamedMax ? ` and ${foreign.length - entriesNamedMax} more` : '';
      return {
        ok: false,
        error: `--dir ${dir}: not a cluster directory (it holds ${named}${more} and no ${clusterDirMarkerFileName} file); \`cluster up\` empties the nodes folder of its directory, so give it a new or empty one`,
      };
    }
  }
  try {
    writeFileSync(path.join(dir, clusterDirMarkerFileName), markerText);
  } catch (error) {
    return { ok: false, error: `--dir ${dir}: not writable: ${(error as Error).message}` };
  }
  return { ok: true };
}

function isStateTemporary(entry: string): boolean {
  return entry.startsWith(`${clusterStateFileName}.`) && entry.endsWith('.tmp');
}
