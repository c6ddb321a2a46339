// The one-line summary of each command: what `quorumlab --help` lists without
// loading any command's module, and what each module's `.description()` says.

export const commandSummary = {
  cluster: 'keep a local cluster running to poke at by hand',
  client: 'send one request to a writer (default: the writer of `quorumlab cluster up`)',
  cleanup:
    'remove leftovers of crashed runs: node processes, stale cluster state files, Docker containers and networks',
  check:
    'check a history file (history.jsonl, Jepsen/Knossos EDN, Jepsen log) for linearizability; one recorded by quorumlab test for liveness and repair too',
  test: 'run one test: start a cluster, drive it with a workload and a nemesis, heal, read back, check the history',
  report: 'rebuild the HTML report of a stored run from its files',
  campaign: 'run a campaign file: a matrix of tests with expected verdicts; writes index.html, junit.xml, summary.json',
  shrink: 're-run an invalid run with fewer faults, clients and time to find a small schedule that still fails',
  bench: 'benchmark a target with YCSB-style mixes: closed loop, open loop, or a sweep to saturation',
} as const;
