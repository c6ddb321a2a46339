// Entry point of a writer process: `node dist/cluster/writer/main.js <node-config.json>`.
// Reads the node config, starts the writer (w0 recovers and opens; w1.. stand by)
// and its client endpoint, and stops gracefully on SIGTERM.

import { clockCreate } from '../../core/clock.js';
import { loggerCreate } from '../log.js';
import { nodeConfigRead, nodeProcessInstall } from '../node-process.js';
import { writerStart } from './writer-start.js';

const path = process.argv[2];
if (path === undefined) {
  process.stderr.write('usage: node dist/cluster/writer/main.js <node-config.json>\n');
  process.exit(3);
}
const config = nodeConfigRead(path);
const log = loggerCreate(config.node.id, undefined, process.env['QUORUMLAB_DEBUG'] === '1');
// Installed first, so that a failure to start (a port in use) is logged as FATAL like any other.
let stop: () => Promise<void> = () => Promise.resolve();
nodeProcessInstall(log, () => stop());
const handle = await writerStart(config, clockCreate(), log);
stop = () => handle.stop();
