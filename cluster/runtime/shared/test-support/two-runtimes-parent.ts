// A separate process that starts a one-node local cluster and a one-node Docker
// cluster from the built code, prints its local node pids, then sends itself
// SIGTERM with no handler of its own, so a test can see whether both clusters
// are released the way an interrupted runner's would be.

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import type { ResultPromise } from 'execa';
import { projectRootFind } from '../../shared/project-root.js';

const distDir = path.join(projectRootFind(), 'dist');

/** Bound on the parent living on after its SIGTERM when nothing acts on the signal. */
export const parentLingerMs = 40_000;

const parentScript = `
const [localUrl, dockerUrl, configUrl, baseDir, runId, lingerMs] = process.argv.slice(1);
const { localRuntimeCreate } = await import(localUrl);
const { dockerRuntimeCreate } = await import(dockerUrl);
const { clusterConfigParse } = await import(configUrl);
const parsed = clusterConfigParse({ geometry: { azCount: 1, nodesPerAz: 1, writeQuorum: 1, readQuorum: 1 } });
const local = localRuntimeCreate({ config: parsed.config, standbyWriters: 0, baseDir: baseDir + '/local', runId });
const docker = dockerRuntimeCreate({ config: parsed.config, standbyWriters: 0, baseDir: baseDir + '/docker', runId });
await local.start();
await docker.start();
process.stdout.write(JSON.stringify(local.nodes().map((node) => local.nodePid(node.id))) + '\\n');
setTimeout(() => process.exit(0), Number(lingerMs));
process.kill(process.pid, 'SIGTERM');
`;

const parentOptions = { reject: false, stdin: 'ignore', timeout: 240_000 } as const;

export interface TwoRuntimesParent {
  readonly subprocess: ResultPromise<typeof parentOptions>;
  /** The pids of its local nodes, once both clusters have started. */
  readonly localPids: Promise<number[]>;
}

export function twoRuntimesParentStart(baseDir: string, runId: string): TwoRuntimesParent {
  const url = (file: string): string => pathToFileURL(path.join(distDir, file)).href;
  const args = [
    '--input-type=module',
    '-e',
    parentScript,
    url('cluster/runtime/local/local-runtime.js'),
    url('cluster/runtime/docker/docker-runtime.js'),
    url('cluster/config.js'),
    baseDir,
    runId,
    String(parentLingerMs),
  ];
  const subprocess = execa(process.execPath, args, parentOptions);
  const localPids = new Promise<number[]>((resolve, reject) => {
    let text = '';
    subprocess.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const line = text.split('\n').find((l) => l.startsWith('['));
      if (line !== undefined) resolve(JSON.parse(line) as number[]);
    });
    void subprocess.then((result) =>
      reject(new Error(`the parent ended before both clusters started: ${result.stderr}`)),
    );
  });
  return { subprocess, localPids };
}
