// The inputs of the two offline images, as tar entries with a hash: the base
// image holds this machine's node binary and the shared libraries `ldd` lists
// for it (nothing else: faults are applied from the host), and the app image
// adds the project files a node needs at run time. The hash names the image, so
// an image is rebuilt only when its inputs change.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { projectClosure } from './project-closure.js';
import type { TarEntry } from './tar-context.js';

export interface ImageInputs {
  readonly entries: readonly TarEntry[];
  /** Hex digest over every entry's name, mode and bytes, shortened for a tag. */
  readonly hash: string;
}

/** Where the node binary lives inside the images. */
export const imageNodePath = '/usr/local/bin/node';
/** Where the project lives inside the app image. */
export const imageAppDir = '/app';
/** Bound on running ldd. */
const lddTimeoutMs = 10_000;
const hashHexChars = 12;
/** Bound on files walked in one package directory tree. */
const packageFilesMax = 20_000;

/** The node binary and its libraries, under rootfs/ (the Dockerfile copies rootfs/ to /). */
export async function baseImageInputs(
  nodeBinary: string = process.execPath,
): Promise<ImageInputs & { readonly libraryDirs: readonly string[] }> {
  const libraries = await sharedLibraries(nodeBinary);
  const entries: TarEntry[] = [
    { kind: 'dir', name: 'rootfs/tmp', mode: 0o1777 },
    { kind: 'host-file', name: `rootfs${imageNodePath}`, mode: 0o755, hostPath: realpathSync(nodeBinary) },
  ];
  for (const library of libraries)
    entries.push({ kind: 'host-file', name: `rootfs${library}`, mode: 0o755, hostPath: realpathSync(library) });
  const libraryDirs = [...new Set(libraries.map((library) => path.dirname(library)))].sort();
  return { entries, hash: entriesHash(entries), libraryDirs };
}

/** The project files under app/ (the Dockerfile copies app/ to /app). */
export function appImageInputs(root: string): ImageInputs {
  const closure = projectClosure(root);
  const entries: TarEntry[] = closure.files.map((file) => ({
    kind: 'host-file',
    name: `app/${file}`,
    mode: 0o644,
    hostPath: path.join(root, file),
  }));
  for (const dir of closure.packageDirs) entries.push(...treeEntries(root, dir));
  return { entries, hash: entriesHash(entries) };
}

/** The absolute paths `ldd` reports (the loader included); none for a static binary. */
export async function sharedLibraries(binary: string): Promise<string[]> {
  const result = await execa('ldd', [binary], { reject: false, timeout: lddTimeoutMs });
  if (result.exitCode !== 0) {
    if (/not a dynamic executable/.test(`${result.stdout}${result.stderr}`)) return [];
    throw new Error(`ldd ${binary} failed (${result.exitCode ?? result.signal}): ${result.stderr || result.stdout}`);
  }
  const libraries = new Set<string>();
  for (const line of result.stdout.split('\n')) {
    // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line);
    if (match !== null) libraries.add(match[1]!);
    else if (/=>\s*not found/.test(line)) throw new Error(`ldd ${binary}: a library is missing: ${line.trim()}`);
  }
  return [...libraries].sort();
}

export function entriesHash(entries: readonly TarEntry[]): string {
  const hash = createHash('sha256');
  for (const entry of entries) {
    hash.update(`${entry.kind}\u0000${entry.name}\u0000${entry.mode}\u0000`);
    if (entry.kind === 'file') hash.update(entry.data);
    if (entry.kind === 'host-file') hash.update(readFileSync(entry.hostPath));
  }
  return hash.digest('hex').slice(0, hashHexChars);
}

/**
 * Every regular file under a package directory, in a stable order, with its
 * mode; symlinks are followed. Nested node_modules are left out: the closure
 * lists the nested packages that are needed as directories of their own.
 */
function treeEntries(root: string, dir: string): TarEntry[] {
  const entries: TarEntry[] = [];
  const walk = (relative: string): void => {
    const hostPath = path.join(root, relative);
    const stat = statSync(hostPath);
    if (stat.isDirectory()) {
      for (const name of readdirSync(hostPath).sort()) if (name !== 'node_modules') walk(path.join(relative, name));
      return;
    }
    if (!stat.isFile()) return;
    if (entries.length >= packageFilesMax) throw new Error(`more than ${packageFilesMax} files under ${dir}`);
    entries.push({ kind: 'host-file', name: `app/${relative}`, mode: stat.mode & 0o777, hostPath });
  };
  walk(dir);
  return entries;
}
