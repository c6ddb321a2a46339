import { describe, expect, it } from 'vitest';
import {
  observeF,
  type RepairObservation,
  type RepairSeen,
  type ScrubObservation,
  type ScrubSeen,
} from './liveness-events.js';
import { blockRepairsSlack, repairChecker } from './repair.js';
import { contextFor, historyWrite, type HistoryWriter } from './test-support/history-writer.js';

const context = contextFor('register');
const nodes = ['s00', 's01', 's10'] as const;

const scrubbed = (node: string, blocksCorrupt = 0, complete = true): ScrubSeen => ({
  node,
  figures: { blocksChecked: 100, blocksCorrupt, blocksUnrepaired: blocksCorrupt, complete },
  error: null,
});
const stats = (node: string, blocksUnrepaired = 0, blockRepairsMax = 1): RepairSeen => ({
  node,
  blocksUnrepaired,
  blockRepairsMax,
  error: null,
});
const clean = nodes.map((node) => scrubbed(node));
const repaired = nodes.map((node) => stats(node));

interface RepairShape {
  readonly first?: readonly ScrubSeen[];
  readonly rounds?: readonly (readonly RepairSeen[])[];
  /** null: the run ended before the second scrub. */
  readonly second?: readonly ScrubSeen[] | null;
  /** Corrupt faults that took effect, with their targets, before the heal. */
  readonly corruptions?: readonly (readonly string[])[];
}

/** The end of a run as the runner records it: a scrub, the repair wait's rounds, a second scrub. */
function run(shape: RepairShape = {}): HistoryWriter {
  const { first = clean, rounds = [repaired], second = clean, corruptions = [] } = shape;
  const h = historyWrite().op(0, 'write', 'r0', 1, 'ok');
  for (const targets of corruptions) h.nemesis('info', 'start-corrupt-helix', { targets: [...targets] });
  h.phase('heal').nemesis('info', 'phase', 'liveness').phase('final');
  const scrub = (pass: 1 | 2, seen: readonly ScrubSeen[]): ScrubObservation => ({ pass, nodes: seen });
  h.nemesis('info', observeF.scrub, scrub(1, first));
  rounds.forEach((seen, i) => {
    const value: RepairObservation = { round: i + 1, watchedMs: i * 200, timeoutMs: 20_000, nodes: seen };
    h.nemesis('info', observeF.repair, value);
  });
  if (second !== null) h.nemesis('info', observeF.scrub, scrub(2, second));
  return h;
}

const check = (h: HistoryWriter) => repairChecker.check(h.events, context);

describe('repair checker', () => {
  it('is valid with the figures when the blocks found corrupt were repaired and the second scrub found none', () => {
    const first = [scrubbed('s00', 3), scrubbed('s01'), scrubbed('s10')];
    const rounds = [[stats('s00', 3), stats('s01'), stats('s10')], repaired];
    const result = check(run({ first, rounds }));
    expect(result.verdict, result.summary).toBe('valid');
    expect(result.details).toMatchObject({
      nodes: 3,
      blocksChecked: 300,
      blocksCorruptFound: 3,
      blocksCorruptAfter: 0,
      blocksUnrepaired: 0,
      blockRepairsMax: 1,
      repairRounds: 2,
    });
    expect(result.summary).toBe(
      '300 blocks scrubbed on 3 nodes: 3 corrupt blocks found, all repaired; the second scrub found none, at most 1 repair of one block',
    );
  });

  it('fails a run whose blocks stay unrepaired to the end of the wait', () => {
    const stuck = [stats('s00'), stats('s01', 2), stats('s10')];
    const result = check(run({ rounds: [stuck, stuck] }));
    expect(result.verdict).toBe('invalid');
    expect(result.summary).toBe('s01: 2 blocks still unrepaired after 200 ms');
    expect(result.details!.unrepaired).toEqual([{ node: 's01', blocks: 2, watchedMs: 200 }]);
  });

  it('names the first three problems in the summary and every one in the reason', () => {
    const stuck = nodes.map((node) => stats(node, 1));
    const result = check(run({ rounds: [stuck], second: nodes.map((node) => scrubbed(node, 1)) }));
    expect(result.verdict).toBe('invalid');
    expect(result.summary).toMatch(
      /^s00: 1 blocks still unrepaired .*; s10: 1 blocks still unrepaired after 0 ms; and 3 more$/,
    );
    expect(result.reason?.split('; ')).toHaveLength(6);
  });

  it('fails a run whose second scrub finds corrupt blocks', () => {
    const result = check(run({ second: [scrubbed('s00'), scrubbed('s01'), scrubbed('s10', 1)] }));
    expect(result.verdict).toBe('invalid');
    expect(result.summary).toBe('s10: the second scrub found 1 corrupt blocks');
  });

  it('fails a run where one block was repaired more often than anything damaged it', () => {
    const often = [stats('s00', 0, blockRepairsSlack + 1), stats('s01'), stats('s10')];
    const result = check(run({ rounds: [often] }));
    expect(result.verdict).toBe('invalid');
    expect(result.summary).toBe(`s00: one block repaired 4 times (at most ${blockRepairsSlack} expected)`);
  });

  it('allows one more repair of a block per corrupt fault that hit the node', () => {
    const often = [stats('s00', 0, blockRepairsSlack + 2), stats('s01'), stats('s10')];
    const corruptions = [['s00', 's01'], ['s00'], ['s10']];
    expect(check(run({ rounds: [often], corruptions })).verdict).toBe('valid');
    expect(check(run({ rounds: [often], corruptions: [['s00']] })).verdict).toBe('invalid');
  });

  it('is unknown, and says so, when the store gave no scrub figures', () => {
    const refused = nodes.map((node) => ({
      node,
      figures: null,
      error: 'reject bad-request: unknown request t "scrub"',
    }));
    const result = check(run({ first: refused }));
    expect(result.verdict).toBe('unknown');
    expect(result.reason).toContain('the store gave no scrub figures');
    expect(result.reason).toContain('unknown request t "scrub"');
  });

  it('is unknown when one node gave no figures and nothing else is wrong, naming the node', () => {
    const down: ScrubSeen = { node: 's01', figures: null, error: 'connect ECONNREFUSED' };
    const result = check(run({ first: [scrubbed('s00'), down, scrubbed('s10')] }));
    expect(result.verdict).toBe('unknown');
    expect(result.reason).toBe('no figures from s01 (first scrub: connect ECONNREFUSED)');
  });

  it('is unknown when the second scrub was cut short by its bound', () => {
    const result = check(run({ second: [scrubbed('s00'), scrubbed('s01', 0, false), scrubbed('s10')] }));
    expect(result.verdict).toBe('unknown');
    expect(result.reason).toContain('second scrub of s01 was cut short');
  });

  it('is valid with no storage nodes to scrub (the in-process store)', () => {
    const result = check(run({ first: [], rounds: [[]], second: [] }));
    expect(result.verdict).toBe('valid');
    expect(result.summary).toBe('no storage nodes to scrub');
  });

  it('is unknown when the run ended before the second scrub', () => {
    const result = check(run({ second: null }));
    expect(result.verdict).toBe('unknown');
    expect(result.reason).toContain('before the second scrub');
  });

  it('is unknown when the history has no liveness phase at all', () => {
    const result = check(historyWrite().op(0, 'write', 'r0', 1, 'ok').phase('heal'));
    expect(result.verdict).toBe('unknown');
    expect(result.reason).toContain('no scrub was observed');
  });
});
