// The nemeses a test can name, and how a --nemesis list becomes one package.
// Faults are added here as they are built.

import type { NemesisCreate } from '../nemesis/nemesis.js';
import { noneNemesisCreate } from '../nemesis/none.js';

export const nemesisRegistry: Readonly<Record<string, NemesisCreate>> = Object.freeze({
  none: noneNemesisCreate,
});

export function nemesisNames(): readonly string[] {
  return Object.keys(nemesisRegistry);
}

/** The package for a validated list of names: `none`, or the one fault named. */
export function nemesisSelect(names: readonly string[]): NemesisCreate {
  const real = names.filter((name) => name !== 'none');
  if (real.length === 0) return noneNemesisCreate;
  const create = nemesisRegistry[real[0]!];
  if (create === undefined) throw new Error(`unknown nemesis ${real[0]}`);
  return create;
}
