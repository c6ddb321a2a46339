// `quorumlab client`: one request to a writer, typed by hand, so a person can
// poke at a running cluster. The address defaults to the primary writer of the
// cluster started by `quorumlab cluster up`, found again after a promotion. Prints the value as JSON; a failed
// operation prints its error code and whether it is definite, and exits 1.

import type { Command } from 'commander';
import { commandSummary } from './command-summary.js';
import { durationHourMsMax, durationParse } from '../core/duration.js';
import { StoreClient } from '../cluster/client.js';
import type { ClientResult } from '../cluster/client.js';
import type { StoreValue } from '../cluster/protocol/client-messages.js';
import type { Address } from '../cluster/topology.js';
import { clusterDirDefault, clusterStateRead } from '../cluster/runtime/local/cluster-state-file.js';
import { writerHealthProbe, writerPrimaryReady } from '../cluster/runtime/shared/node-health.js';
import { clientFrameBytesMax } from '../cluster/writer/limits.js';
import { exitCode } from '../core/verdict.js';
import { UsageError } from './usage-error.js';

interface ClientFlags {
  readonly addr?: string;
  readonly dir: string;
  readonly timeout: string;
  readonly string?: boolean;
}

type Request = Parameters<StoreClient['request']>[0];

/** Bound on asking each writer whether it is the primary. */
const primaryProbeTimeoutMs = 1000;

export function register(program: Command): void {
  const client = program
    .command('client')
    .description(commandSummary.client)
    .option('--addr <host:port>', 'the writer to talk to')
    .option('--dir <dir>', 'cluster directory whose state file names the writer', clusterDirDefault)
    .option('--timeout <duration>', 'bound on connecting and on the answer', '5s')
    .option('--string', 'send values as strings even when they look like integers');
  const on =
    (build: (flags: ClientFlags, ...args: string[]) => Request) =>
    async (...args: unknown[]): Promise<void> => {
      const command = args[args.length - 1] as Command;
      const flags = command.optsWithGlobals<ClientFlags>();
      await clientRun(flags, build(flags, ...(args.slice(0, -2) as string[])));
    };
  client
    .command('read <key>')
    .description('read a register')
    .action(on((_f, key) => ({ t: 'read', key })));
  client
    .command('write <key> <value>')
    .description('write a register')
    .action(on((f, key, value) => ({ t: 'write', key, value: valueParse(value, f) })));
  client
    .command('cas <key> <from> <to>')
    .description('compare-and-set a register (from "null": only if absent)')
    .action(
      on((f, key, from, to) => ({
        t: 'cas',
        key,
        from: from === 'null' ? null : valueParse(from, f),
        to: valueParse(to, f),
      })),
    );
  client
    .command('append <key> <value>')
    .description('append to a list')
    .action(on((f, key, value) => ({ t: 'append', key, value: valueParse(value, f) })));
  client
    .command('read-list <key>')
    .description('read a whole list')
    .action(on((_f, key) => ({ t: 'read-list', key })));
  client
    .command('health')
    .description("the writer's role, epoch and durability points")
    .action(on(() => ({ t: 'health' })));
  client
    .command('promote')
    .description('tell a standby writer (give its --addr) to take over')
    .action(on(() => ({ t: 'promote' })));
}

async function clientRun(flags: ClientFlags, request: Request): Promise<void> {
  const timeout = durationParse(flags.timeout, durationHourMsMax);
  if (!timeout.ok) throw new UsageError(`--timeout: ${timeout.error}`);
  requestSizeCheck(request);
  const address = flags.addr !== undefined ? addressParse(flags.addr) : await stateWriterAddress(flags.dir, timeout.ms);
  let client: StoreClient;
  try {
    client = await StoreClient.connect(address, timeout.ms);
  } catch (error) {
    process.stderr.write(
      `quorumlab: cannot reach the writer at ${address.host}:${address.port}: ${(error as Error).message}\n`,
    );
    process.exitCode = exitCode.invalid;
    return;
  }
  let result: ClientResult;
  try {
    result = await client.request(request, timeout.ms);
  } finally {
    client.close();
  }
  if (result.ok) {
    process.stdout.write(`${JSON.stringify(result.value, null, request.t === 'health' ? 2 : undefined)}\n`);
    return;
  }
  process.stderr.write(
    `${result.code} (${result.definite ? 'definite: it did not happen' : 'indefinite: it may have happened'}): ${result.message}\n`,
  );
  process.exitCode = exitCode.invalid;
}

/**
 * The writer closes a connection whose frame is over its limit, which a client can only take for a lost
 * connection (an indefinite outcome): a request that cannot fit is refused here, before anything is sent.
 */
function requestSizeCheck(request: Request): void {
  const idBytesMax = 24;
  const bytes = Buffer.byteLength(JSON.stringify(request), 'utf8') + idBytesMax;
  if (bytes > clientFrameBytesMax)
    throw new UsageError(
      `${request.t}: the request is about ${bytes} bytes, over the writer's frame limit of ${clientFrameBytesMax} bytes (key and value together); nothing was sent`,
    );
}

/** Integers typed on the command line are numbers unless --string says otherwise. */
function valueParse(text: string, flags: ClientFlags): StoreValue {
  if (flags.string !== true && /^-?\d{1,15}$/.test(text)) return Number(text);
  return text;
}

export function addressParse(text: string): Address {
  const match = /^([^:\s]+):(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) throw new UsageError(`--addr: expected HOST:PORT, got "${text}"`);
  return { host: match[1]!, port };
}

/** The cluster's current primary: the writer that says it is open, else the one the cluster started with. */
async function stateWriterAddress(dir: string, timeoutMs: number): Promise<Address> {
  const read = clusterStateRead(dir);
  if (!read.ok) throw new UsageError(`--addr not given and ${read.error}`);
  for (const writer of read.state.writers ?? []) {
    const probe = await writerHealthProbe(writer.address, Math.min(timeoutMs, primaryProbeTimeoutMs));
    if (probe.ok && writerPrimaryReady(probe.health)) return writer.address;
  }
  return read.state.writer;
}
