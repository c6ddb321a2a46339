// Which project files a node container needs at run time: the built modules
// reachable from the node entry points (found by following their imports), the
// project's package.json (it makes dist/ ES modules), and the packages those
// modules import, with the packages they depend on. Anything else in dist/ or
// node_modules stays out of the image, so unrelated changes do not rebuild it.

import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import type { NodeRole } from '../../topology.js';

export interface ProjectClosure {
  /** Files relative to the project root (dist modules and package.json), sorted. */
  readonly files: readonly string[];
  /** Package directories relative to the project root (node_modules/...), sorted. */
  readonly packageDirs: readonly string[];
}

export const nodeRoles: readonly NodeRole[] = ['storage', 'writer'];
/** Bound on modules followed; the store is a few hundred files. */
export const closureModulesMax = 5000;

const importPatterns = [
  /(?:^|[;\s])(?:import|export)\s[^'";]*?\sfrom\s*['"]([^'"]+)['"]/g,
  /(?:^|[;\s])import\s*['"]([^'"]+)['"]/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/** Entry points relative to the project root. */
export function roleEntry(role: NodeRole): string {
  return path.join('dist', 'cluster', role, 'main.js');
}

export function projectClosure(root: string): ProjectClosure {
  const files = new Set<string>(['package.json']);
  const packages = new Set<string>();
  const queue = nodeRoles.map(roleEntry);
  for (const entry of queue) {
    if (!existsSync(path.join(root, entry)))
      throw new Error(
        `${path.join(root, entry)} does not exist; build the project first (npx tsc -p tsconfig.build.json)`,
      );
  }
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    if (files.size >= closureModulesMax)
      throw new Error(`more than ${closureModulesMax} modules reachable from the node entry points`);
    files.add(file);
    for (const specifier of importsOf(path.join(root, file))) {
      if (specifier.startsWith('.')) queue.push(relativeImport(root, file, specifier));
      else if (!isBuiltin(specifier)) packages.add(packageName(specifier));
    }
  }
  return { files: [...files].sort(), packageDirs: packageDirsClosure(root, [...packages]) };
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const pattern of importPatterns) for (const match of text.matchAll(pattern)) found.push(match[1]!);
  return found;
}

function relativeImport(root: string, from: string, specifier: string): string {
  const target = path.normalize(path.join(path.dirname(from), specifier));
  if (!existsSync(path.join(root, target)))
    throw new Error(`${from} imports ${specifier}, which does not exist (${target}); rebuild the project`);
  return target;
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!);
}

/** "pkg/sub" -> "pkg", "@scope/pkg/sub" -> "@scope/pkg". */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** Every package directory needed, following package.json dependencies the way Node resolves them. */
function packageDirsClosure(root: string, names: readonly string[]): string[] {
  const dirs = new Set<string>();
  const queue = names.map((name) => ({ name, from: root }));
  while (queue.length > 0) {
    const { name, from } = queue.pop()!;
    const dir = packageResolve(root, from, name);
    if (dirs.has(dir)) continue;
    if (dirs.size >= closureModulesMax)
      throw new Error(`more than ${closureModulesMax} packages needed by the node entry points`);
    dirs.add(dir);
    const manifest = JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const dep of Object.keys(manifest.dependencies ?? {})) queue.push({ name: dep, from: path.join(root, dir) });
  }
  return [...dirs].sort();
}

/** The nearest node_modules/<name> from `from` up to the project root, relative to the root. */
function packageResolve(root: string, from: string, name: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) {
      const relative = path.relative(root, candidate);
      if (relative.startsWith('..') || path.isAbsolute(relative))
        throw new Error(`package ${name} resolves outside the project: ${realpathSync(candidate)}`);
      return relative;
    }
    if (dir === root || dir === path.dirname(dir))
      throw new Error(
        `package ${name} (needed by ${path.relative(root, from) || 'the project'}) is not installed; run npm ci`,
      );
  }
}
