// The history file formats we read, how a file's name picks one, and one entry
// point that parses text in a given format.

import { assertNever } from '../../core/assert.js';
import { ednHistoryParse } from './edn-history.js';
import type { HistoryParse } from './format-problem.js';
import { jepsenLogParse } from './jepsen-log.js';
import { jsonlHistoryParse } from './jsonl-history.js';

export type HistoryFormat = 'jsonl' | 'edn' | 'jepsen-log';

export const historyFormats: readonly HistoryFormat[] = ['jsonl', 'edn', 'jepsen-log'];

/** File extensions and the format each implies; `.txt` files are EDN maps, one per line. */
const formatByExtension: Readonly<Record<string, HistoryFormat>> = {
  '.jsonl': 'jsonl',
  '.edn': 'edn',
  '.txt': 'edn',
  '.log': 'jepsen-log',
};

export function isHistoryFormat(name: string): name is HistoryFormat {
  return (historyFormats as readonly string[]).includes(name);
}

/** The format a file name implies, or null when its extension says nothing. */
export function historyFormatDetect(fileName: string): HistoryFormat | null {
  const match = /\.[^./\\]+$/.exec(fileName.toLowerCase());
  if (match === null) return null;
  return formatByExtension[match[0]] ?? null;
}

export function historyParse(text: string, format: HistoryFormat): HistoryParse {
  switch (format) {
    case 'jsonl':
      return jsonlHistoryParse(text);
    case 'edn':
      return ednHistoryParse(text);
    case 'jepsen-log':
      return jepsenLogParse(text);
    default:
      return assertNever(format, 'history format');
  }
}

/** The extensions detection knows, for messages that ask for --format. */
export function historyExtensionsKnown(): string {
  return Object.entries(formatByExtension)
    .map(([extension, format]) => `${extension} (${format})`)
    .join(', ');
}
