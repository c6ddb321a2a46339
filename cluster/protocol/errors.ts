// The one registry of error codes the store returns to clients. `definite`
// says whether the operation certainly did not take effect: a client turns a
// definite error into `fail`, anything else (or a cut connection, or a
// timeout) into `info` for writes.

export const storeErrors = {
  'bad-request': { definite: true, meaning: 'the request was malformed or named an unknown operation' },
  'wrong-type': { definite: true, meaning: 'the key holds a register where a list was expected, or the reverse' },
  'cas-mismatch': { definite: true, meaning: 'compare-and-set found a different current value; nothing was written' },
  'not-ready': { definite: true, meaning: 'the writer is recovering or is a standby; the request was not attempted' },
  'backpressure-timeout': {
    definite: true,
    meaning: 'no LSN could be allocated within the allocation limit before the timeout; nothing was written',
  },
  'read-unavailable': { definite: true, meaning: 'no storage node could serve the read point in time' },
  'quorum-timeout': {
    definite: false,
    meaning: 'the record was sent but not acknowledged by a write quorum in time; it may still become durable',
  },
  fenced: {
    definite: false,
    meaning: 'the writer lost its epoch to another writer; records in flight may or may not survive',
  },
  'shutting-down': { definite: false, meaning: 'the writer is stopping; records in flight may or may not survive' },
} as const satisfies Record<string, { definite: boolean; meaning: string }>;

export type StoreErrorCode = keyof typeof storeErrors;
