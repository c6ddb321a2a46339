// What every store process does the same way: read its NodeConfig from the path
// in argv, log uncaught errors as FATAL and exit, stop gracefully on SIGTERM, and
// exit when its parent is gone so that no node outlives the runtime that started
// it (unless started detached, for a cluster a person keeps running).

import { readFileSync } from 'node:fs';
import { nodeConfigParse } from './node-config-parse.js';
import type { Logger } from './log.js';
import type { NodeConfig } from './topology.js';

/** How often a node checks that its parent is still alive. */
export const orphanCheckIntervalMs = 500;
/** Bound on a graceful stop before the process exits anyway. */
export const shutdownTimeoutMs = 3000;

/** Exit status of a node process started with bad input (as the CLI's usage errors). */
export const nodeExitBadInput = 3;

/** Reads and checks the node config; a bad file ends the process with one line on stderr and exit 3. */
export function nodeConfigRead(path: string): NodeConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return nodeBadInput(`${path}: ${(error as Error).message}`);
  }
  const parsed = nodeConfigParse(text);
  if (!parsed.ok) return nodeBadInput(`${path}: ${parsed.error}`);
  return parsed.config;
}

/** Ends a node process that was given bad input, before it has a log or has touched its data. */
export function nodeBadInput(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(nodeExitBadInput);
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
