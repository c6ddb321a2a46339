// The cycle anomalies and how each is searched for, after Adya and Elle: which
// relations a cycle may use, how many rw edges it needs and whether they may
// touch, and which relation it must contain; plus the classification of a
// found cycle by the relations of its steps.

import { assert } from '../../core/assert.js';
import { rel } from './txn-types.js';

export interface CycleSpec {
  readonly name: string;
  /** Relations the cycle's edges may have. */
  readonly rels: number;
  readonly rwMin: number;
  /** Above 1 means no bound. */
  readonly rwMax: number;
  /** No two rw edges next to each other (the last and first count as next to each other). */
  readonly nonadjacent: boolean;
  /** Some two rw edges next to each other. */
  readonly adjacent: boolean;
  /** Relations the cycle must contain at least once each (0: none). */
  readonly required: readonly [number, number];
  /** The first edge's relations: every cycle of the kind can be rotated to start with one. */
  readonly first: number;
}

type Variant = '' | 'process' | 'realtime';

/** A kind before its variants: one required relation, the first edge derived. */
type BaseSpec = Omit<CycleSpec, 'required' | 'first'> & { readonly required: number };

const bases: readonly BaseSpec[] = [
  { name: 'G0', rels: rel.ww, rwMin: 0, rwMax: 0, nonadjacent: false, adjacent: false, required: 0 },
  { name: 'G1c', rels: rel.ww | rel.wr, rwMin: 0, rwMax: 0, nonadjacent: false, adjacent: false, required: rel.wr },
  {
    name: 'G-single-item',
    rels: rel.ww | rel.wr | rel.rw,
    rwMin: 1,
    rwMax: 1,
    nonadjacent: false,
    adjacent: false,
    required: 0,
  },
  {
    name: 'G-nonadjacent-item',
    rels: rel.ww | rel.wr | rel.rw,
    rwMin: 2,
    rwMax: 2,
    nonadjacent: true,
    adjacent: false,
    required: 0,
  },
  {
    name: 'G2-item',
    rels: rel.ww | rel.wr | rel.rw,
    rwMin: 2,
    rwMax: 2,
    nonadjacent: false,
    adjacent: true,
    required: 0,
  },
];

function specOf(base: BaseSpec, variant: Variant): CycleSpec {
  const extra = variant === '' ? 0 : rel[variant];
  const rels = base.rels | extra;
  return {
    name: variant === '' ? base.name : `${base.name}-${variant}`,
    rels,
    rwMin: base.rwMin,
    rwMax: base.rwMax,
    nonadjacent: base.nonadjacent,
    adjacent: base.adjacent,
    required: [base.required, extra],
    first: firstOf(base, extra, rels),
  };
}

function firstOf(base: BaseSpec, extra: number, rels: number): number {
  if (extra !== 0) return extra;
  if (base.nonadjacent) return rels & ~rel.rw;
  if (base.rwMin > 0) return rel.rw;
  if (base.required !== 0) return base.required;
  return rels;
}

/**
 * In the order they are searched: the data-only kinds from the worst, then
 * their process variants, then their realtime variants (only one of process
 * and realtime edges is ever in a graph).
 */
export const cycleSpecs: readonly CycleSpec[] = (['', 'process', 'realtime'] as const).flatMap((variant) =>
  bases.map((base) => specOf(base, variant)),
);

/** The anomaly a cycle is, from the relation of each of its steps (each one bit). */
export function cycleClassify(rels: readonly number[]): string {
  let ww = 0;
  let wr = 0;
  let rw = 0;
  let process = 0;
  let realtime = 0;
  let rwAdjacent = false;
  for (let i = 0; i < rels.length; i++) {
    const r = rels[i]!;
    if (r === rel.ww) ww++;
    else if (r === rel.wr) wr++;
    else if (r === rel.rw) rw++;
    else if (r === rel.process) process++;
    else if (r === rel.realtime) realtime++;
    if (r === rel.rw && rels[(i + 1) % rels.length] === rel.rw) rwAdjacent = true;
  }
  assert(ww + wr + rw > 0, 'a dependency cycle has a data edge: process and realtime order are acyclic');
  const base =
    rw === 1 ? 'G-single-item' : rw > 1 ? (rwAdjacent ? 'G2-item' : 'G-nonadjacent-item') : wr > 0 ? 'G1c' : 'G0';
  const suffix = realtime > 0 ? '-realtime' : process > 0 ? '-process' : '';
  return base + suffix;
}
