// What a user can choose about a Docker run (image, subnet, port, bounds),
// with the defaults, checked once when the runtime is created.

import { runtimeBoundsParse } from '../shared/runtime-options.js';
import type { RuntimeOptions } from '../shared/runtime-options.js';
import { subnetParse } from './subnet.js';
import type { Subnet } from './subnet.js';

export interface DockerRuntimeOptions extends RuntimeOptions {
  /** An image to run instead of the offline one (e.g. built from docker/Dockerfile). */
  readonly image?: string;
  /** The run network's IPv4 subnet (CIDR); by default a free /24 of 10.213.0.0/16. */
  readonly subnet?: string;
  /** The port every node listens on inside its container. */
  readonly nodePort?: number;
  /** The project whose dist/ goes into the image (default: this one). */
  readonly projectRoot?: string;
}

export const dockerRuntimeDefaults = Object.freeze({
  nodePort: 7000,
  storageReadyTimeoutMs: 30_000,
  writerReadyTimeoutMs: 40_000,
  stopGraceMs: 4000,
});

export type DockerRuntimeSettings = typeof dockerRuntimeDefaults;

export type SettingsParse =
  | { readonly ok: true; readonly settings: DockerRuntimeSettings; readonly subnet: Subnet | null }
  | { readonly ok: false; readonly error: string };

export function dockerRuntimeSettings(options: DockerRuntimeOptions): SettingsParse {
  const parsed = options.subnet === undefined ? null : subnetParse(options.subnet, 'docker subnet');
  if (parsed !== null && !parsed.ok) return parsed;
  const bounds = runtimeBoundsParse('docker', options, dockerRuntimeDefaults);
  if (!bounds.ok) return bounds;
  if (bounds.bounds.nodePort > 65535)
    return { ok: false, error: `docker nodePort: must be at most 65535, got ${bounds.bounds.nodePort}` };
  return { ok: true, settings: bounds.bounds, subnet: parsed === null ? null : parsed.subnet };
}
