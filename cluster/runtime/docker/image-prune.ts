// Removal of node images that no run will use again. Every build of the
// project makes a new content-hashed app image (and a new node binary a new
// base), and they are kept as a cache, so old ones pile up; `quorumlab cleanup
// --images` removes every tag the runtime built except the ones the project as
// it is now runs under. An image a container still uses is left, with a note.

import type Docker from 'dockerode';
import { errorStatus, errorText, withTimeout } from './docker-engine.js';
import { labelImage, nodeImageTags } from './node-image.js';

/** Bound on one engine call while pruning. */
export const imagePruneCallTimeoutMs = 30_000;

export interface ImagePruned {
  readonly tag: string;
  readonly removed: boolean;
  /** 'removed', or why not (for example a container still uses it). */
  readonly note: string;
}

/** Removes the runtime's image tags other than the current base and app tags of the project at `root`. */
export async function nodeImagesPrune(docker: Docker, root: string): Promise<ImagePruned[]> {
  const current = await nodeImageTags(root);
  const keep = new Set([current.base, current.app]);
  const images = await withTimeout(docker.listImages({ filters: { label: [labelImage] } }), imagePruneCallTimeoutMs);
  const tags = images.flatMap((image) => (image.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>'));
  const pruned: ImagePruned[] = [];
  // App tags first: a base image cannot go while app images built on it remain.
  const ordered = [...tags.filter((tag) => !keep.has(tag))].sort(
    (a, b) => Number(a.includes('-base:')) - Number(b.includes('-base:')),
  );
  for (const tag of ordered) {
    try {
      await withTimeout(docker.getImage(tag).remove({ noprune: false }), imagePruneCallTimeoutMs);
      pruned.push({ tag, removed: true, note: 'removed' });
    } catch (error) {
      if (errorStatus(error) === 404) pruned.push({ tag, removed: true, note: 'already gone' });
      else pruned.push({ tag, removed: false, note: errorText(error) });
    }
  }
  return pruned;
}

export function imagePrunedRender(pruned: ImagePruned): string {
  return pruned.removed ? `removed image ${pruned.tag}` : `kept    image ${pruned.tag}: ${pruned.note}`;
}
