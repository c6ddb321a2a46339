// The iptables rules of a run inside one network namespace: DROP rules tagged
// with a comment that names the run and the directed link, so they can be
// added once, counted, and removed by tag (one link, or every rule of a run).
// Where iptables runs is the caller's: nsenter from the host (netnsRun), or a
// sidecar in the namespace driven through the engine API (swarm-netfilter.ts).

import { netnsExec } from './netns-exec.js';
import type { NetnsExecResult } from './netns-exec.js';

/** Runs a tool (its name first: "iptables") inside the namespace the rules live in. */
export type ToolRun = (command: readonly string[]) => Promise<NetnsExecResult>;

/** The tool run by nsenter into the network namespace of the process `pid`, from the host. */
export function netnsRun(pid: number): ToolRun {
  return (command) => netnsExec(pid, command);
}

export type Chain = 'INPUT' | 'OUTPUT';

export interface DropRule {
  readonly chain: Chain;
  /** INPUT rules match the source address, OUTPUT rules the destination. */
  readonly address: string;
  /** The comment that tags the rule: "quorumlab:<run id>:<from>-><to>". */
  readonly tag: string;
}

export interface RuleCounters {
  readonly packets: number;
  readonly bytes: number;
}

/** Seconds iptables waits for the xtables lock before giving up. */
const xtablesLockWaitS = '5';

export function ruleTag(runId: string, from: string, to: string): string {
  return `quorumlab:${runId}:${from}->${to}`;
}

export function runTagPrefix(runId: string): string {
  return `quorumlab:${runId}:`;
}

/** Adds the rule unless it is there already (so a repeated block is one rule). */
export async function dropRuleEnsure(run: ToolRun, rule: DropRule): Promise<NetnsExecResult> {
  const spec = ruleSpec(rule);
  const present = await run(['iptables', '-w', xtablesLockWaitS, '-C', rule.chain, ...spec]);
  if (present.ok) return present;
  return run(['iptables', '-w', xtablesLockWaitS, '-I', rule.chain, '1', ...spec]);
}

/** Removes every rule whose tag starts with `tagPrefix` (a whole tag removes one link's rule). */
export async function dropRulesRemove(run: ToolRun, tagPrefix: string): Promise<NetnsExecResult> {
  for (const chain of ['INPUT', 'OUTPUT'] as const) {
    const listed = await rulesList(run, chain);
    if (!listed.ok) return listed;
    // Highest number first, so the numbers of the rules still to delete stay valid.
    const numbers = listed.rules
      .filter((rule) => rule.tag.startsWith(tagPrefix))
      .map((rule) => rule.number)
      .sort((a, b) => b - a);
    for (const number of numbers) {
      const deleted = await run(['iptables', '-w', xtablesLockWaitS, '-D', chain, String(number)]);
      if (!deleted.ok) return deleted;
    }
  }
  return { ok: true, stdout: '' };
}

/** The counters of the rule with exactly this tag, or zero when there is none. */
export async function dropRuleCounters(
  run: ToolRun,
  chain: Chain,
  tag: string,
): Promise<{ ok: true; counters: RuleCounters } | { ok: false; error: string }> {
  const listed = await rulesList(run, chain);
  if (!listed.ok) return listed;
  const counters = listed.rules
    .filter((rule) => rule.tag === tag)
    .reduce((sum, rule) => ({ packets: sum.packets + rule.packets, bytes: sum.bytes + rule.bytes }), {
      packets: 0,
      bytes: 0,
    });
  return { ok: true, counters };
}

interface ListedRule extends RuleCounters {
  readonly number: number;
  readonly tag: string;
}

async function rulesList(
  run: ToolRun,
  chain: Chain,
): Promise<{ ok: true; rules: ListedRule[] } | { ok: false; error: string }> {
  const listed = await run(['iptables', '-w', xtablesLockWaitS, '-L', chain, '-n', '-v', '-x', '--line-numbers']);
  if (!listed.ok) return listed;
  return { ok: true, rules: rulesParse(listed.stdout) };
}

/** Parses `iptables -L -n -v -x --line-numbers`: "num pkts bytes target ... /* tag *\/". */
export function rulesParse(text: string): ListedRule[] {
  const rules: ListedRule[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s.*\/\*\s*(.*?)\s*\*\//.exec(line);
    if (match !== null)
      rules.push({ number: Number(match[1]), packets: Number(match[2]), bytes: Number(match[3]), tag: match[4]! });
  }
  return rules;
}

function ruleSpec(rule: DropRule): string[] {
  const match = rule.chain === 'INPUT' ? ['-s', `${rule.address}/32`] : ['-d', `${rule.address}/32`];
  return [...match, '-m', 'comment', '--comment', rule.tag, '-j', 'DROP'];
}
