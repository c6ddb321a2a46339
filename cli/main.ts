#!/usr/bin/env node
// The quorumlab command line. Each command lives in its own module and
// registers itself here; bad flags end with exit code 3 and a message naming
// the flag.

import { Command, CommanderError } from 'commander';
import { exitCode } from '../core/verdict.js';
import { commandsRegister } from './commands.js';
import { UsageError } from './usage-error.js';

const program = new Command();
program
  .name('quorumlab')
  .description('Correctness and benchmarking workbench for replicated storage')
  .version('0.1.0')
  .exitOverride()
  .showHelpAfterError(false);
await commandsRegister(program, process.argv);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    const helpful = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
    process.exitCode = helpful.includes(error.code) ? 0 : exitCode.usage;
  } else if (error instanceof UsageError) {
    process.stderr.write(`quorumlab: ${error.message}\n`);
    process.exitCode = exitCode.usage;
  } else {
    process.stderr.write(`quorumlab: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = exitCode.crashed;
  }
}
