// The history formats' public surface: read a history file in any supported
// format, parse text, and write histories as jsonl or EDN.

export { ednRead, ednReadOne, type EdnForm, type EdnPosition, type EdnRead } from './edn-reader.js';
export { ednWrite, historyEventToEdn, historyToEdn } from './edn-writer.js';
export { ednHistoryParse } from './edn-history.js';
export { problemText, type FormatProblem, type HistoryParse } from './format-problem.js';
export { historyFileRead, type HistoryFileRead } from './history-file.js';
export {
  historyFormatDetect,
  historyFormats,
  historyParse,
  isHistoryFormat,
  type HistoryFormat,
} from './history-format.js';
export { jepsenLogParse } from './jepsen-log.js';
export { historyEventToJsonl, historyToJsonl, jsonlHistoryParse } from './jsonl-history.js';
