// The node-log checker: reads the store processes' logs (format in
// cluster/log.ts). A FATAL line or a crash trace means a node hit an assertion
// or died, and `data-loss:` lines mean a node knows it lost data; either makes
// the run invalid. ERROR and WARN lines are counted.

import { logLineParse } from '../cluster/log.js';
import type { LogEvidence, NodeLogCounts, NodeLogsDetails } from './checker-details.js';
import type { NodeLogsResult } from './checker.js';
import { evidenceMax } from './history-ops.js';

export interface NodeLogText {
  readonly node: string;
  readonly text: string;
}

const checkerName = 'node-logs';
const dataLossPrefix = 'data-loss:';

/**
 * Lines that are not in the log format but that a dying process writes to the
 * same file: stack frames, uncaught errors, V8 and signal messages.
 */
const crashPatterns: readonly RegExp[] = [
  /^\s+at\s/,
  /^(Uncaught\s+)?[A-Z]\w*(Error|Exception)(\s\[\w+\])?:\s/,
  /^FATAL ERROR:/,
  /^node:internal\//,
  /^(Segmentation fault|Aborted|Bus error)\b/,
  /\bcore dumped\b/,
];

export function checkNodeLogs(logs: readonly NodeLogText[]): NodeLogsResult {
  if (logs.length === 0) {
    const reason = 'no node logs were given';
    return { checker: checkerName, verdict: 'unknown', summary: reason, reason, details: null };
  }
  const fatal: LogEvidence[] = [];
  const dataLoss: LogEvidence[] = [];
  const crash: LogEvidence[] = [];
  const perNode = logs.map((log) => nodeLogScan(log, { fatal, dataLoss, crash }));
  const total = (field: 'fatal' | 'dataLoss' | 'crashLines' | 'error' | 'warn'): number =>
    perNode.reduce((sum, counts) => sum + counts[field], 0);
  const details: NodeLogsDetails = { perNode, fatal, dataLoss, crash };
  const figures = `${total('error')} ERROR, ${total('warn')} WARN lines in ${logs.length} node logs`;
  const problems = [
    total('fatal') > 0 ? `${total('fatal')} FATAL lines` : null,
    total('crashLines') > 0 ? `${total('crashLines')} crash-trace lines` : null,
    total('dataLoss') > 0 ? `${total('dataLoss')} data-loss lines` : null,
  ].filter((problem): problem is string => problem !== null);
  if (problems.length > 0) {
    const first = fatal[0] ?? crash[0] ?? dataLoss[0];
    const reason = first === undefined ? problems.join(', ') : `${first.node} line ${first.line}: ${first.text}`;
    return { checker: checkerName, verdict: 'invalid', summary: `${problems.join(', ')}; ${figures}`, reason, details };
  }
  return { checker: checkerName, verdict: 'valid', summary: `no FATAL, crash or data-loss lines; ${figures}`, details };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface EvidenceLists {
  readonly fatal: LogEvidence[];
  readonly dataLoss: LogEvidence[];
  readonly crash: LogEvidence[];
}

function nodeLogScan(log: NodeLogText, evidence: EvidenceLists): NodeLogCounts {
  const counts: Mutable<NodeLogCounts> = {
    node: log.node,
    lines: 0,
    error: 0,
    warn: 0,
    fatal: 0,
    dataLoss: 0,
    crashLines: 0,
  };
  const keep = (list: LogEvidence[], line: number, text: string): void => {
    if (list.length < evidenceMax) list.push({ node: log.node, line, text });
  };
  log.text.split('\n').forEach((raw, i) => {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return;
    counts.lines++;
    const parsed = logLineParse(text);
    if (parsed === null) {
      if (crashPatterns.some((pattern) => pattern.test(text))) {
        counts.crashLines++;
        keep(evidence.crash, i + 1, text);
      }
      return;
    }
    if (parsed.message.startsWith(dataLossPrefix)) {
      counts.dataLoss++;
      keep(evidence.dataLoss, i + 1, text);
    }
    if (parsed.level === 'FATAL') {
      counts.fatal++;
      keep(evidence.fatal, i + 1, text);
    } else if (parsed.level === 'ERROR') counts.error++;
    else if (parsed.level === 'WARN') counts.warn++;
  });
  return counts;
}
