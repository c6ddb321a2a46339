// What every history parser returns: the events, or the first problem found,
// with the line and column a person needs to fix the file. Warnings are
// problems that did not stop the parse (a truncated final line, ignored keys).

import type { HistoryEvent } from '../../core/history.js';

/** Where a problem is (1-based line and column) and what it is. */
export interface FormatProblem {
  readonly line: number;
  /** null when only the line is known. */
  readonly column: number | null;
  readonly message: string;
}

export type HistoryParse =
  | {
      readonly ok: true;
      readonly events: readonly HistoryEvent[];
      /** The 1-based line each event starts on, so later problems can name the line. */
      readonly lines: readonly number[];
      readonly warnings: readonly FormatProblem[];
    }
  | { readonly ok: false; readonly error: FormatProblem };

/** "history.edn:12:5: message", the form editors and terminals link to. */
export function problemText(source: string, problem: FormatProblem): string {
  const column = problem.column === null ? '' : `:${problem.column}`;
  return `${source}:${problem.line}${column}: ${problem.message}`;
}

export function problemAt(line: number, column: number | null, message: string): FormatProblem {
  return { line, column, message };
}
