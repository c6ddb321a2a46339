// Where the built entry point of each node role is: <project>/dist/cluster/<role>/main.js.
// Found from this module's own location, so it works both from the built code
// and from the TypeScript sources a test runner loads.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NodeRole } from '../../topology.js';

/** Bound on directories climbed looking for the project's package.json. */
const parentDirsMax = 8;

export function projectRootFind(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (let i = 0; i < parentDirsMax; i++) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'quorumlab')
      return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`no quorumlab package.json found above ${from}`);
}

export function nodeScriptPath(role: NodeRole, distDir: string = path.join(projectRootFind(), 'dist')): string {
  return path.join(distDir, 'cluster', role, 'main.js');
}

/** An error message when the entry point has not been built, or null. */
export function nodeScriptMissing(script: string): string | null {
  return existsSync(script)
    ? null
    : `${script} does not exist; build the project first (npx tsc -p tsconfig.build.json)`;
}
