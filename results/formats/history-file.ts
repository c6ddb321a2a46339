// Reads a history file from disk: picks the format (given, or from the
// extension), parses it, and turns every problem into one line that names the
// file. A run directory stands for the history.jsonl inside it.

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { HistoryEvent } from '../../core/history.js';
import { problemText } from './format-problem.js';
import { historyExtensionsKnown, historyFormatDetect, historyParse, type HistoryFormat } from './history-format.js';

export type HistoryFileRead =
  | {
      readonly ok: true;
      readonly path: string;
      readonly format: HistoryFormat;
      readonly events: readonly HistoryEvent[];
      /** The line each event starts on. */
      readonly lines: readonly number[];
      /** "file:line: message" lines for problems that did not stop the parse. */
      readonly warnings: readonly string[];
    }
  | { readonly ok: false; readonly error: string };

/** Larger histories are refused: one string in V8 holds at most about 512 MiB of text. */
export const historyFileBytesMax = 500 * 1024 * 1024;

export async function historyFileRead(file: string, format: HistoryFormat | null = null): Promise<HistoryFileRead> {
  const found = await historyFileLocate(file);
  if (!found.ok) return found;
  const chosen = format ?? historyFormatDetect(found.path);
  if (chosen === null) {
    return {
      ok: false,
      error: `${file}: cannot tell the format from the name; use --format (known: ${historyExtensionsKnown()})`,
    };
  }
  const text = await readFile(found.path, 'utf8');
  const parsed = historyParse(text, chosen);
  if (!parsed.ok) return { ok: false, error: `${problemText(found.path, parsed.error)}${formatHint(text, chosen)}` };
  return {
    ok: true,
    path: found.path,
    format: chosen,
    events: parsed.events,
    lines: parsed.lines,
    warnings: parsed.warnings.map((warning) => problemText(found.path, warning)),
  };
}

/** A file whose first line is a JSON object was most likely meant as JSON lines. */
function formatHint(text: string, chosen: HistoryFormat): string {
  if (chosen === 'jsonl' || !/^\s*\{\s*"/.test(text.slice(0, 200))) return '';
  return '; the file looks like JSON lines: try --format jsonl';
}

async function historyFileLocate(file: string): Promise<{ ok: true; path: string } | { ok: false; error: string }> {
  const info = await statOrNull(file);
  if (info === null) return { ok: false, error: `${file}: no such file` };
  if (info.isDirectory()) {
    const inner = path.join(file, 'history.jsonl');
    const innerInfo = await statOrNull(inner);
    if (innerInfo === null || !innerInfo.isFile())
      return { ok: false, error: `${file}: a directory without a history.jsonl` };
    return sizeChecked(inner, innerInfo.size);
  }
  if (!info.isFile()) return { ok: false, error: `${file}: not a regular file` };
  return sizeChecked(file, info.size);
}

function sizeChecked(file: string, size: number | bigint): { ok: true; path: string } | { ok: false; error: string } {
  if (Number(size) > historyFileBytesMax) {
    return { ok: false, error: `${file}: ${size} bytes, more than the ${historyFileBytesMax} a history file may have` };
  }
  return { ok: true, path: file };
}

async function statOrNull(file: string): Promise<Awaited<ReturnType<typeof stat>> | null> {
  try {
    return await stat(file);
  } catch (error) {
    if (error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) return null;
    throw error;
  }
}
