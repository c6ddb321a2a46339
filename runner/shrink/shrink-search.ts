// The search of a shrink: delta debugging over the fault episodes of a failing
// run, then halving the clients while it still fails, then cutting the time
// limit to shortly after the last kept step. Each candidate is one attempt of
// the runner the caller passes (a real `quorumlab test` child for the CLI);
// the attempts and the wall time are bounded, and every attempt is recorded.

import type { Clock } from '../../core/clock.js';
import type { TestVerdict } from '../campaign/campaign-summary.js';
import { ddmin, type ProbeVerdict } from './ddmin.js';
import { episodesOf, scheduleKeep, scheduleSpanMs, type Episode, type ScheduleJson } from './episodes.js';

/** After the last kept step the run goes on this long, so what the step set off is still seen. */
export const timeTailMs = 3000;
/** Bound on the halvings of the concurrency (1024 clients at most: ten halvings reach one). */
const concurrencyHalvingsMax = 10;

export interface ShrinkStart {
  readonly schedule: ScheduleJson;
  readonly concurrency: number;
  readonly timeLimitMs: number;
  /** The checkers the run failed; an attempt reproduces when one of them fails again (unless anyChecker). */
  readonly checkersFailed: readonly string[];
}

export interface ShrinkLimits {
  readonly attemptsMax: number;
  readonly budgetMs: number;
  /** Any invalid verdict reproduces, whichever checker gives it. */
  readonly anyChecker: boolean;
  /** Aborted (SIGINT): no attempt is started after it. */
  readonly signal?: AbortSignal;
}

export type ShrinkPhase = 'episodes' | 'concurrency' | 'time';

/** One candidate to run. */
export interface AttemptPlan {
  /** 1, 2, ...: names the attempt's files. */
  readonly number: number;
  readonly phase: ShrinkPhase;
  /** Indices of the kept episodes (into the original run's episodes). */
  readonly episodes: readonly number[];
  readonly schedule: ScheduleJson;
  readonly concurrency: number;
  readonly timeLimitMs: number;
}

export interface AttemptResult {
  readonly verdict: TestVerdict;
  /** The checkers whose verdict was invalid. */
  readonly checkersInvalid: readonly string[];
  readonly runDir: string | null;
  readonly durationMs: number;
  readonly message: string;
}

export type AttemptRun = (plan: AttemptPlan) => Promise<AttemptResult>;

export interface AttemptRecord extends Omit<AttemptPlan, 'schedule'>, AttemptResult {
  readonly reproduces: boolean;
}

export interface ShrinkOutcome {
  readonly episodes: readonly Episode[];
  /** The smallest failing candidate: the original run's when no attempt reproduced. */
  readonly kept: readonly number[];
  readonly schedule: ScheduleJson;
  readonly concurrency: number;
  readonly timeLimitMs: number;
  readonly attempts: readonly AttemptRecord[];
  /** The attempt whose run showed the kept candidate failing; null when it is the original run. */
  readonly reproducedBy: AttemptRecord | null;
  /** Why the search ended: every phase ran, or a bound cut it short. */
  readonly end: 'done' | 'attempts' | 'budget' | 'interrupted';
}

interface Candidate {
  readonly kept: readonly number[];
  readonly concurrency: number;
  readonly timeLimitMs: number;
}

export async function shrinkSearch(
  start: ShrinkStart,
  limits: ShrinkLimits,
  run: AttemptRun,
  clock: Clock,
): Promise<ShrinkOutcome> {
  const episodes = episodesOf(start.schedule);
  const startMs = clock.nowMs();
  const attempts: AttemptRecord[] = [];
  let best: Candidate = { kept: episodes.map((episode) => episode.index), ...start };
  let reproducedBy: AttemptRecord | null = null;
  let end: ShrinkOutcome['end'] = 'done';
  const tryCandidate = async (phase: ShrinkPhase, candidate: Candidate): Promise<ProbeVerdict> => {
    const bound = boundReached(attempts.length, clock.nowMs() - startMs, limits);
    if (bound !== null) {
      end = bound;
      return 'budget-spent';
    }
    const schedule = scheduleKeep(start.schedule, episodes, candidate.kept);
    const number = attempts.length + 1;
    const result = await run({ number, phase, episodes: candidate.kept, schedule, ...candidate });
    const record: AttemptRecord = {
      number,
      phase,
      episodes: candidate.kept,
      concurrency: candidate.concurrency,
      timeLimitMs: candidate.timeLimitMs,
      ...result,
      reproduces: reproduces(result, start, limits),
    };
    attempts.push(record);
    if (!record.reproduces) return 'passes';
    best = candidate;
    reproducedBy = record;
    return 'fails';
  };
  const reduced = await ddmin((kept) => tryCandidate('episodes', { ...best, kept }), {
    items: best.kept,
    attemptsMax: limits.attemptsMax,
    sizeGoal: 1,
  });
  if (reduced.end === 'attempts') end = 'attempts';
  for (let halving = 0; end === 'done' && best.concurrency > 1 && halving < concurrencyHalvingsMax; halving++) {
    const verdict = await tryCandidate('concurrency', { ...best, concurrency: Math.floor(best.concurrency / 2) });
    if (verdict !== 'fails') break;
  }
  const spanMs = scheduleSpanMs(scheduleKeep(start.schedule, episodes, best.kept));
  if (end === 'done' && spanMs !== null && spanMs + timeTailMs < best.timeLimitMs)
    await tryCandidate('time', { ...best, timeLimitMs: Math.ceil((spanMs + timeTailMs) / 1000) * 1000 });
  const final: Candidate = best;
  return Object.freeze({
    episodes,
    kept: final.kept,
    schedule: scheduleKeep(start.schedule, episodes, final.kept),
    concurrency: final.concurrency,
    timeLimitMs: final.timeLimitMs,
    attempts: Object.freeze(attempts),
    reproducedBy,
    end,
  });
}

function boundReached(
  attempts: number,
  elapsedMs: number,
  limits: ShrinkLimits,
): 'attempts' | 'budget' | 'interrupted' | null {
  if (limits.signal?.aborted === true) return 'interrupted';
  if (attempts >= limits.attemptsMax) return 'attempts';
  if (elapsedMs >= limits.budgetMs) return 'budget';
  return null;
}

/** Invalid, and (unless any checker will do) invalid by a checker the original run failed. */
function reproduces(result: AttemptResult, start: ShrinkStart, limits: ShrinkLimits): boolean {
  if (result.verdict !== 'invalid') return false;
  if (limits.anyChecker) return true;
  return result.checkersInvalid.some((checker) => start.checkersFailed.includes(checker));
}
