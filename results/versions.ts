// The versions recorded in every run's test.json: node's and quorumlab's own,
// read from the package.json above this module (in the sources or in dist/).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bound on directories walked up looking for package.json. */
const packageSearchDepthMax = 5;

export interface Versions {
  readonly node: string;
  readonly quorumlab: string;
}

export function versionsRead(): Versions {
  return { node: process.version, quorumlab: quorumlabVersion() };
}

function quorumlabVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < packageSearchDepthMax; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'quorumlab' && typeof pkg.version === 'string') return pkg.version;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return `unknown (${(error as Error).message})`;
    }
    dir = path.dirname(dir);
  }
  return 'unknown';
}
