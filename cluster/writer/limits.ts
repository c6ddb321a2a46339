// The writer's own bounds and intervals: every queue, retry and wait of the
// writer has its limit named here. Tunables a workbench run may change live in
// the cluster config (WriterTuning); these are the fixed ones.

import type { ConnectionBounds } from '../protocol/connection-guard.js';

/** Reads are served only while a read quorum of storage nodes accepted our epoch within this window. */
export const leaseMs = 400;
/** How often an idle writer renews its lease and refreshes the SCLs it knows. */
export const heartbeatIntervalMs = 100;
/** Granularity of timeouts (quorum, back-pressure, lease waits) and of resends. */
export const housekeepingIntervalMs = 20;
/** A replica that has not confirmed records for this long gets them again. */
export const resendIntervalMs = 150;
/** Bound on resend batches sent to one replica of one PG per housekeeping pass. */
export const resendBatchesPerPassMax = 4;
/** Batches of one PG that may await a write quorum at once. */
export const batchesInFlightMax = 8;
/** Records allocated and not yet durable, on top of the configured allocationLimit: bounds memory. */
export const inflightRecordsMax = 200_000;
/** Requests waiting for an LSN (back-pressure queue). */
export const allocationWaitersMax = 20_000;
/** Operations parked on one key while its state is read from storage. */
export const keyOpsWaitingMax = 4096;
/** Keys whose state the writer keeps; idle keys beyond it are forgotten (read again on use). */
export const cacheKeysMax = 200_000;
/** Idle keys examined per eviction pass. */
export const cacheEvictScanMax = 64;
/** Storage requests on the hot path (append, read) time out after this. */
export const storageRequestTimeoutMs = 1000;
/** Attempts of one storage read (first try, hedges and retries) before read-unavailable. */
export const storageReadAttemptsMax = 8;
/** Pause before retrying a storage read when no replica can serve the read point yet. */
export const storageReadRetryMs = 25;
/** Exponential-backoff bounds of reconnecting to a storage node. */
export const reconnectBackoffMsMin = 20;
export const reconnectBackoffMsMax = 500;
export const connectTimeoutMs = 1000;
/** Epoch claims before a candidate gives up and stays a standby. */
export const claimAttemptsMax = 30;
export const claimTimeoutMs = 1000;
/** Jittered pause between epoch claims: up to this times the attempt number. */
export const claimBackoffMsStep = 40;
/** Records per state-read page at recovery. */
export const stateReadPageRecords = 2000;
/** Bound on one recovery step (state-read, truncate, repair) before the attempt is retried. */
export const recoveryStepTimeoutMs = 5000;
/** Recovery attempts (with backoff) before the writer gives up and exits. */
export const recoveryAttemptsMax = 200;
export const recoveryBackoffMsMax = 1000;
/**
 * Client connections the writer accepts at once. At the bound an idle
 * connection that never sent a valid request makes room for the new one; one
 * address may hold them all, as every worker of a run connects from one host.
 */
export const clientConnectionBounds: ConnectionBounds = Object.freeze({
  connectionsMax: 1024,
  connectionsPerRemoteMax: 1024,
  frameStallMs: 5000,
});
/** Requests outstanding on one client connection; past it the connection is closed. */
export const clientConnectionOpsMax = 8192;
/** Bound on one client frame: requests are small (keys and values fit in a block). */
export const clientFrameBytesMax = 64 * 1024;
