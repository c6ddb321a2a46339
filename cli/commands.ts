// The list of commands. A command module exports `register(program)`; add one
// import and one call here.

import type { Command } from 'commander';

export function commandsRegister(_program: Command): void {
  // Commands are added here as they are built.
}
