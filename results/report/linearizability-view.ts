// The interactive view of a key that cannot be linearized, in the manner of
// Porcupine's visualisation: one lane per logical process, each operation a bar
// from call to return, the longest linearizable prefix numbered in its order,
// the operation that breaks it in red, the minimal failing window outlined, and
// the model state before and after each operation on hover (or tap).

import { assertNever } from '../../core/assert.js';
import type { LinearizableFailureDetails } from '../../checkers/checker-details.js';
import type { HistoryEvent } from '../../core/history.js';
import { checkerResultOf, type ReportRun } from './report-run.js';
import { htmlEscape } from './html.js';

/** Failing keys drawn; the checker stops at the first by default, and each view is large. */
const failuresDrawnMax = 3;
const laneHeight = 26;
const barHeight = 18;
const labelWidth = 64;
const plotWidth = 1000;
/** Prefix operations before the window shown in the close-up, for context. */
const contextOpsMax = 12;

type Role = 'prefix' | 'breaking' | 'window' | 'other';

interface LaneOp {
  readonly id: number;
  readonly process: number;
  readonly text: string;
  readonly callNs: number;
  /** null: never returned (info, or open at the end): it may take effect any time after its call. */
  readonly returnNs: number | null;
  readonly role: Role;
  readonly inWindow: boolean;
  /** 1-based position in the longest linearizable prefix. */
  readonly prefixPosition: number | null;
  readonly before: string;
  readonly after: string;
}

export function linearizabilityViewHtml(run: ReportRun): string {
  const failures = checkerResultOf(run, 'linearizable')?.details?.failures ?? [];
  if (failures.length === 0) return '';
  const shown = failures
    .slice(0, failuresDrawnMax)
    .map((failure, i) => failureHtml(failure, run.history, i))
    .join('\n');
  const more =
    failures.length > failuresDrawnMax
      ? `<p class="note">${failures.length - failuresDrawnMax} more failing keys are in results.json.</p>`
      : '';
  return `<section id="linearizability-failure" class="failure-view">
<h2>Linearizability failure</h2>
<p class="note">Bars run from call to return, one lane per logical process. <span class="swatch prefix"></span> longest linearizable prefix (numbered in linearization order),
<span class="swatch breaking"></span> the operation that cannot follow it, <span class="swatch window"></span> outline: a smallest window that fails on its own, dashed: never returned.
Hover or tap an operation for the model state before and after it.</p>
${shown}${more}
<div id="lin-tooltip" class="lin-tooltip" hidden></div>
</section>`;
}

function failureHtml(failure: LinearizableFailureDetails, history: readonly HistoryEvent[], n: number): string {
  const ops = laneOps(failure, history);
  const key = failure.key ?? '(whole history)';
  const prefixLength = failure.prefixLength;
  const tailStart = failure.prefixTailStart;
  const breaking = ops.find((op) => op.role === 'breaking');
  const windowIds = new Set(failure.window);
  const firstWindowCall = Math.min(...ops.filter((op) => op.inWindow).map((op) => op.callNs));
  const prefixBefore = ops
    .filter((op) => op.role === 'prefix' && !op.inWindow && op.callNs < firstWindowCall)
    .slice(-contextOpsMax);
  const close = ops.filter((op) => op.inWindow || op.role === 'breaking' || prefixBefore.includes(op));
  const minimal = failure.windowMinimal === false ? ' (not minimal: the budget ran out first)' : '';
  return `<div class="lin-failure" data-key="${htmlEscape(key)}">
<h3>key <code>${htmlEscape(key)}</code></h3>
<p>Longest linearizable prefix: <b>${prefixLength}</b> operations${tailStart > 0 ? ` (the last ${prefixLength - tailStart} drawn)` : ''}.
${breaking === undefined ? 'No single breaking operation was recorded.' : `It breaks at <b class="breaking-text">${htmlEscape(breaking.text)}</b> by process ${breaking.process}.`}
Failing window: ${windowIds.size} operations${htmlEscape(minimal)}.</p>
<div class="lin-tabs" role="tablist"><button type="button" class="lin-tab active" data-target="lin-close-${n}">window</button><button type="button" class="lin-tab" data-target="lin-all-${n}">prefix tail and window</button></div>
<div class="lin-scroll" id="lin-close-${n}">${lanesSvg(close)}</div>
<div class="lin-scroll" id="lin-all-${n}" hidden>${lanesSvg(ops)}</div>
<div class="lin-pinned note">Tap or click an operation to keep its details here.</div>
</div>`;
}

function laneOps(failure: LinearizableFailureDetails, history: readonly HistoryEvent[]): LaneOp[] {
  const tail = failure.prefixTail;
  const tailStart = failure.prefixTailStart;
  const states = failure.prefixTailStates;
  const windowIds = new Set(failure.window);
  const windowStates = failure.windowStartStates;
  const breakingId = failure.breakingOp;
  const tailPosition = new Map(tail.map((id, i) => [id, i]));
  const lastState = states[states.length - 1] ?? (tailStart === 0 ? 'the initial state' : 'unknown');
  return failure.operations.flatMap((op): LaneOp[] => {
    const id = op.id;
    const callNs = timeAt(history, op.invokeIndex);
    if (callNs === null) return [];
    const completeIndex = op.completeIndex;
    const position = tailPosition.get(id);
    const role: Role =
      position !== undefined ? 'prefix' : id === breakingId ? 'breaking' : windowIds.has(id) ? 'window' : 'other';
    const before =
      position !== undefined
        ? position > 0
          ? (states[position - 1] ?? '?')
          : tailStart === 0
            ? 'the initial state'
            : 'not kept (earlier in the prefix)'
        : role === 'breaking'
          ? lastState
          : windowStates.join(' | ') || 'unknown';
    const after =
      position !== undefined
        ? (states[position] ?? '?')
        : role === 'breaking'
          ? 'none: the model cannot apply it after the prefix'
          : 'not linearized';
    return [
      {
        id,
        process: op.process,
        text: op.text,
        callNs,
        returnNs: completeIndex === null ? null : timeAt(history, completeIndex),
        role,
        inWindow: windowIds.has(id),
        prefixPosition: position === undefined ? null : tailStart + position + 1,
        before,
        after,
      },
    ];
  });
}

function lanesSvg(ops: readonly LaneOp[]): string {
  if (ops.length === 0) return '<p class="note">No operations to draw.</p>';
  const processes = [...new Set(ops.map((op) => op.process))].sort((a, b) => a - b);
  const t0 = Math.min(...ops.map((op) => op.callNs));
  const t1 = Math.max(...ops.map((op) => op.returnNs ?? op.callNs), t0 + 1);
  const span = (t1 - t0) * 1.04;
  const x = (ns: number): number => labelWidth + ((ns - t0) / span) * plotWidth;
  const height = processes.length * laneHeight + 24;
  const lanes = processes.map(
    (process, i) =>
      `<text class="lane-label" x="4" y="${i * laneHeight + 17}">p${process}</text><line class="lane-line" x1="${labelWidth}" x2="${labelWidth + plotWidth}" y1="${i * laneHeight + laneHeight - 1}" y2="${i * laneHeight + laneHeight - 1}"/>`,
  );
  const bars = ops.map((op) => barSvg(op, processes.indexOf(op.process), x, x(t1 + (t1 - t0) * 0.03)));
  const axis = `<text class="axis-label" x="${labelWidth}" y="${height - 6}">${(t0 / 1e9).toFixed(3)} s</text><text class="axis-label" text-anchor="end" x="${labelWidth + plotWidth}" y="${height - 6}">${(t1 / 1e9).toFixed(3)} s</text>`;
  return `<svg class="lin-lanes" viewBox="0 0 ${labelWidth + plotWidth + 8} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" role="img" aria-label="operations by process">${lanes.join('')}${bars.join('')}${axis}</svg>`;
}

function barSvg(op: LaneOp, lane: number, x: (ns: number) => number, openEnd: number): string {
  const left = x(op.callNs);
  const right = op.returnNs === null ? openEnd : x(op.returnNs);
  const width = Math.max(3, right - left);
  const y = lane * laneHeight + 3;
  const label = `${op.prefixPosition === null ? '' : `#${op.prefixPosition} `}${op.text}`;
  const fits = label.length * 6.2 < width - 4;
  const tip = [
    op.text,
    `process ${op.process}, op ${op.id}`,
    `call ${(op.callNs / 1e9).toFixed(4)} s, return ${op.returnNs === null ? 'never (indefinite)' : `${(op.returnNs / 1e9).toFixed(4)} s`}`,
    roleText(op),
    `state before: ${op.before}`,
    `state after: ${op.after}`,
  ].join('\n');
  const classes = ['lin-op', `role-${op.role}`, op.inWindow ? 'in-window' : '', op.returnNs === null ? 'open' : '']
    .filter((name) => name !== '')
    .join(' ');
  return `<g class="${classes}" data-op="${op.id}" data-tip="${htmlEscape(tip)}" tabindex="0"><title>${htmlEscape(tip)}</title><rect x="${left.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${barHeight}" rx="3"/>${fits ? `<text x="${(left + 3).toFixed(1)}" y="${y + 13}">${htmlEscape(label)}</text>` : ''}</g>`;
}

function roleText(op: LaneOp): string {
  const window = op.inWindow ? ', in the failing window' : '';
  switch (op.role) {
    case 'prefix':
      return `step ${op.prefixPosition ?? '?'} of the longest linearizable prefix${window}`;
    case 'breaking':
      return `breaks the prefix: no legal place for it${window}`;
    case 'window':
      return 'in the failing window, not in the prefix';
    case 'other':
      return 'not in the prefix';
    default:
      return assertNever(op.role, 'role');
  }
}

function timeAt(history: readonly HistoryEvent[], index: number | null): number | null {
  if (index === null) return null;
  const event =
    history[index]?.index === index ? history[index] : history.find((candidate) => candidate.index === index);
  return event?.time ?? null;
}
