// The list-append conformance suite: Elle's own test histories with the
// verdicts and anomaly types its tests assert, checked under the option token
// each row of VERDICTS.tsv names. The data stays outside the project;
// QUORUMLAB_CONFORMANCE_DIR points at it (default ../shared/conformance).

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { clockCreate } from '../../core/clock.js';
import { checkScopeParse } from './check-scope.js';
import { modelsImpossible } from './consistency-models.js';
import { txnCheck, txnCheckDefaults, type TxnCheckResult } from './txn-check.js';
import { txnHistoryRead } from './txn-history-read.js';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const conformanceDir = path.resolve(
  process.env['QUORUMLAB_CONFORMANCE_DIR'] ?? path.join(repositoryRoot, '..', 'shared', 'conformance'),
);
const elleDir = path.join(conformanceDir, 'elle');
const verdictsFile = path.join(elleDir, 'VERDICTS.tsv');

interface VerdictRow {
  readonly file: string;
  readonly token: string;
  readonly expectedValid: string;
  readonly expectedAnomalies: readonly string[];
  readonly notes: string;
}

function verdictRows(): VerdictRow[] {
  const text = readFileSync(verdictsFile, 'utf8');
  const [header = '', ...lines] = text.split('\n').filter((line) => line.trim() !== '');
  const columns = header.split('\t');
  const column = (name: string): number => {
    const found = columns.indexOf(name);
    if (found === -1) throw new Error(`elle/VERDICTS.tsv has no column "${name}"`);
    return found;
  };
  const at = {
    file: column('file'),
    token: column('consistency_model'),
    valid: column('expected_valid'),
    anomalies: column('expected_anomalies'),
    notes: column('notes'),
  };
  return lines.map((line) => {
    const cells = line.split('\t');
    const anomalies = cells[at.anomalies] ?? '';
    return {
      file: cells[at.file] ?? '',
      token: cells[at.token] ?? '',
      expectedValid: cells[at.valid] ?? '',
      expectedAnomalies: anomalies === '' ? [] : anomalies.split(','),
      notes: cells[at.notes] ?? '',
    };
  });
}

const verdictByExpected: Readonly<Record<string, string>> = { true: 'valid', false: 'invalid', unknown: 'unknown' };

/** Rows whose asserted anomaly set includes Elle's own time-outs (the notes say so). */
function isSpeedDependent(row: VerdictRow): boolean {
  return /PERFORMANCE-DEPENDENT|Timing-sensitive/.test(row.notes);
}

/** The `not={...}` set of the notes: the weakest models Elle says the history violates. */
function notModels(row: VerdictRow): string[] | null {
  const match = /not=\{([^}]*)\}/.exec(row.notes);
  if (match === null) return null;
  return (match[1] ?? '').split(',').filter((model) => model !== '');
}

function rowCheck(row: VerdictRow): TxnCheckResult {
  const read = txnHistoryRead(readFileSync(path.join(elleDir, row.file), 'utf8'), 'edn');
  if (!read.ok) throw new Error(`${row.file}: ${read.error}`);
  const scope = checkScopeParse(row.token);
  if (!scope.ok) throw new Error(`${row.token}: ${scope.error}`);
  return txnCheck(read.history, { ...txnCheckDefaults, scope: scope.scope, clock: clockCreate() });
}

const sorted = (items: readonly string[]): string[] => [...items].sort();

if (!existsSync(verdictsFile)) {
  describe('Elle list-append conformance', () => {
    test.skip(`is not checked: no elle/VERDICTS.tsv under ${conformanceDir}; set QUORUMLAB_CONFORMANCE_DIR`, () => {});
  });
} else {
  const rows = verdictRows();
  const exact = rows.filter((row) => !isSpeedDependent(row));
  const speed = rows.filter(isSpeedDependent);

  describe('Elle list-append conformance', () => {
    test('VERDICTS.tsv lists rows with known verdicts', () => {
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect([...Object.keys(verdictByExpected), 'unasserted']).toContain(row.expectedValid);
    });

    test.each(exact.map((row): [string, VerdictRow] => [`${row.file} under ${row.token}`, row]))(
      '%s gives the asserted verdict and anomaly types',
      (_name, row) => {
        const result = rowCheck(row);
        const shown = { verdict: result.verdict, anomalyTypes: sorted(result.anomalyTypes) };
        const expected = {
          verdict: verdictByExpected[row.expectedValid] ?? result.verdict,
          anomalyTypes: sorted(row.expectedAnomalies),
        };
        expect(shown, result.anomalies.map((c) => `${c.type}: ${c.explanation}`).join('\n')).toEqual(expected);
        const not = notModels(row);
        if (not !== null && not.length > 0) expect(sorted(result.not)).toEqual(sorted(not));
      },
      60_000,
    );

    // Elle's asserted set holds its own 1 s search time-outs; a search that
    // finishes names the cycle instead. What must hold: the verdict, and every
    // model Elle says is violated is ruled out by what we found.
    test.each(speed.map((row): [string, VerdictRow] => [`${row.file} under ${row.token}`, row]))(
      '%s (speed-dependent upstream) gives the asserted verdict and rules out the asserted models',
      (_name, row) => {
        const result = rowCheck(row);
        const exactMatch = sorted(result.anomalyTypes).join(',') === sorted(row.expectedAnomalies).join(',');
        expect(result.verdict).toBe(verdictByExpected[row.expectedValid]);
        const impossible = modelsImpossible(result.anomalies.map((c) => c.type));
        for (const model of notModels(row) ?? []) expect(impossible.has(model) || exactMatch, model).toBe(true);
      },
      120_000,
    );
  });
}
