// Turns a history (invocations and completions in file order) into the
// operations the search checks: each completion is paired with its process's
// open invocation, and the model converts the pair or drops it.

import type { HistoryEvent } from '../../core/history.js';
import { HistoryShapeError } from './history-shape-error.js';
import type { LinOp, Model } from './types.js';

/**
 * Positions (call, ret) are indices into `events`, so file order is all that
 * matters. An operation that ends `info`, or never ends, returns at Infinity:
 * it may take effect any time after its call, or never. Nemesis events and
 * `info` completions with no open invocation are ignored. Throws
 * HistoryShapeError for two open invocations on one process, or an ok/fail
 * completion with none open.
 */
export function historyToOperations<S, I, O>(model: Model<S, I, O>, events: readonly HistoryEvent[]): LinOp<I, O>[] {
  const open = new Map<number, number>();
  const pairs: { invoke: number; completion: number | null }[] = [];
  for (let position = 0; position < events.length; position++) {
    const event = events[position]!;
    if (typeof event.process !== 'number') continue;
    const invoke = open.get(event.process);
    if (event.type === 'invoke') {
      if (invoke !== undefined) {
        throw new HistoryShapeError(
          event.index,
          `process ${event.process} invokes while its invocation at event ${events[invoke]!.index} is still open`,
        );
      }
      open.set(event.process, position);
      continue;
    }
    if (invoke === undefined) {
      if (event.type === 'info') continue;
      throw new HistoryShapeError(
        event.index,
        `process ${event.process} completes (${event.type}) with no open invocation`,
      );
    }
    open.delete(event.process);
    pairs.push({ invoke, completion: position });
  }
  for (const invoke of open.values()) pairs.push({ invoke, completion: null });
  pairs.sort((a, b) => a.invoke - b.invoke);
  return operationsConvert(model, events, pairs);
}

function operationsConvert<S, I, O>(
  model: Model<S, I, O>,
  events: readonly HistoryEvent[],
  pairs: readonly { invoke: number; completion: number | null }[],
): LinOp<I, O>[] {
  const operations: LinOp<I, O>[] = [];
  for (const pair of pairs) {
    const invoke = events[pair.invoke]!;
    const completion = pair.completion === null ? null : events[pair.completion]!;
    const conversion = model.convert(invoke, completion);
    if (conversion === 'drop') continue;
    const definite = completion !== null && completion.type !== 'info';
    operations.push({
      id: operations.length,
      process: invoke.process as number,
      call: pair.invoke,
      ret: definite ? pair.completion! : Infinity,
      input: conversion.input,
      output: conversion.output,
      key: conversion.key,
      invokeIndex: invoke.index,
      completeIndex: definite ? completion.index : null,
    });
  }
  return operations;
}
