// The image of the netfilter sidecars, assembled offline like the node image:
// `FROM scratch` with this machine's node binary (the sidecar's idle process)
// and iptables (xtables-nft-multi under the name iptables, which it dispatches
// on), their shared libraries and the xtables extension modules iptables loads
// at run time (ldd does not list them). On a remote engine, where the workbench
// cannot nsenter, a sidecar joined to a node container's network namespace
// runs the partitions' iptables rules, driven through the engine API.

import { existsSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import { baseImageInputs, entriesHash, sharedLibraries } from './image-inputs.js';
import { dockerfileEntry, imageBuild, imageExists } from './node-image.js';
import type { TarEntry } from './tar-context.js';

export const netfilterImageRepository = 'quorumlab-netfilter';
/** Where iptables is inside the image. */
export const netfilterIptablesPath = '/usr/sbin/iptables';
/** The host's iptables: the nft variant every current distribution ships. */
const iptablesHostCandidates = ['/usr/sbin/xtables-nft-multi', '/sbin/xtables-nft-multi'] as const;
/** Where Debian and Ubuntu keep the extension modules (libxt_comment.so for the rules' tags). */
const xtablesModuleDirCandidates = [
  '/usr/lib/x86_64-linux-gnu/xtables',
  '/usr/lib/aarch64-linux-gnu/xtables',
  '/usr/lib/xtables',
] as const;
/** The extensions the rules use: the standard target (DROP) and the comment match (the run's tag). */
const xtablesModules = ['libxt_standard.so', 'libxt_comment.so'] as const;

export async function netfilterImageEnsure(docker: Docker): Promise<string> {
  const iptables = iptablesHostCandidates.find((candidate) => existsSync(candidate));
  if (iptables === undefined)
    throw new Error(
      `no xtables-nft-multi on this machine (looked at ${iptablesHostCandidates.join(', ')}): apt-get install -y iptables`,
    );
  const moduleDir = xtablesModuleDirCandidates.find((candidate) => existsSync(candidate));
  if (moduleDir === undefined)
    throw new Error(`no xtables module directory on this machine (looked at ${xtablesModuleDirCandidates.join(', ')})`);
  const base = await baseImageInputs();
  const modules = readdirSync(moduleDir).filter((name) => (xtablesModules as readonly string[]).includes(name));
  const binaries = [iptables, ...modules.map((name) => path.join(moduleDir, name))];
  const libraries = new Set<string>();
  for (const binary of binaries) for (const library of await sharedLibraries(binary)) libraries.add(library);
  const entries: TarEntry[] = [
    ...base.entries,
    { kind: 'dir', name: 'rootfs/run', mode: 0o755 },
    { kind: 'host-file', name: `rootfs${netfilterIptablesPath}`, mode: 0o755, hostPath: realpathSync(iptables) },
    ...modules.map((name): TarEntry => ({
      kind: 'host-file',
      name: `rootfs${moduleDir}/${name}`,
      mode: 0o755,
      hostPath: realpathSync(path.join(moduleDir, name)),
    })),
    ...[...libraries]
      .filter((library) => !base.entries.some((entry) => entry.name === `rootfs${library}`))
      .sort()
      .map((library): TarEntry => ({
        kind: 'host-file',
        name: `rootfs${library}`,
        mode: 0o755,
        hostPath: realpathSync(library),
      })),
  ];
  const tag = `${netfilterImageRepository}:${entriesHash(entries)}`;
  if (await imageExists(docker, tag)) return tag;
  const libraryDirs = [
    ...new Set([...base.libraryDirs, ...[...libraries].map((library) => path.dirname(library))]),
  ].sort();
  const dockerfile = [
    'FROM scratch',
    'COPY rootfs/ /',
    `ENV LD_LIBRARY_PATH=${libraryDirs.join(':')}`,
    `ENV XTABLES_LIBDIR=${moduleDir}`,
    '',
  ].join('\n');
  await imageBuild(docker, tag, [dockerfileEntry(dockerfile), ...entries]);
  return tag;
}
