// The time and memory budget of one linearizability check. Every search the
// check runs (partitions, then the failure evidence) draws on one deadline, so
// a check never runs past its timeout however many searches it needs.

import type { Clock } from '../../core/clock.js';

export interface Budget {
  readonly clock: Clock;
  /** clock.nowMs() value after which every search stops with `unknown`. */
  readonly deadlineMs: number;
  /** Estimated bytes one search may hold (state cache, stacks, evidence log). */
  readonly memoryBytesMax: number;
  readonly timeoutMs: number;
}

export function budgetCreate(clock: Clock, timeoutMs: number, memoryBytesMax: number): Budget {
  return { clock, deadlineMs: clock.nowMs() + timeoutMs, memoryBytesMax, timeoutMs };
}

export function budgetExpired(budget: Budget): boolean {
  return budget.clock.nowMs() > budget.deadlineMs;
}

export function budgetTimeReason(budget: Budget, states: number): string {
  return `time budget of ${budget.timeoutMs} ms exhausted after ${states} states explored`;
}

export function budgetMemoryReason(budget: Budget, bytes: number, states: number): string {
  const mib = (n: number): string => (n / 1048576).toFixed(1);
  return `memory budget of ${mib(budget.memoryBytesMax)} MiB reached (about ${mib(bytes)} MiB held) after ${states} states explored`;
}
