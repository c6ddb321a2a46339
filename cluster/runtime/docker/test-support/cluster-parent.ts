// A separate process that starts a small Docker cluster from the built code and
// then waits to be interrupted (or exits without stopping it), so the tests can
// watch what a SIGINT, a SIGKILL or a careless exit of the runner leaves behind.

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import type { ResultPromise } from 'execa';
import { projectRootFind } from '../../shared/project-root.js';

const distDir = path.join(projectRootFind(), 'dist');

const parentScript = `
const [runtimeUrl, configUrl, baseDir, runId, end] = process.argv.slice(1);
const { dockerRuntimeCreate } = await import(runtimeUrl);
const { clusterConfigParse } = await import(configUrl);
const parsed = clusterConfigParse({ geometry: { azCount: 1, nodesPerAz: 1, writeQuorum: 1, readQuorum: 1 } });
const runtime = dockerRuntimeCreate({ config: parsed.config, standbyWriters: 0, baseDir, runId });
await runtime.start();
process.stdout.write('started\\n');
if (end === 'exit') process.exit(0);
setTimeout(() => process.exit(0), 120_000);
`;

const parentOptions = { reject: false, stdin: 'ignore', timeout: 150_000 } as const;

export interface ClusterParent {
  readonly subprocess: ResultPromise<typeof parentOptions>;
  /** Resolves once the parent's cluster is up. */
  readonly started: Promise<void>;
}

/** `wait`: the parent waits to be signalled; `exit`: it exits at once without stopping its cluster. */
export type ParentEnd = 'wait' | 'exit';

export function clusterParentStart(baseDir: string, runId: string, end: ParentEnd = 'wait'): ClusterParent {
  const url = (file: string): string => pathToFileURL(path.join(distDir, file)).href;
  const args = [
    '--input-type=module',
    '-e',
    parentScript,
    url('cluster/runtime/docker/docker-runtime.js'),
    url('cluster/config.js'),
    baseDir,
    runId,
    end,
  ];
  const subprocess = execa(process.execPath, args, parentOptions);
  const started = new Promise<void>((resolve, reject) => {
    let text = '';
    subprocess.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('started\n')) resolve();
    });
    void subprocess.then((result) =>
      reject(new Error(`cluster parent ended before its cluster started: ${result.stderr}`)),
    );
  });
  return { subprocess, started };
}
