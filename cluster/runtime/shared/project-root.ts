// Where this project is on disk: found from this module's own location, so it
// works both from the built code and from the TypeScript sources a test runner
// loads. The local runtime runs its dist/, the Docker runtime puts it in an image.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
