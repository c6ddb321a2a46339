// The list of commands. Each command module exports `register(program)`; its
// one-line summary lives in command-summary.ts, so that `quorumlab --help` and `--version` load
// no command module at all and a command loads only its own (start-up time is
// what every invocation pays). Add one entry here for a new command.

import type { Command } from 'commander';
import { commandSummary } from './command-summary.js';

interface CommandEntry {
  readonly name: string;
  /** The summary of `quorumlab --help`; the module's `.description()` uses the same text. */
  readonly summary: string;
  readonly load: () => Promise<{ register(program: Command): void }>;
}

type CommandName = keyof typeof commandSummary;

const commandLoaders: Readonly<Record<CommandName, CommandEntry['load']>> = {
  cluster: () => import('./cluster.js'),
  client: () => import('./client.js'),
  cleanup: () => import('./cleanup.js'),
  check: () => import('./check.js'),
  test: () => import('./test.js'),
  report: () => import('./report.js'),
  campaign: () => import('./campaign.js'),
  shrink: () => import('./shrink.js'),
  bench: () => import('./bench.js'),
};

export const commandEntries: readonly CommandEntry[] = (Object.keys(commandSummary) as CommandName[]).map((name) => ({
  name,
  summary: commandSummary[name],
  load: commandLoaders[name],
}));

/**
 * Registers the command that `argv` names with its module, and every other one
 * as a summary only (for `--help`, and for commander's "unknown command" hint);
 * with no command named (`--help`, `--version`, a typo) no module is loaded.
 */
export async function commandsRegister(program: Command, argv: readonly string[]): Promise<void> {
  const named = commandNamed(argv);
  for (const entry of commandEntries) {
    if (entry.name === named) (await entry.load()).register(program);
    else program.command(entry.name).description(entry.summary);
  }
}

/** The command's name: the first argument after the script, or the one after `help`. */
function commandNamed(argv: readonly string[]): string | null {
  const first = argv[2];
  if (first === 'help') return argv[3] ?? null;
  return first ?? null;
}
