// Starts a writer in this process: the role logic and its client endpoint on
// the node's listen address. main.ts uses it; so can an in-process harness.

import type { Clock } from '../../core/clock.js';
import type { Logger } from '../log.js';
import type { NodeConfig } from '../topology.js';
import { ClientServer } from './client-server.js';
import { Writer } from './writer.js';

export interface WriterHandle {
  readonly writer: Writer;
  stop(): Promise<void>;
}

export async function writerStart(config: NodeConfig, clock: Clock, log: Logger): Promise<WriterHandle> {
  const writer = new Writer(config, clock, log);
  const server = new ClientServer(writer, log);
  await server.listen(config.node.listen);
  log.info(`listening for clients on ${config.node.listen.host}:${config.node.listen.port}`);
  writer.start();
  return {
    writer,
    stop: async () => {
      await writer.stop();
      await server.close();
    },
  };
}
