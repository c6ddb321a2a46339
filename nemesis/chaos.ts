// The chaos nemesis package: the faults chosen for a run, one schedule of
// them for the main phase, and a final heal that stops whatever is still
// active (newest first). Operations are `start-<fault>` and `stop-<fault>`;
// a start's value may name targets ({targets: [...]}) or an aim ({aim, count}),
// else the seed picks. `await-<event>` ({timeoutMs}) waits, by polling the
// observer, for a transition of the cluster (nemesis/observe/await-event.ts).
// A stop of the final heal that fails is recorded as `heal-failed`, and
// faultsActive() says what the heal left active.

import { clusterConfigDefault } from '../cluster/config.js';
import type { NodeId } from '../cluster/topology.js';
import { assert } from '../core/assert.js';
import type { JsonValue } from '../core/history.js';
import { genConcat, genList, type Generator } from '../workloads/generator.js';
import { faultSpecOf } from './faults/fault-catalog.js';
import { LinkClaims } from './links/link-claims.js';
import { proxyLinkBackend } from './proxy/proxy-link-backend.js';
import { unavailableFaultCreate } from './faults/unavailable-fault.js';
import { writerNodes, type Fault, type FaultEnv } from './faults/fault.js';
import { awaitTimeoutOf, targetsRequestOf } from './chaos-request.js';
import type { NemesisContext, NemesisCreate, NemesisOp, NemesisOutcome, NemesisStep } from './nemesis.js';
import { awaitEvent, isAwaitEvent } from './observe/await-event.js';
import { observerCreate } from './observe/observer.js';
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
    const faults = new Map<string, Fault>();
    const struck = (): ReadonlySet<NodeId> =>
      new Set(
        [...faults.values()].filter((fault) => fault.active).flatMap((fault) => fault.targets as readonly NodeId[]),
      );
    const env = faultEnv(context, struck);
    const names = [...new Set([...options.faults, ...scriptFaults(options.schedule)])];
    for (const name of names) {
      const spec = faultSpecOf(name);
      assert(spec !== undefined, `unknown fault ${name} reached the chaos nemesis`);
      const reason = options.unavailable?.get(name);
      faults.set(name, reason === undefined ? spec.create(env) : unavailableFaultCreate(name, reason));
    }
    const state: ChaosState = { started: [], healing: false };
    const name = names.join('+');
    return {
      name,
      nemesis: {
        name,
        // One look before the schedule starts, so an await knows the epoch the run began with.
        setup: async () => {
          await env.observer.observe();
        },
        invoke: (op) => (op.f.startsWith('await-') ? awaitInvoke(env, op) : faultInvoke(faults, state, op)),
        teardown: async () => {
          const healed = await env.links?.heal();
          if (healed !== undefined && !healed.ok) throw new Error(`healing the links: ${healed.error}`);
        },
      },
      generator: scheduleGenerator(options.schedule, options.faults, context.intervalMs),
      finalGenerator: finalHeal(faults, state),
      faultsActive: () =>
        [...faults.values()]
          .filter((fault) => fault.active)
          .map((fault) => Object.freeze({ fault: fault.name, targets: Object.freeze([...fault.targets]) })),
    };
  };
}

function faultEnv(context: NemesisContext, struck: () => ReadonlySet<NodeId>): FaultEnv {
  const writerPrimary = context.writerPrimary ?? ((): NodeId => writerNodes(context.runtime)[0]!.id);
  const links = context.links ?? (context.mesh ? proxyLinkBackend(context.mesh) : null);
  const config = context.config ?? clusterConfigDefault;
  return {
    runtime: context.runtime,
    links,
    linkClaims: links === null ? null : new LinkClaims(links),
    config,
    prng: context.prng.fork('targets'),
    clock: context.clock,
    intervalMs: context.intervalMs,
    observer: observerCreate({
      runtime: context.runtime,
      config,
      clock: context.clock,
      primaryDeclared: writerPrimary,
    }),
    writerPrimary,
    struck,
  };
}

interface ChaosState {
  /** Names of the faults started and not yet stopped, oldest first. */
  readonly started: string[];
  /** Set when the final heal begins: a stop that fails from then on is a failed heal. */
  healing: boolean;
}

async function faultInvoke(
  faults: ReadonlyMap<string, Fault>,
  state: ChaosState,
  op: NemesisOp,
): Promise<NemesisOutcome> {
  const match = /^(start|stop)-(.+)$/.exec(op.f);
  const fault = match === null ? undefined : faults.get(match[2]!);
  if (match === null || fault === undefined)
    return outcomeError('unknown-fault', `${op.f} is not a fault of this run (${[...faults.keys()].join(', ')})`);
  const { started } = state;
  if (match[1] === 'stop') {
    const outcome = await fault.stop();
    if (!fault.active) started.splice(0, started.length, ...started.filter((name) => name !== fault.name));
    return state.healing ? healOutcome(outcome) : outcome;
  }
  const requested = targetsRequestOf(op.value);
  if (!requested.ok) return outcomeError('unknown-target', requested.error);
  const outcome = await fault.start(requested.requested);
  if (fault.active && !started.includes(fault.name)) started.push(fault.name);
  return outcome;
}

/** A failed stop of the final heal keeps its own code in the message and in the value's `cause`. */
function healOutcome(outcome: NemesisOutcome): NemesisOutcome {
  if (outcome.ok) return outcome;
  const { code, message } = outcome.error;
  const value = outcome.value;
  const fields: Readonly<Record<string, JsonValue>> =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Readonly<Record<string, JsonValue>>)
      : { value };
  // The original value's targets replace the empty list given here.
  return outcomeError('heal-failed', `${code}: ${message}`, [], { ...fields, cause: code });
}

async function awaitInvoke(env: FaultEnv, op: NemesisOp): Promise<NemesisOutcome> {
  const event = op.f.slice('await-'.length);
  if (!isAwaitEvent(event)) return outcomeError('unknown-fault', `${op.f} is not an await this nemesis knows`);
  const timeoutMs = awaitTimeoutOf(op.value);
  const result = await awaitEvent(env.observer, env.clock, event, timeoutMs);
  if (!result.ok)
    return outcomeError('await-timeout', result.error, [], { event, timeoutMs, waitedMs: result.waitedMs });
  return { ok: true, value: { event, timeoutMs, waitedMs: result.waitedMs, seen: result.seen } };
}

/** A stop that failed (a node that would not restart) is tried again this many times in the final heal. */
export const finalHealPasses = 2;

/**
 * Decided when the heal phase asks, not when the run starts: it stops the
 * faults active at that moment, newest first; a pass later, whatever a failed
 * stop left active is stopped again.
 */
function finalHeal(faults: ReadonlyMap<string, Fault>, state: ChaosState, pass = 1): Generator<NemesisStep> {
  return {
    op: (context) => {
      state.healing = true;
      if (pass > finalHealPasses) return { kind: 'done' };
      const active = [...state.started].reverse().filter((name) => faults.get(name)?.active === true);
      const leftovers = [...faults.values()]
        .filter((fault) => fault.active && !active.includes(fault.name))
        .map((fault) => fault.name);
      const stops = [...active, ...leftovers].map((name) => stopStep(name));
      return genConcat(genList(stops), finalHeal(faults, state, pass + 1)).op(context);
    },
  };
}

function scriptFaults(schedule: ScheduleSpec): string[] {
  if (schedule.kind !== 'script') return [];
  return schedule.steps.flatMap((step) => (step.kind === 'sleep' ? [] : [step.fault]));
}
