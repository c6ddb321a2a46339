// The model name that hands `quorumlab check` over to the transactional checker,
// on its own so that check.ts loads that checker only when it is asked for.

export const txnModelName = 'txn-append';
