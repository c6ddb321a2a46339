// Why a node did not come up, as fields rather than a sentence: which node and
// what was waited for, a stable code from one registry, the reason, the tail of
// its log and whether its port was taken. The message is rendered from the
// fields once; callers decide (retry, report) from the fields, never the text.

import type { NodeId } from '../../topology.js';

export const nodeStartErrors = {
  'node-exited': { meaning: 'the node process or container ended before it was ready' },
  'ready-timeout': { meaning: 'the node did not answer health the way the wait needed within its bound' },
  'entry-missing': { meaning: 'the built entry point of the node is missing; the project has not been built' },
} as const satisfies Record<string, { readonly meaning: string }>;

export type NodeStartErrorCode = keyof typeof nodeStartErrors;

export interface NodeLogTail {
  readonly path: string;
  readonly tail: string;
}

export interface NodeStartFailure {
  readonly code: NodeStartErrorCode;
  readonly nodeId: NodeId;
  /** What was waited for or attempted: "storage node s00 ready". */
  readonly what: string;
  /** The reason in words: "the process exited (exit code 1)". */
  readonly why: string;
  /** Where the node ran when that is worth naming: "container ql-run-s00". */
  readonly where: string | null;
  readonly log: NodeLogTail | null;
}

/** The node's own log shows it could not bind its port (another process took it after it was chosen). */
export function logSaysPortInUse(log: NodeLogTail | null): boolean {
  return log !== null && /EADDRINUSE/.test(log.tail);
}

export class NodeStartError extends Error {
  override readonly name = 'NodeStartError';
  /** The node could not bind its port: another process took it after we chose it. */
  readonly portInUse: boolean;

  constructor(readonly failure: NodeStartFailure) {
    super(nodeStartMessage(failure));
    this.portInUse = logSaysPortInUse(failure.log);
  }

  get code(): NodeStartErrorCode {
    return this.failure.code;
  }
}

export function nodeStartMessage(failure: NodeStartFailure): string {
  const where = failure.where === null ? '' : ` (${failure.where})`;
  const log = failure.log === null ? '' : `\n--- last lines of ${failure.log.path} ---\n${failure.log.tail}`;
  return `${failure.what}: ${failure.why}${where}${log}`;
}
