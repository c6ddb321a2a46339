// `cleanup --images` removes node images of older builds and keeps the ones the
// project as built now runs under: a stale tag made for the test goes, the
// current base and app tags stay.

import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { projectRootFind } from '../shared/project-root.js';
import { imageExists, nodeImageEnsure, nodeImageTags } from './node-image.js';
import { nodeImagesPrune } from './image-prune.js';
import { dockerForTests, dockerTestsOff } from './test-support/docker-gate.js';

const staleRepository = 'quorumlab-node';
const staleTag = `0.0.0-stale${process.pid}`;

describe.skipIf(dockerTestsOff)('pruning node images', () => {
  let docker: Docker;
  const root = projectRootFind();

  beforeAll(async () => {
    docker = await dockerForTests();
  }, 240_000);

  afterAll(async () => {
    if (docker !== undefined && (await imageExists(docker, `${staleRepository}:${staleTag}`))) {
      await docker.getImage(`${staleRepository}:${staleTag}`).remove();
    }
  });

  test('a tag of an older build is removed and the current base and app tags are kept', async () => {
    const app = await nodeImageEnsure(docker, root);
    const current = await nodeImageTags(root);
    expect(current.app).toBe(app);
    await docker.getImage(app).tag({ repo: staleRepository, tag: staleTag });
    expect(await imageExists(docker, `${staleRepository}:${staleTag}`)).toBe(true);

    const pruned = await nodeImagesPrune(docker, root);

    expect(pruned).toContainEqual({ tag: `${staleRepository}:${staleTag}`, removed: true, note: 'removed' });
    expect(pruned.map((p) => p.tag)).not.toContain(current.app);
    expect(pruned.map((p) => p.tag)).not.toContain(current.base);
    expect(await imageExists(docker, `${staleRepository}:${staleTag}`)).toBe(false);
    expect(await imageExists(docker, current.app)).toBe(true);
    expect(await imageExists(docker, current.base)).toBe(true);
  }, 240_000);
});
