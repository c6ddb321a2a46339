// Where the built entry point of each node role is: <project>/dist/cluster/<role>/main.js.

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { NodeId, NodeRole } from '../../topology.js';
import { NodeStartError } from '../shared/node-start-error.js';
import { projectRootFind } from '../shared/project-root.js';

export function nodeScriptPath(role: NodeRole, distDir: string = path.join(projectRootFind(), 'dist')): string {
  return path.join(distDir, 'cluster', role, 'main.js');
}

/** Why the entry point cannot run (it has not been built), or null. */
export function nodeScriptMissing(script: string): string | null {
  return existsSync(script)
    ? null
    : `${script} does not exist; build the project first (npx tsc -p tsconfig.build.json)`;
}

/** The entry point node `nodeId` runs; an entry-missing NodeStartError when the project has not been built. */
export function nodeScriptFor(nodeId: NodeId, role: NodeRole, distDir?: string): string {
  const script = nodeScriptPath(role, distDir);
  const missing = nodeScriptMissing(script);
  if (missing !== null)
    throw new NodeStartError({
      code: 'entry-missing',
      nodeId,
      what: `node ${nodeId}`,
      why: missing,
      where: null,
      log: null,
    });
  return script;
}
