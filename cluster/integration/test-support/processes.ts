// Helpers for tests about processes: whether a pid is gone, and a separate
// parent process that starts a cluster from the built code and then exits or is
// killed, so the tests can watch what happens to its nodes. The parent itself
// starts its nodes through the local runtime; it cannot be started by one,
// because what is tested is the runtime's process dying under its nodes.

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import type { ResultPromise } from 'execa';
import { procState } from '../../runtime/local/process-marker.js';
import { projectRootFind } from '../../runtime/shared/project-root.js';

export const distDir = path.join(projectRootFind(), 'dist');
export const cliMain = path.join(distDir, 'cli', 'main.js');

/** Gone, or a zombie nobody has reaped yet (it runs no code either way). */
export function processGone(pid: number): boolean {
  const state = procState(pid);
  return state === null || state === 'Z' || state === 'X';
}

export type ParentEnd = 'exit' | 'wait';

const parentScript = `
const [runtimeUrl, configUrl, baseDir, runId, end, detached] = process.argv.slice(1);
const { localRuntimeCreate } = await import(runtimeUrl);
const { clusterConfigDefault } = await import(configUrl);
const env = detached === '1' ? { QUORUMLAB_DETACHED: '1' } : {};
const runtime = localRuntimeCreate({ config: clusterConfigDefault, standbyWriters: 0, baseDir, runId }, { env });
await runtime.start();
process.stdout.write(JSON.stringify(runtime.nodes().map((node) => runtime.nodePid(node.id))) + '\\n');
if (end === 'exit') process.exit(0);
setTimeout(() => process.exit(0), 60_000);
`;

const parentOptions = { reject: false, stdin: 'ignore', timeout: 90_000 } as const;

export interface ClusterParent {
  readonly subprocess: ResultPromise<typeof parentOptions>;
  /** The pids of its nodes, once its cluster has started. */
  readonly nodePids: Promise<number[]>;
}

/** A process that starts a cluster and prints its node pids; `end` says whether it then exits at once or waits to be killed. */
export function clusterParentStart(baseDir: string, runId: string, end: ParentEnd, detached: boolean): ClusterParent {
  const url = (file: string): string => pathToFileURL(path.join(distDir, file)).href;
  const subprocess = execa(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      parentScript,
      url('cluster/runtime/local/local-runtime.js'),
      url('cluster/config.js'),
      baseDir,
      runId,
      end,
      detached ? '1' : '0',
    ],
    parentOptions,
  );
  const nodePids = new Promise<number[]>((resolve, reject) => {
    let text = '';
    subprocess.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const line = text.split('\n').find((l) => l.startsWith('['));
      if (line !== undefined) resolve(JSON.parse(line) as number[]);
    });
    void subprocess.then((result) => reject(new Error(`cluster parent ended before printing pids: ${result.stderr}`)));
  });
  return { subprocess, nodePids };
}
