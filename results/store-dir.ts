// Checks a run store before anything is written to it: the directory can be
// made and written (made one level at a time, since Node's recursive mkdir
// spins without end under /proc), the names the store keeps for itself are not
// taken, and no entry the run would write through is a symbolic link.

import { accessSync, constants, lstatSync, mkdirSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';

/** Entries of a store that are the store's own: `latest` (the link), the cluster and campaign folders. */
export const storeNamesReserved: readonly string[] = Object.freeze(['latest', 'cluster', 'campaigns']);
/** The kernel's own trees: nothing there is a place to keep runs. */
const pseudoRoots: readonly string[] = ['/proc', '/sys', '/dev'];
/** Bound on the levels of a store path made. */
const levelsMax = 64;

export type StoreCheck = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** Whether a test name would collide with the store's own entries (`latest`, `latest.<pid>.tmp`, ...). */
export function storeNameReserved(name: string): boolean {
  return storeNamesReserved.some((reserved) => name === reserved || name.startsWith(`${reserved}.`));
}

/** Makes the store directory if it is missing; an error names `flag` and the path as given. */
export function storeDirPrepare(dir: string, flag: string): StoreCheck {
  const absolute = path.resolve(dir);
  const where = `${flag} ${dir}`;
  const pseudo = pseudoRoots.find((root) => absolute === root || absolute.startsWith(`${root}/`));
  if (pseudo !== undefined) return { ok: false, error: `${where}: is under ${pseudo}, which cannot hold a run store` };
  try {
    const missing: string[] = [];
    let existing = absolute;
    for (let level = 0; level < levelsMax && statsOf(existing, statSync) === null; level++) {
      missing.unshift(existing);
      const parent = path.dirname(existing);
      if (parent === existing) break;
      existing = parent;
    }
    const stats = statsOf(existing, statSync);
    if (stats === null || !stats.isDirectory())
      return { ok: false, error: `${where}: ${existing} is ${stats === null ? 'missing' : 'not a directory'}` };
    accessSync(existing, constants.W_OK | constants.X_OK);
    for (const level of missing) mkdirSync(level);
  } catch (error) {
    return { ok: false, error: `${where}: cannot write: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  return { ok: true };
}

/** Each of `dirs` (inside a store) is absent or a real directory, not a link to elsewhere. */
export function storeDirsUnlinkedCheck(dirs: readonly string[]): StoreCheck {
  for (const dir of dirs) {
    const stats = statsOf(dir);
    if (stats !== null && stats.isSymbolicLink())
      return { ok: false, error: `${dir}: is a symbolic link; the run store follows none but latest` };
    if (stats !== null && !stats.isDirectory()) return { ok: false, error: `${dir}: is not a directory` };
  }
  return { ok: true };
}

/** An existing store's entries a run of `testName` writes through: neither may be a link, nor `latest` a non-link. */
export function storeEntriesCheck(storeDir: string, testName: string): StoreCheck {
  const testDir = path.join(storeDir, testName);
  const test = statsOf(testDir);
  if (test !== null && test.isSymbolicLink())
    return { ok: false, error: `${testDir}: is a symbolic link; the run store follows none but latest` };
  if (test !== null && !test.isDirectory()) return { ok: false, error: `${testDir}: is not a directory` };
  return storeLatestCheck(storeDir);
}

/** `latest` is absent or a link; anything else there is someone's data and stays. */
export function storeLatestCheck(storeDir: string): StoreCheck {
  const link = path.join(storeDir, 'latest');
  const stats = statsOf(link);
  if (stats === null || stats.isSymbolicLink()) return { ok: true };
  return {
    ok: false,
    error: `${link}: is a ${stats.isDirectory() ? 'directory' : 'file'}, not the link to the newest run; move it away`,
  };
}

/** The entry's stats, or null when nothing is there (a missing entry, or a file where a directory was expected). */
function statsOf(file: string, stat: (file: string) => Stats = lstatSync): Stats | null {
  try {
    return stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

/** A store only read (by `cleanup`): a missing one is empty, anything but a directory is refused. */
export function storeDirReadableCheck(dir: string, flag: string): StoreCheck {
  try {
    const stats = statsOf(dir, statSync);
    if (stats === null || stats.isDirectory()) return { ok: true };
    return { ok: false, error: `${flag} ${dir}: is not a directory` };
  } catch (error) {
    return {
      ok: false,
      error: `${flag} ${dir}: cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    };
  }
}
