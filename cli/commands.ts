// The list of commands. A command module exports `register(program)`; add one
// import and one call here.

import type { Command } from 'commander';
import { register as benchRegister } from './bench.js';
import { register as checkRegister } from './check.js';
import { register as cleanupRegister } from './cleanup.js';
import { register as clientRegister } from './client.js';
import { register as campaignRegister } from './campaign.js';
import { register as clusterRegister } from './cluster.js';
import { register as reportRegister } from './report.js';
import { register as shrinkRegister } from './shrink.js';
import { register as testRegister } from './test.js';

export function commandsRegister(program: Command): void {
  clusterRegister(program);
  clientRegister(program);
  cleanupRegister(program);
  checkRegister(program);
  testRegister(program);
  reportRegister(program);
  campaignRegister(program);
  shrinkRegister(program);
  benchRegister(program);
}
