// The shards' campaign directories a merge is given: each argument is a shard's
// campaign directory (it holds shard.json) or a directory with such directories
// somewhere below it, as a CI job's downloaded artifacts are laid out
// (shard-2/campaigns/<name>/<timestamp>/). Symbolic links are not followed, so
// a campaign's `latest` does not count its directory twice.

import { existsSync, lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { shardPlanFile } from './campaign-shard-plan.js';
import { campaignFiles } from './campaign-summary.js';

/** How deep below an argument shard directories are looked for (artifact/store/campaigns/<name>/<timestamp>). */
const findDepthMax = 5;
/** Bound on directories looked at below one argument. */
const findDirsMax = 10_000;

export type ShardDirsFind =
  { readonly ok: true; readonly dirs: readonly string[] } | { readonly ok: false; readonly error: string };

export function shardDirsFind(args: readonly string[]): ShardDirsFind {
  const dirs: string[] = [];
  for (const arg of args) {
    if (!existsSync(arg) || !lstatSync(arg).isDirectory())
      return { ok: false, error: `campaign merge: ${arg}: no such directory` };
    const found: string[] = [];
    const visited = below(arg, 0, found, { count: 0 });
    if (!visited.ok) return { ok: false, error: `campaign merge: ${arg}: ${visited.error}` };
    if (found.length === 0)
      return {
        ok: false,
        error: `campaign merge: ${arg}: holds no shard's campaign directory (no ${shardPlanFile}); shards are run with quorumlab campaign FILE --shard I/N`,
      };
    for (const dir of found) if (!dirs.includes(dir)) dirs.push(dir);
  }
  return { ok: true, dirs };
}

function below(
  dir: string,
  depth: number,
  found: string[],
  seen: { count: number },
): { readonly ok: true } | { readonly ok: false; readonly error: string } {
  if (++seen.count > findDirsMax) return { ok: false, error: `more than ${findDirsMax} directories below it` };
  if (existsSync(path.join(dir, shardPlanFile))) {
    found.push(path.resolve(dir));
    return { ok: true };
  }
  if (depth >= findDepthMax) return { ok: true };
  // A campaign directory's runs and logs hold no campaign directories.
  const skipped = new Set<string>([campaignFiles.runs, campaignFiles.logs]);
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!entry.isDirectory() || skipped.has(entry.name)) continue;
    const result = below(path.join(dir, entry.name), depth + 1, found, seen);
    if (!result.ok) return result;
  }
  return { ok: true };
}
