// `quorumlab campaign merge DIR... [--into DIR]`: the shards of a campaign
// joined into one campaign directory; prints each shard's outcome and the
// merged files, and exits as the whole campaign would have (4 when a shard is
// missing or unfinished).

import path from 'node:path';
import { clockCreate } from '../core/clock.js';
import { campaignMerge } from '../runner/campaign/campaign-merge.js';
import { storeDirPrepare } from '../results/store-dir.js';
import { UsageError } from './usage-error.js';

export function campaignMergeCommand(
  dirs: readonly string[],
  flags: { readonly into?: string; readonly store: string; readonly shard?: string },
): number {
  if (dirs.length === 0)
    throw new UsageError('campaign merge: missing the shard directories (e.g. campaign merge shards/ --into merged)');
  if (flags.shard !== undefined) throw new UsageError('--shard: not for campaign merge (each shard says which it is)');
  if (flags.into === undefined) {
    const store = storeDirPrepare(flags.store, '--store');
    if (!store.ok) throw new UsageError(store.error);
  }
  const outcome = campaignMerge({
    args: dirs,
    into: flags.into ?? null,
    storeDir: path.resolve(flags.store),
    clock: clockCreate(),
  });
  if (!outcome.ok) throw new UsageError(outcome.error);
  const { summary, dir } = outcome;
  for (const shard of summary.shard?.shards ?? [])
    process.stdout.write(
      `shard ${shard.index}/${summary.shard?.count}: ${shard.status}, ${shard.done} of ${shard.tests} tests run${shard.dir === null ? '' : ` (${shard.dir})`}\n`,
    );
  process.stdout.write(
    `${summary.matched} of ${summary.total} as expected, ${summary.mismatched} mismatched${summary.done < summary.total ? `, ${summary.total - summary.done} not run` : ''}\n`,
  );
  process.stdout.write(`index: ${path.join(dir, 'index.html')}\njunit: ${path.join(dir, 'junit.xml')}\n`);
  return outcome.exitCode;
}
