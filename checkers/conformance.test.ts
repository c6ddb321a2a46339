// The conformance suite: every recorded history of Porcupine and Knossos that
// ships with a known verdict, parsed by our readers and checked by our checker
// with the model its VERDICTS.tsv names. The data stays outside the project;
// QUORUMLAB_CONFORMANCE_DIR points at it (default ../shared/conformance).

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { HistoryEvent } from '../core/history.js';
import { historyFileRead } from '../results/formats/history-file.js';
import { checkLinearizable, modelByName, modelNames } from './linearizable/index.js';
import type { Model } from './linearizable/types.js';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const conformanceDir = path.resolve(
  process.env['QUORUMLAB_CONFORMANCE_DIR'] ?? path.join(repositoryRoot, '..', 'shared', 'conformance'),
);
const suites = ['porcupine', 'knossos'].filter((suite) => existsSync(path.join(conformanceDir, suite, 'VERDICTS.tsv')));
const conformanceFound = suites.length > 0;

/**
 * Per-history budget: far above what any conformance file needs, so unknown
 * means a real problem. Only verdicts are compared, so no failure evidence.
 */
const checkBudget = { timeoutMs: 20_000, memoryBytesMax: 1024 * 1024 * 1024, evidence: false };
const verdictByExpected: Readonly<Record<string, string>> = { linearizable: 'valid', 'not-linearizable': 'invalid' };

interface VerdictRow {
  readonly suite: string;
  readonly file: string;
  readonly model: string;
  readonly expected: string;
  readonly ops: number;
}

function verdictRows(suite: string): VerdictRow[] {
  const text = readFileSync(path.join(conformanceDir, suite, 'VERDICTS.tsv'), 'utf8');
  const [header = '', ...lines] = text.split('\n').filter((line) => line.trim() !== '');
  const columns = header.split('\t');
  const column = (name: string): number => {
    const found = columns.indexOf(name);
    if (found === -1) throw new Error(`${suite}/VERDICTS.tsv has no column "${name}"`);
    return found;
  };
  const [fileAt, modelAt, expectedAt, opsAt] = [column('file'), column('model'), column('expected'), column('ops')];
  return lines.map((line) => {
    const cells = line.split('\t');
    return {
      suite,
      file: cells[fileAt] ?? '',
      model: cells[modelAt] ?? '',
      expected: cells[expectedAt] ?? '',
      ops: Number(cells[opsAt]),
    };
  });
}

async function eventsOf(suite: string, file: string): Promise<readonly HistoryEvent[]> {
  const read = await historyFileRead(path.join(conformanceDir, suite, file));
  if (!read.ok) throw new Error(read.error);
  return read.events;
}

function modelOf(name: string): Model {
  const model = modelByName(name);
  if (model === undefined) throw new Error(`no model named "${name}" (models: ${modelNames.join(', ')})`);
  return model;
}

function clientInvocations(events: readonly HistoryEvent[]): number {
  return events.filter((event) => event.type === 'invoke' && event.process !== 'nemesis').length;
}

function conformancePath(suite: string, file: string): string {
  return path.join(conformanceDir, suite, file);
}

if (!conformanceFound) {
  describe('conformance histories', () => {
    test.skip(`are not checked: no VERDICTS.tsv under ${conformanceDir}; set QUORUMLAB_CONFORMANCE_DIR to the conformance folder`, () => {});
  });
} else {
  const rows = suites.flatMap(verdictRows);

  describe('conformance histories', () => {
    test('both VERDICTS.tsv files are there and list histories with known verdicts', () => {
      expect(suites).toEqual(['porcupine', 'knossos']);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(Object.keys(verdictByExpected)).toContain(row.expected);
    });

    const named = rows.map((row): [string, VerdictRow] => [
      `${row.suite}/${row.file} is ${row.expected} under ${row.model}`,
      row,
    ]);
    test.each(named)('%s', async (_name, row) => {
      const events = await eventsOf(row.suite, row.file);
      expect(clientInvocations(events), 'client invocations parsed, against the ops column').toBe(row.ops);
      const result = checkLinearizable(modelOf(row.model), events, checkBudget);
      expect(result.verdict, result.reason ?? '').toBe(verdictByExpected[row.expected]);
    });
  });

  describe('conformance edge cases', () => {
    const hasFile = (suite: string, file: string): boolean => existsSync(conformancePath(suite, file));

    test.skipIf(!hasFile('porcupine', 'jepsen-etcd/etcd_095.log'))(
      'the empty etcd_095 is an empty, linearizable history',
      async () => {
        const events = await eventsOf('porcupine', 'jepsen-etcd/etcd_095.log');
        expect(events).toEqual([]);
        expect(checkLinearizable(modelOf('etcd-register'), events, checkBudget).verdict).toBe('valid');
      },
    );

    const heldBack = 'not in this copy of the conformance data (held back)';

    test.for(['etcd_100.log', 'etcd_101.log', 'etcd_102.log'])(
      '%s, separated by spaces, reads its timed-out failed reads as reads with the invoked nil',
      async (file, context) => {
        if (!hasFile('porcupine', `jepsen-etcd/${file}`)) context.skip(heldBack);
        const text = readFileSync(conformancePath('porcupine', `jepsen-etcd/${file}`), 'utf8');
        expect(text).not.toContain('\t');
        const events = await eventsOf('porcupine', `jepsen-etcd/${file}`);
        const failedReads = events.filter((event) => event.type === 'fail' && event.f === 'read');
        expect(failedReads.length).toBeGreaterThan(0);
        for (const event of failedReads) expect(event).toMatchObject({ value: null, error: 'timed-out' });
      },
    );

    test.for([
      'mongodb-v0-ack-rollback-9.edn',
      'mongodb-v0-ack-rollback-10.edn',
      'mongodb-v0-ack-rollback-11.edn',
      'mongodb-v0-ack-rollback-.edn',
    ])(
      '%s has no operation left once failures and the nemesis are dropped, and is linearizable',
      async (file, context) => {
        if (!hasFile('knossos', `cas-register/${file}`)) context.skip(heldBack);
        const events = await eventsOf('knossos', `cas-register/${file}`);
        expect(
          events.every((event) => event.type === 'fail' || event.type === 'invoke' || event.process === 'nemesis'),
        ).toBe(true);
        const result = checkLinearizable(modelOf('cas-register'), events, checkBudget);
        expect({ verdict: result.verdict, operations: result.operations }).toEqual({ verdict: 'valid', operations: 0 });
      },
    );

    const rethink = ['rethink-fail.edn', 'rethink-fail-smaller.edn'];
    test.skipIf(!rethink.every((file) => hasFile('knossos', `cas-register/${file}`)))(
      'rethink-fail and rethink-fail-smaller read as the same events',
      async () => {
        const [full, smaller] = await Promise.all(rethink.map((file) => eventsOf('knossos', `cas-register/${file}`)));
        expect(smaller).toEqual(full);
      },
    );
  });
}
