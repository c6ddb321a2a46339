// The hook that runs the linearizability checker (checkers/linearizable) as
// one checker among the others: it picks the model for the workload, runs the
// search within the run's budget, and turns its evidence into JSON details of
// bounded size (the window and the end of the longest prefix, not every op).

import type { HistoryEvent, JsonValue } from '../core/history.js';
import type { WorkloadName } from '../workloads/workload.js';
import type { LinearizableDetails, LinearizableFailureDetails, LinearizableOpDetails } from './checker-details.js';
import type { CheckContext, Checker, LinearizableResult } from './checker.js';
import type {
  LinearizabilityResult,
  LinOp,
  Model,
  ModelName,
  ModelOptions,
  PartitionFailure,
} from './linearizable/index.js';
import { HistoryShapeError, checkLinearizable, modelByName } from './linearizable/index.js';

const checkerName = 'linearizable';
/** Steps of the longest prefix kept in the details, counted back from where it breaks. */
const prefixTailMax = 200;
/** Operations described per failing key (window, prefix tail, breaking op). */
const failureOpsMax = 1000;

/** The model a workload's histories are checked against when the context names none. */
export const workloadModels: Readonly<Record<WorkloadName, ModelName>> = {
  register: 'etcd-register',
  append: 'list-append',
  set: 'set',
};

export const linearizabilityChecker: Checker<LinearizableResult> = {
  name: checkerName,
  check(history: readonly HistoryEvent[], context: CheckContext): LinearizableResult {
    const modelName = context.model ?? workloadModels[context.workload];
    const model = modelByName(modelName, modelOptions(context.workload)) as Model | undefined | null;
    if (model === undefined || model === null) {
      const reason = `no linearizability model named "${modelName}" (workload ${context.workload})`;
      return { checker: checkerName, verdict: 'unknown', summary: reason, reason, details: null };
    }
    try {
      const result = checkLinearizable(model, history, {
        timeoutMs: context.timeoutMs,
        memoryBytesMax: context.memoryBytesMax,
      });
      return linearizabilityResult(result, model);
    } catch (error) {
      if (!(error instanceof HistoryShapeError)) throw error;
      return {
        checker: checkerName,
        verdict: 'unknown',
        summary: `history unreadable: ${error.message}`,
        reason: error.message,
        details: null,
      };
    }
  },
};

/**
 * Our register workload starts every key absent, so its registers start at null
 * rather than Knossos's 0. It is checked with etcd-register: a cas that fails
 * with cas-mismatch says the value differed, as a failed etcd cas does.
 */
function modelOptions(workload: WorkloadName): ModelOptions {
  return workload === 'register' ? { initial: null } : {};
}

function linearizabilityResult(result: LinearizabilityResult, model: Model): LinearizableResult {
  const listOrdered = partitionsByListOrder(result.details);
  const method = listOrdered > 0 ? ` (${listOrdered} by list order)` : '';
  const evidence =
    result.verdict === 'invalid'
      ? ` (verdict ${Math.round(result.verdictMs)} ms, evidence ${Math.round(result.evidenceMs)} ms)`
      : '';
  const figures = `${result.operations} ops in ${result.partitions} keys${method}, ${result.statesExplored} states, ${Math.round(result.elapsedMs)} ms${evidence}`;
  const details: LinearizableDetails = {
    model: model.name,
    operations: result.operations,
    partitions: result.partitions,
    elapsedMs: result.elapsedMs,
    verdictMs: result.verdictMs,
    evidenceMs: result.evidenceMs,
    statesExplored: result.statesExplored,
    failures: result.failures.map((failure) => failureJson(failure, model)),
    search: jsonSafe(result.details ?? null),
  };
  const keys = result.failures.map((failure) => (failure.key === null ? '(whole history)' : failure.key));
  const summary =
    result.verdict === 'invalid'
      ? `not linearizable (model ${model.name}): key ${keys.join(', ')}; ${figures}`
      : result.verdict === 'unknown'
        ? `undecided (model ${model.name}): ${result.reason ?? 'no reason given'}; ${figures}`
        : `linearizable (model ${model.name}): ${figures}`;
  const base: LinearizableResult = { checker: checkerName, verdict: result.verdict, summary, details };
  const reason =
    result.reason ?? (result.verdict === 'invalid' ? `key ${keys[0] ?? '?'} cannot be linearized` : undefined);
  return reason === undefined ? base : { ...base, reason };
}

/** Keys the list-order check decided (no search, so no states explored for them). */
function partitionsByListOrder(details: JsonValue | undefined): number {
  const partitions =
    details !== null && typeof details === 'object' && !Array.isArray(details)
      ? (details as { readonly partitions?: JsonValue }).partitions
      : undefined;
  if (!Array.isArray(partitions)) return 0;
  return partitions.filter(
    (partition) =>
      partition !== null &&
      typeof partition === 'object' &&
      (partition as { readonly method?: JsonValue }).method === 'list-order',
  ).length;
}

/**
 * A failing key's evidence: the window, the breaking op and the last steps of
 * the longest prefix (the part next to the break), each op described by the
 * model. A key can have tens of thousands of ops; the rest are in the history.
 */
function failureJson(failure: PartitionFailure, model: Model): LinearizableFailureDetails {
  const tailStart = Math.max(0, failure.longestPrefix.length - prefixTailMax);
  const prefixTail = failure.longestPrefix.slice(tailStart);
  const wanted = new Set<number>([
    ...failure.window,
    ...prefixTail,
    ...(failure.breakingOp === null ? [] : [failure.breakingOp]),
  ]);
  return {
    key: failure.key,
    prefixLength: failure.longestPrefix.length,
    prefixTailStart: tailStart,
    prefixTail,
    prefixTailStates: failure.prefixStates.slice(tailStart),
    breakingOp: failure.breakingOp,
    window: failure.window,
    windowStartStates: failure.windowStartStates ?? [],
    windowMinimal: failure.windowMinimal ?? null,
    operations: failure.operations
      .filter((op) => wanted.has(op.id))
      .slice(0, failureOpsMax)
      .map((op) => opJson(op, model)),
  };
}

function opJson(op: LinOp, model: Model): LinearizableOpDetails {
  return {
    id: op.id,
    process: op.process,
    key: op.key,
    invokeIndex: op.invokeIndex,
    completeIndex: op.completeIndex,
    text: model.describeOperation(op.input, op.output),
  };
}

/** The search's own details may hold Infinity or undefined; JSON text is what results.json stores anyway. */
function jsonSafe(value: unknown): JsonValue {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as JsonValue);
}
