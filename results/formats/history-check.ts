// Re-checks one history file for linearizability: reads it in any supported
// format, runs the checker with a named model, and describes the verdict for a
// person (short text) or a program (JSON). A history recorded by `quorumlab
// test` is checked for liveness and repair too, from its own observations. The
// `check` command is a thin shell around this; nothing here writes to the
// terminal or exits.

import type { HistoryEvent, JsonValue } from '../../core/history.js';
import { verdictWorst, type Verdict } from '../../core/verdict.js';
import { afterHealChecksRun } from '../../checkers/after-heal.js';
import { checkLinearizableParallel, modelByName, modelNames } from '../../checkers/linearizable/index.js';
import { HistoryShapeError } from '../../checkers/linearizable/history-shape-error.js';
import type { LinearizabilityResult, LinOp, Model, PartitionFailure } from '../../checkers/linearizable/types.js';
import { historyFileRead } from './history-file.js';
import type { HistoryFormat } from './history-format.js';

export interface HistoryCheckRequest {
  readonly file: string;
  readonly model: string;
  /** null: from the file's extension. */
  readonly format: HistoryFormat | null;
  readonly timeoutMs: number;
  readonly memoryBytesMax: number;
  /** false: the verdict only, no search for a failure's window (--no-evidence). */
  readonly evidence: boolean;
}

/** One operation as a person reads it in a failure. */
export interface OpDescribed {
  readonly id: number;
  readonly process: number;
  /** Event indices of the invocation and completion (null: never completed). */
  readonly invokeIndex: number;
  readonly completeIndex: number | null;
  readonly text: string;
}

export interface FailureDescribed {
  readonly key: string | null;
  readonly prefixLength: number;
  readonly stateAfterPrefix: string | null;
  readonly breakingOp: OpDescribed | null;
  readonly window: readonly OpDescribed[];
  readonly windowStartStates: readonly string[];
}

/** A checker's verdict on the history beside linearizability (liveness, repair). */
export interface CheckDescribed {
  readonly checker: string;
  readonly verdict: Verdict;
  readonly summary: string;
  readonly reason: string | null;
}

export interface HistoryCheckReport {
  readonly file: string;
  readonly format: HistoryFormat;
  readonly model: string;
  /** The worst of linearizability and the after-heal checks. */
  readonly verdict: Verdict;
  readonly linearizableVerdict: Verdict;
  /** Liveness and repair, for a history recorded by `quorumlab test`; empty for any other. */
  readonly afterHeal: readonly CheckDescribed[];
  readonly reason: string | null;
  readonly events: number;
  readonly operations: number;
  readonly partitions: number;
  readonly elapsedMs: number;
  /** The part of elapsedMs until the verdict, and the part spent on the failures' evidence after it. */
  readonly verdictMs: number;
  readonly evidenceMs: number;
  /** Threads the search ran on (1: the command's own). */
  readonly threads: number;
  readonly evidence: boolean;
  readonly statesExplored: number;
  readonly warnings: readonly string[];
  readonly failures: readonly FailureDescribed[];
}

/** An input problem (unknown model, unreadable or malformed file) is a value, for exit code 3. */
export type HistoryCheckOutcome =
  { readonly ok: true; readonly report: HistoryCheckReport } | { readonly ok: false; readonly error: string };

export async function historyCheck(request: HistoryCheckRequest): Promise<HistoryCheckOutcome> {
  const model = modelLookup(request.model);
  if (!model.ok) return model;
  const read = await historyFileRead(request.file, request.format);
  if (!read.ok) return read;
  if (read.events.length === 0) return { ok: false, error: `${read.path}: no events: nothing to check` };
  const checked = await checkOrShapeError(model.model, read.events, request);
  if (!checked.ok) {
    const line = read.lines[checked.error.eventIndex];
    return { ok: false, error: `${read.path}${line === undefined ? '' : `:${line}`}: ${checked.error.message}` };
  }
  const result = checked.result;
  const afterHeal = afterHealChecksRun(read.events).map((check): CheckDescribed => ({
    checker: check.checker,
    verdict: check.verdict,
    summary: check.summary,
    reason: check.reason ?? null,
  }));
  return {
    ok: true,
    report: {
      file: read.path,
      format: read.format,
      model: request.model,
      verdict: verdictWorst([result.verdict, ...afterHeal.map((check) => check.verdict)]),
      linearizableVerdict: result.verdict,
      afterHeal,
      reason: result.reason ?? null,
      events: read.events.length,
      operations: result.operations,
      partitions: result.partitions,
      elapsedMs: result.elapsedMs,
      verdictMs: result.verdictMs,
      evidenceMs: result.evidenceMs,
      threads: result.threads,
      evidence: request.evidence,
      statesExplored: result.statesExplored,
      warnings: read.warnings,
      failures: result.failures.map((failure) => failureDescribe(model.model, failure)),
    },
  };
}

/** A history the checker cannot read (two open invocations on one process, say) is bad input, not a crash. */
async function checkOrShapeError(
  model: Model,
  events: readonly HistoryEvent[],
  request: HistoryCheckRequest,
): Promise<{ ok: true; result: LinearizabilityResult } | { ok: false; error: HistoryShapeError }> {
  try {
    return {
      ok: true,
      result: await checkLinearizableParallel(model, events, {
        timeoutMs: request.timeoutMs,
        memoryBytesMax: request.memoryBytesMax,
        evidence: request.evidence,
      }),
    };
  } catch (error) {
    if (error instanceof HistoryShapeError) return { ok: false, error };
    throw error;
  }
}

/** Exact model names only: a near miss gets the list of names, not a guess. */
export function modelLookup(name: string): { ok: true; model: Model } | { ok: false; error: string } {
  const model = modelByName(name);
  if (model === undefined) return { ok: false, error: `unknown model "${name}"; models: ${modelNames.join(', ')}` };
  return { ok: true, model };
}

function failureDescribe(model: Model, failure: PartitionFailure): FailureDescribed {
  const byId = new Map<number, LinOp>(failure.operations.map((op) => [op.id, op]));
  const describe = (id: number): OpDescribed | null => {
    const op = byId.get(id);
    if (op === undefined) return null;
    return {
      id,
      process: op.process,
      invokeIndex: op.invokeIndex,
      completeIndex: op.completeIndex,
      text: model.describeOperation(op.input, op.output),
    };
  };
  return {
    key: failure.key,
    prefixLength: failure.longestPrefix.length,
    stateAfterPrefix: failure.prefixStates.at(-1) ?? null,
    breakingOp: failure.breakingOp === null ? null : describe(failure.breakingOp),
    window: failure.window.map(describe).filter((op): op is OpDescribed => op !== null),
    windowStartStates: failure.windowStartStates ?? [],
  };
}

/** A terminal summary lists this many window operations; --json has them all. */
export const windowOpsShownMax = 20;

/** The short summary a person reads in the terminal. */
export function historyCheckRender(report: HistoryCheckReport): string {
  const lines = [
    `${report.verdict}: ${report.file} (${report.format}, model ${report.model})`,
    `  ${counted(report.operations, 'operation')} from ${counted(report.events, 'event')}, ${counted(report.partitions, 'partition')}, ${counted(report.statesExplored, 'state')} explored, ${timesRender(report)}`,
  ];
  if (report.reason !== null) lines.push(`  reason: ${report.reason}`);
  for (const failure of report.failures) lines.push(...failureRender(failure));
  if (report.afterHeal.length > 0) lines.push(`  linearizable: ${report.linearizableVerdict}`);
  for (const check of report.afterHeal) lines.push(`  ${check.checker}: ${check.verdict}: ${check.summary}`);
  for (const warning of report.warnings) lines.push(`  warning: ${warning}`);
  return lines.join('\n') + '\n';
}

function failureRender(failure: FailureDescribed): string[] {
  const lines = [
    `  key ${failure.key === null ? '(whole history)' : JSON.stringify(failure.key)} cannot be linearized`,
  ];
  const state = failure.stateAfterPrefix === null ? '' : `, state ${failure.stateAfterPrefix}`;
  lines.push(`    longest linearizable prefix: ${counted(failure.prefixLength, 'operation')}${state}`);
  if (failure.breakingOp !== null) lines.push(`    breaks at: ${opRender(failure.breakingOp)}`);
  if (failure.window.length > 0) {
    const from = failure.windowStartStates.length > 0 ? ` (from state ${failure.windowStartStates.join(' or ')})` : '';
    lines.push(`    smallest failing window, ${counted(failure.window.length, 'operation')}${from}:`);
    for (const op of failure.window.slice(0, windowOpsShownMax)) lines.push(`      ${opRender(op)}`);
    const hidden = failure.window.length - windowOpsShownMax;
    if (hidden > 0) lines.push(`      ... and ${counted(hidden, 'more operation')} (--json lists them all)`);
  }
  return lines;
}

/** "12 ms" for a pass, "12 ms (verdict 3 ms, evidence 9 ms)" when evidence was built, and the threads when several. */
function timesRender(report: HistoryCheckReport): string {
  const threads = report.threads > 1 ? ` on ${report.threads} threads` : '';
  const verdict = `verdict ${msRender(report.verdictMs)}${threads}`;
  if (report.linearizableVerdict !== 'invalid') return `${msRender(report.elapsedMs)} (${verdict})`;
  const evidence = report.evidence ? `evidence ${msRender(report.evidenceMs)}` : 'evidence skipped (--no-evidence)';
  return `${msRender(report.elapsedMs)} (${verdict}, ${evidence})`;
}

function msRender(ms: number): string {
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function opRender(op: OpDescribed): string {
  const completion = op.completeIndex === null ? 'never completed' : `completed at event ${op.completeIndex}`;
  return `process ${op.process}: ${op.text} (invoked at event ${op.invokeIndex}, ${completion})`;
}

/** The same report as JSON, for --json. */
export function historyCheckJson(report: HistoryCheckReport): JsonValue {
  return JSON.parse(JSON.stringify(report)) as JsonValue;
}
