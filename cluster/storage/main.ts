// Entry point of a storage node process: `node dist/cluster/storage/main.js
// <node-config.json>`. Logs to stdout (the runtime redirects it to a file).
// QUORUMLAB_STORAGE_SYNC_DELAY_MS, when set, adds latency to every fdatasync to
// simulate a slow device; tests use it to widen the window before durability.
// A `tune` request changes the delay while the process runs; it is not kept,
// so a restarted node starts again from this variable.

import { loggerCreate } from '../log.js';
import { nodeBadInput, nodeConfigRead, nodeProcessInstall } from '../node-process.js';
import { storageSyncDelayMsMax } from '../protocol/storage-messages.js';
import { storageNodeStart } from './node.js';

async function main(): Promise<void> {
  const configPath = process.argv[2];
  if (configPath === undefined) {
    process.stderr.write('usage: node dist/cluster/storage/main.js <node-config.json>\n');
    process.exit(3);
  }
  const config = nodeConfigRead(configPath);
  const log = loggerCreate(config.node.id);
  const syncDelayMs = syncDelayMsParse(process.env['QUORUMLAB_STORAGE_SYNC_DELAY_MS']);
  let stop: () => Promise<void> = () => Promise.resolve();
  nodeProcessInstall(log, () => stop());
  const node = await storageNodeStart(config, {
    log,
    syncDelayMs,
  });
  stop = () => node.stop();
}

/** The same bound as the `tune` control's: a value beyond it would be refused there too. */
function syncDelayMsParse(text: string | undefined): number {
  if (text === undefined || text === '') return 0;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > storageSyncDelayMsMax) {
    return nodeBadInput(
      `QUORUMLAB_STORAGE_SYNC_DELAY_MS: expected an integer from 0 to ${storageSyncDelayMsMax} (ms), got "${text}"`,
    );
  }
  return value;
}

await main();
