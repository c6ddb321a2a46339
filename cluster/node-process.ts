// What every store process does the same way: read its NodeConfig from the path
// in argv, log uncaught errors as FATAL and exit, stop gracefully on SIGTERM, and
// exit when its parent is gone so that no node outlives the runtime that started
// it (unless started detached, for a cluster a person keeps running).

import { readFileSync } from 'node:fs';
import { clusterConfigParse } from './config.js';
import type { Logger } from './log.js';
import type { NodeConfig } from './topology.js';

/** How often a node checks that its parent is still alive. */
export const orphanCheckIntervalMs = 500;
/** Bound on a graceful stop before the process exits anyway. */
export const shutdownTimeoutMs = 3000;

export function nodeConfigRead(path: string): NodeConfig {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as NodeConfig;
  const parsed = clusterConfigParse(raw.cluster, `${path}: cluster`);
  if (!parsed.ok) throw new Error(parsed.error);
  return { ...raw, cluster: parsed.config };
}

/**
 * Installs the process-level behaviour. `stop` is the node's graceful stop; it
 * gets shutdownTimeoutMs before the process exits regardless.
 */
export function nodeProcessInstall(log: Logger, stop: () => Promise<void>): void {
  process.on('uncaughtException', (error) => {
    log.fatal(`uncaught exception: ${error.stack ?? error.message}`);
    process.exit(70);
  });
  process.on('unhandledRejection', (reason) => {
    log.fatal(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
    process.exit(70);
  });
  let stopping = false;
  const stopOnce = (why: string): void => {
    if (stopping) return;
    stopping = true;
    log.info(`stopping: ${why}`);
    const timer = setTimeout(() => {
      log.warn(`graceful stop took over ${shutdownTimeoutMs} ms; exiting`);
      process.exit(0);
    }, shutdownTimeoutMs);
    timer.unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error(`error while stopping: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stopOnce('SIGTERM'));
  process.on('SIGINT', () => stopOnce('SIGINT'));
  if (process.env['QUORUMLAB_DETACHED'] !== '1') orphanGuardStart(log, stopOnce);
}

function orphanGuardStart(log: Logger, stopOnce: (why: string) => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      log.warn(`parent process ${parent} is gone`);
      stopOnce('parent exited');
    }
  }, orphanCheckIntervalMs);
  timer.unref();
}
