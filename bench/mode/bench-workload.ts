// What the bench sends: operations drawn from the mix and the key chooser, and
// the Workload the run target's clients map them with (register requests, and
// list requests for appends). Values are strings of --value-size bytes that
// start with a counter, so every written value is distinct.

import { assert, assertNever } from '../../core/assert.js';
import type { Prng } from '../../core/prng.js';
import { genEmpty } from '../../workloads/generator.js';
import type { ClientOp } from '../../workloads/op.js';
import type { StoreRequest, Workload } from '../../workloads/workload.js';
import type { KeyChooser } from './key-chooser.js';
import { benchOpKinds, type BenchMix, type BenchOpKind } from './mix.js';

const registerPrefix = 'y';
const listPrefix = 'l';

/**
 * One bench operation as a client op whose f is the mix's kind and whose value is the new value (null for a
 * read); a cas runs as a read of the key and a compare-and-set from what it read (YCSB F's read-modify-write).
 */
export type BenchOp = ClientOp & { readonly f: BenchOpKind; readonly value: string | null };

export interface BenchOpSource {
  next(prng: Prng): BenchOp;
}

export function benchKey(index: number, list: boolean): string {
  return `${list ? listPrefix : registerPrefix}${index}`;
}

/** Reads go to lists when the mix appends and neither writes nor compares-and-sets registers. */
export function mixReadsLists(mix: BenchMix): boolean {
  return mix.weights.append > 0 && mix.weights.write === 0 && mix.weights.cas === 0;
}

export function benchOpSource(mix: BenchMix, chooser: KeyChooser, valueSize: number): BenchOpSource {
  const total = benchOpKinds.reduce((sum, kind) => sum + mix.weights[kind], 0);
  const readsLists = mixReadsLists(mix);
  let counter = 0;
  const value = (): string => benchValue(counter++, valueSize);
  return {
    next: (prng) => {
      const kind = weightedKind(mix, total, prng);
      switch (kind) {
        case 'read':
          return { f: kind, key: benchKey(chooser.next(prng), readsLists), value: null };
        case 'write':
          return {
            f: kind,
            key: benchKey(mix.writesInsert ? chooser.insert() : chooser.next(prng), false),
            value: value(),
          };
        case 'cas':
          return { f: kind, key: benchKey(chooser.next(prng), false), value: value() };
        case 'append':
          return { f: kind, key: benchKey(chooser.next(prng), true), value: value() };
        default:
          return assertNever(kind, 'bench op kind');
      }
    },
  };
}

/** `n:` padded with `x` to `size` bytes (longer only when the counter itself is). */
export function benchValue(n: number, size: number): string {
  const head = `${n}:`;
  return head.length >= size ? head : head.padEnd(size, 'x');
}

function weightedKind(mix: BenchMix, total: number, prng: Prng): BenchOpKind {
  let point = prng.next() * total;
  for (const kind of benchOpKinds) {
    point -= mix.weights[kind];
    if (point < 0) return kind;
  }
  return benchOpKinds.findLast((kind) => mix.weights[kind] > 0)!;
}

/** The workload a target's clients are opened with; the bench drives them itself, so its generator is empty. */
export function benchWorkload(mix: BenchMix): Workload {
  return {
    name: mixReadsLists(mix) ? 'append' : 'register',
    model: mixReadsLists(mix) ? 'list-append' : 'etcd-register',
    keys: [],
    generator: genEmpty(),
    finalReads: [],
    livenessWrites: () => [],
    request: benchRequest,
    okValue: (op, answer) =>
      op.f !== 'read'
        ? op.value
        : typeof answer === 'string' || typeof answer === 'number'
          ? answer
          : Array.isArray(answer)
            ? (answer as readonly (string | number)[])
            : null,
  };
}

function benchRequest(op: ClientOp): StoreRequest {
  const list = op.key.startsWith(listPrefix);
  switch (op.f) {
    case 'read':
      return list ? { t: 'read-list', key: op.key } : { t: 'read', key: op.key };
    case 'write':
      assert(typeof op.value === 'string', `bench write value must be a string, got ${JSON.stringify(op.value)}`);
      return { t: 'write', key: op.key, value: op.value };
    case 'cas': {
      const [from, to] = op.value as readonly [string | number | null, string];
      assert(typeof to === 'string', `bench cas value must be [from, to], got ${JSON.stringify(op.value)}`);
      return { t: 'cas', key: op.key, from, to };
    }
    case 'append':
      assert(typeof op.value === 'string', `bench append value must be a string, got ${JSON.stringify(op.value)}`);
      return { t: 'append', key: op.key, value: op.value };
    case 'add':
      throw new Error('the bench never adds to sets');
    default:
      return assertNever(op.f, 'bench client op');
  }
}
