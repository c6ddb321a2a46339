// The list of commands. A command module exports `register(program)`; add one
// import and one call here.

import type { Command } from 'commander';
import { register as checkRegister } from './check.js';

export function commandsRegister(program: Command): void {
  checkRegister(program);
}
