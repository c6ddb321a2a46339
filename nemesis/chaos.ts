// The chaos nemesis package: the faults chosen for a run, one schedule of
// them for the main phase, and a final heal that stops whatever is still
// active (newest first). Operations are `start-<fault>` and `stop-<fault>`;
// a start's value may name targets ({targets: [...]}), else the seed picks.

import { clusterConfigDefault } from '../cluster/config.js';
import type { NodeId } from '../cluster/topology.js';
import { assert } from '../core/assert.js';
import type { JsonValue } from '../core/history.js';
import { genConcat, genList, type Generator } from '../workloads/generator.js';
import { faultSpecOf } from './faults/fault-catalog.js';
import { LinkClaims } from './links/link-claims.js';
import { proxyLinkBackend } from './proxy/proxy-link-backend.js';
import { unavailableFaultCreate } from './faults/unavailable-fault.js';
import { writerNodes, type Fault, type FaultEnv, type TargetsRequest } from './faults/fault.js';
import type { NemesisContext, NemesisCreate, NemesisOp, NemesisOutcome, NemesisStep } from './nemesis.js';
import { outcomeError } from './outcome.js';
import { scheduleGenerator, stopStep, type ScheduleSpec } from './schedule/schedule.js';

export interface ChaosOptions {
  /** Fault names from the catalog, already expanded and validated. */
  readonly faults: readonly string[];
  readonly schedule: ScheduleSpec;
  /** Faults the runtime cannot inject, with the reason; a script's steps for them are recorded as unavailable. */
  readonly unavailable?: ReadonlyMap<string, string>;
}

export function chaosNemesisCreate(options: ChaosOptions): NemesisCreate {
  return (context) => {
    const env = faultEnv(context);
    const names = [...new Set([...options.faults, ...scriptFaults(options.schedule)])];
    const faults = new Map<string, Fault>();
    for (const name of names) {
      const spec = faultSpecOf(name);
      assert(spec !== undefined, `unknown fault ${name} reached the chaos nemesis`);
      const reason = options.unavailable?.get(name);
      faults.set(name, reason === undefined ? spec.create(env) : unavailableFaultCreate(name, reason));
    }
    const started: string[] = [];
    const name = names.join('+');
    return {
      name,
      nemesis: {
        name,
        setup: () => Promise.resolve(),
        invoke: (op) => faultInvoke(faults, started, op),
        teardown: async () => {
          const healed = await env.links?.heal();
          if (healed !== undefined && !healed.ok) throw new Error(`healing the links: ${healed.error}`);
        },
      },
      generator: scheduleGenerator(options.schedule, options.faults, context.intervalMs),
      finalGenerator: finalHeal(faults, started),
    };
  };
}

function faultEnv(context: NemesisContext): FaultEnv {
  const writerPrimary = context.writerPrimary ?? ((): NodeId => writerNodes(context.runtime)[0]!.id);
  const links = context.links ?? (context.mesh ? proxyLinkBackend(context.mesh) : null);
  return {
    runtime: context.runtime,
    links,
    linkClaims: links === null ? null : new LinkClaims(links),
    config: context.config ?? clusterConfigDefault,
    prng: context.prng.fork('targets'),
    clock: context.clock,
    intervalMs: context.intervalMs,
    writerPrimary,
  };
}

async function faultInvoke(
  faults: ReadonlyMap<string, Fault>,
  started: string[],
  op: NemesisOp,
): Promise<NemesisOutcome> {
  const match = /^(start|stop)-(.+)$/.exec(op.f);
  const fault = match === null ? undefined : faults.get(match[2]!);
  if (match === null || fault === undefined)
    return outcomeError('unknown-fault', `${op.f} is not a fault of this run (${[...faults.keys()].join(', ')})`);
  if (match[1] === 'stop') {
    const outcome = await fault.stop();
    if (!fault.active) started.splice(0, started.length, ...started.filter((name) => name !== fault.name));
    return outcome;
  }
  const outcome = await fault.start(targetsOf(op.value));
  if (fault.active && !started.includes(fault.name)) started.push(fault.name);
  return outcome;
}

function targetsOf(value: JsonValue): TargetsRequest {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const targets = (value as { readonly [key: string]: JsonValue })['targets'];
  return Array.isArray(targets) && targets.every((t) => typeof t === 'string') ? (targets as NodeId[]) : null;
}

/** A stop that failed (a node that would not restart) is tried again this many times in the final heal. */
export const finalHealPasses = 2;

/**
 * Decided when the heal phase asks, not when the run starts: it stops the
 * faults active at that moment, newest first; a pass later, whatever a failed
 * stop left active is stopped again.
 */
function finalHeal(faults: ReadonlyMap<string, Fault>, started: readonly string[], pass = 1): Generator<NemesisStep> {
  return {
    op: (context) => {
      if (pass > finalHealPasses) return { kind: 'done' };
      const active = [...started].reverse().filter((name) => faults.get(name)?.active === true);
      const leftovers = [...faults.values()]
        .filter((fault) => fault.active && !active.includes(fault.name))
        .map((fault) => fault.name);
      const stops = [...active, ...leftovers].map((name) => stopStep(name));
      return genConcat(genList(stops), finalHeal(faults, started, pass + 1)).op(context);
    },
  };
}

function scriptFaults(schedule: ScheduleSpec): string[] {
  if (schedule.kind !== 'script') return [];
  return schedule.steps.flatMap((step) => (step.kind === 'sleep' ? [] : [step.fault]));
}
