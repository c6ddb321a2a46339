// A record between LSN allocation and durability, with the client waiting for
// it and any answers that depend on it becoming durable (a cas that failed
// against this record's value must not answer before the record is durable).

import type { ClientResponse } from '../protocol/client-messages.js';
import type { StoreErrorCode } from '../protocol/errors.js';
import type { LogRecord } from '../protocol/storage-messages.js';

/** Sends one response to the client connection that asked. */
export type Respond = (response: ClientResponse) => void;

/** What became of a record: durable, or the error its waiters are answered with. */
export type InflightOutcome = 'durable' | Extract<StoreErrorCode, 'quorum-timeout' | 'fenced' | 'shutting-down'>;

export interface Inflight {
  readonly record: LogRecord;
  /** The request id to answer, and where; null once answered (quorum-timeout, fenced). */
  respond: Respond | null;
  readonly requestId: number;
  readonly bornMs: number;
  /** Run when the record is durable, or when the writer gives up on it (fenced, stopping). */
  dependents: ((outcome: InflightOutcome) => void)[] | null;
}

export function inflightDependentAdd(inflight: Inflight, dependent: (outcome: InflightOutcome) => void): void {
  if (inflight.dependents === null) inflight.dependents = [];
  inflight.dependents.push(dependent);
}
