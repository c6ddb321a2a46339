// The image every node container runs, assembled offline: a `FROM scratch`
// base with this machine's node binary and its libraries, and on top of it the
// app image with the built project. Each is tagged with the hash of its inputs
// and looked up before it is built, so a run only builds what changed (the
// base almost never; the app when the store's code changes).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import { errorStatus, errorText } from './docker-engine.js';
import { appImageInputs, baseImageInputs, imageAppDir, imageNodePath } from './image-inputs.js';
import { tarStream } from './tar-context.js';
import type { TarEntry } from './tar-context.js';

export const baseImageRepository = 'quorumlab-node-base';
export const appImageRepository = 'quorumlab-node';
/** Bound on one image build (the base streams ~100 MB to the engine). */
export const imageBuildTimeoutMs = 180_000;
/** Label on every image the runtime builds (images are kept as a cache; `cleanup` leaves them). */
export const labelImage = 'quorumlab.image';

/** The tags the project at `root` runs under on this machine's node binary (nothing is built). */
export async function nodeImageTags(root: string): Promise<{ readonly base: string; readonly app: string }> {
  const base = await baseImageInputs();
  return { base: baseTagOf(base.hash), app: appTagOf(root, appImageInputs(root).hash, base.hash) };
}

/** Returns the tag of an app image for the project at `root`, building what is missing. */
export async function nodeImageEnsure(docker: Docker, root: string): Promise<string> {
  const base = await baseImageInputs();
  const baseTag = baseTagOf(base.hash);
  if (!(await imageExists(docker, baseTag))) {
    const dockerfile = [
      'FROM scratch',
      'COPY rootfs/ /',
      `ENV LD_LIBRARY_PATH=${base.libraryDirs.join(':')}`,
      `ENTRYPOINT ["${imageNodePath}"]`,
      '',
    ].join('\n');
    await imageBuild(docker, baseTag, [dockerfileEntry(dockerfile), ...base.entries]);
  }
  const app = appImageInputs(root);
  const appTag = appTagOf(root, app.hash, base.hash);
  if (!(await imageExists(docker, appTag))) {
    const dockerfile = [
      `FROM ${baseTag}`,
      `COPY app/ ${imageAppDir}/`,
      `WORKDIR ${imageAppDir}`,
      'ENV QUORUMLAB_DETACHED=1',
      '',
    ].join('\n');
    await imageBuild(docker, appTag, [dockerfileEntry(dockerfile), ...app.entries]);
  }
  return appTag;
}

function baseTagOf(baseHash: string): string {
  return `${baseImageRepository}:${process.version.slice(1)}-${baseHash}`;
}

/** The app tag's hash covers the base too: a new node binary makes a new app image. */
function appTagOf(root: string, appHash: string, baseHash: string): string {
  const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  return `${appImageRepository}:${version}-${appHash.slice(0, 6)}${baseHash.slice(0, 6)}`;
}

export async function imageExists(docker: Docker, tag: string): Promise<boolean> {
  try {
    await docker.getImage(tag).inspect();
    return true;
  } catch (error) {
    if (errorStatus(error) === 404) return false;
    throw new Error(`looking up image ${tag}: ${errorText(error)}`);
  }
}

export function dockerfileEntry(text: string): TarEntry {
  return { kind: 'file', name: 'Dockerfile', mode: 0o644, data: Buffer.from(text) };
}

/** Sends the context, follows the build output to its end, and fails with the engine's message. */
export async function imageBuild(docker: Docker, tag: string, entries: readonly TarEntry[]): Promise<void> {
  const output = await docker.buildImage(tarStream(entries), {
    t: tag,
    rm: true,
    forcerm: true,
    labels: { [labelImage]: '1' },
  });
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve, reject) => {
    timer = setTimeout(() => {
      (output as { destroy?: () => void }).destroy?.();
      reject(new Error(`building image ${tag}: not done within ${imageBuildTimeoutMs} ms`));
    }, imageBuildTimeoutMs);
    docker.modem.followProgress(output, (error: Error | null, messages: readonly { error?: string }[]) => {
      const failed = messages.find((message) => typeof message.error === 'string');
      if (error !== null) reject(new Error(`building image ${tag}: ${errorText(error)}`));
      else if (failed !== undefined) reject(new Error(`building image ${tag}: ${failed.error}`));
      else resolve();
    });
  });
  try {
    await done;
  } finally {
    clearTimeout(timer);
  }
  if (!(await imageExists(docker, tag)))
    throw new Error(`building image ${tag}: the engine reported success but has no such image`);
}
