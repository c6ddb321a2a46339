// Real packet drops and slow links for the nemesis on the Docker runtime.
// A blocked directed link A -> B is an iptables DROP in B's network namespace
// on INPUT for packets from A's address: the receiver silently discards them,
// exactly like the local proxy's blackhole (a DROP on A's OUTPUT would instead
// fail A's sends at once with EPERM, which no real network does). Packets from
// the client (the host) arrive from the bridge's gateway address. Only the
// link from a node to the client has no receiving container, so its rule sits
// on the node's OUTPUT for the gateway address; the node only ever answers the
// client on connections the client opened, where the drop is silent to it.
// A partition between A and B blocks both directed links. Rules carry a
// comment with the run id, counters say how much they dropped, and a node that
// restarts (a new network namespace) gets its rules back before it is ready.

import { assert } from '../../../core/assert.js';
import type { NodeId, NodeSpec } from '../../topology.js';
import { clientLinkEnd } from '../local/link-address.js';
import type { LinkEnd } from '../local/link-address.js';
import { linkShapesClear, linkShapeSet, netemSupport, shapedDestinationsMax } from './link-shaping.js';
import type { LinkShape, NetemSupport } from './link-shaping.js';
import { dropRuleCounters, dropRuleEnsure, dropRulesRemove, netnsRun, ruleTag, runTagPrefix } from './packet-filter.js';
import type { DropRule, RuleCounters } from './packet-filter.js';
import type { RunNetwork } from './run-network.js';

export interface DirectedLink {
  readonly from: LinkEnd;
  readonly to: LinkEnd;
}

/** What the faults need from the runtime (DockerRuntime provides it). */
export interface DockerFaultTarget {
  readonly runId: string;
  nodeSpec(id: NodeId): NodeSpec;
  nodes(): readonly NodeSpec[];
  runNetwork(): RunNetwork;
  /** The container's process on the host, or null when it is not running. */
  nodePid(id: NodeId): Promise<number | null>;
  /** Called after a node's container starts again, before it is waited for. */
  nodeStartHookAdd(hook: (id: NodeId) => Promise<void>): void;
}

export type FaultOutcome = { readonly ok: true } | { readonly ok: false; readonly error: string };
export type CountersRead =
  | { readonly ok: true; readonly counters: RuleCounters; readonly running: boolean }
  | { readonly ok: false; readonly error: string };

interface Placement {
  /** The node in whose namespace the rule lives. */
  readonly node: NodeId;
  readonly rule: DropRule;
}

interface Shaped {
  readonly link: DirectedLink;
  readonly shape: LinkShape;
  readonly band: number;
}

const ok: FaultOutcome = Object.freeze({ ok: true });

export class DockerNetworkFaults {
  private readonly blocked = new Map<string, DirectedLink>();
  private readonly shaped = new Map<string, Shaped>();
  /** Nodes whose current namespace already has the root prio qdisc. */
  private readonly shapingRooted = new Set<NodeId>();

  constructor(private readonly target: DockerFaultTarget) {
    target.nodeStartHookAdd((id) => this.nodeReapply(id));
  }

  /** Drops every packet of each directed link (a -> b leaves b -> a alone). */
  async linksBlock(links: readonly DirectedLink[]): Promise<FaultOutcome> {
    for (const link of links) {
      this.blocked.set(linkKey(link), link);
      const outcome = await this.onRuleNode(this.placement(link), (pid, placement) =>
        dropRuleEnsure(netnsRun(pid), placement.rule),
      );
      if (!outcome.ok) return outcome;
    }
    return ok;
  }

  async linksUnblock(links: readonly DirectedLink[]): Promise<FaultOutcome> {
    for (const link of links) {
      this.blocked.delete(linkKey(link));
      const outcome = await this.onRuleNode(this.placement(link), (pid, placement) =>
        dropRulesRemove(netnsRun(pid), placement.rule.tag),
      );
      if (!outcome.ok) return outcome;
    }
    return ok;
  }

  /** Blocks every link between the two sides, both directions. */
  partition(sideA: readonly LinkEnd[], sideB: readonly LinkEnd[]): Promise<FaultOutcome> {
    const links: DirectedLink[] = [];
    for (const a of sideA) for (const b of sideB) links.push({ from: a, to: b }, { from: b, to: a });
    return this.linksBlock(links);
  }

  /** Packets and bytes the link's rule has dropped in the node's current namespace (counters restart with the node). */
  async linkCounters(link: DirectedLink): Promise<CountersRead> {
    const placement = this.placement(link);
    const pid = await this.target.nodePid(placement.node);
    if (pid === null) return { ok: true, counters: { packets: 0, bytes: 0 }, running: false };
    const read = await dropRuleCounters(netnsRun(pid), placement.rule.chain, placement.rule.tag);
    return read.ok ? { ok: true, counters: read.counters, running: true } : read;
  }

  linksBlocked(): readonly DirectedLink[] {
    return [...this.blocked.values()];
  }

  netemSupport(): Promise<NetemSupport> {
    return this.anyPid().then((pid) =>
      pid === null ? { supported: false, reason: 'no node is running to try tc netem in' } : netemSupport(pid),
    );
  }

  /** Delays and/or loses the packets of each directed link (shaped where they leave their sender). */
  async linksShape(links: readonly DirectedLink[], shape: LinkShape): Promise<FaultOutcome> {
    const support = await this.netemSupport();
    if (!support.supported) return { ok: false, error: support.reason };
    for (const link of links) {
      if (link.from === clientLinkEnd)
        return {
          ok: false,
          error: `cannot shape ${linkKey(link)}: netem shapes what a container sends, and the client is the host; shape ${link.to}->${clientLinkEnd} instead`,
        };
      const from = link.from;
      const existing = this.shaped.get(linkKey(link));
      const band = existing?.band ?? this.bandFree(from);
      if (band === null)
        return {
          ok: false,
          error: `cannot shape ${linkKey(link)}: ${from} already shapes ${shapedDestinationsMax} links`,
        };
      const entry = { link, shape, band };
      this.shaped.set(linkKey(link), entry);
      const outcome = await this.shapeApply(from, entry);
      if (!outcome.ok) return outcome;
    }
    return ok;
  }

  /** Removes every rule and every shaping of this run from every running node. */
  async heal(): Promise<FaultOutcome> {
    this.blocked.clear();
    this.shaped.clear();
    const errors: string[] = [];
    for (const node of this.target.nodes()) {
      const pid = await this.target.nodePid(node.id);
      if (pid === null) continue;
      const removed = await dropRulesRemove(netnsRun(pid), runTagPrefix(this.target.runId));
      if (!removed.ok) errors.push(removed.error);
      if (this.shapingRooted.delete(node.id)) {
        const cleared = await linkShapesClear(pid);
        if (cleared !== null) errors.push(cleared);
      }
    }
    return errors.length === 0 ? ok : { ok: false, error: errors.join('; ') };
  }

  /** A restarted container has a fresh namespace: put its rules and shapings back. */
  private async nodeReapply(id: NodeId): Promise<void> {
    this.shapingRooted.delete(id);
    const blocks = [...this.blocked.values()].filter((link) => this.placement(link).node === id);
    const blocked = await this.linksBlock(blocks);
    if (!blocked.ok) throw new Error(`re-applying blocked links on ${id}: ${blocked.error}`);
    for (const entry of [...this.shaped.values()].filter((shaped) => shaped.link.from === id)) {
      const shaped = await this.shapeApply(id, entry);
      if (!shaped.ok) throw new Error(`re-applying slow links on ${id}: ${shaped.error}`);
    }
  }

  private async shapeApply(from: NodeId, entry: Shaped): Promise<FaultOutcome> {
    const pid = await this.target.nodePid(from);
    // A stopped node gets its shaping when it starts.
    if (pid === null) return ok;
    const fresh = !this.shapingRooted.has(from);
    const error = await linkShapeSet(pid, entry.band, this.address(entry.link.to), entry.shape, fresh);
    if (error !== null) return { ok: false, error };
    this.shapingRooted.add(from);
    return ok;
  }

  private bandFree(from: LinkEnd): number | null {
    const used = new Set(
      [...this.shaped.values()].filter((entry) => entry.link.from === from).map((entry) => entry.band),
    );
    for (let band = 1; band <= shapedDestinationsMax; band++) if (!used.has(band)) return band;
    return null;
  }

  private placement(link: DirectedLink): Placement {
    assert(link.from !== link.to, `a link needs two ends, got ${linkKey(link)}`);
    const tag = ruleTag(this.target.runId, link.from, link.to);
    if (link.to === clientLinkEnd)
      return { node: link.from as NodeId, rule: { chain: 'OUTPUT', address: this.target.runNetwork().gateway, tag } };
    return { node: link.to, rule: { chain: 'INPUT', address: this.address(link.from), tag } };
  }

  /** Where packets of an end come from / go to: a container's address, or the gateway for the host. */
  private address(end: LinkEnd): string {
    return end === clientLinkEnd ? this.target.runNetwork().gateway : this.target.nodeSpec(end).listen.host;
  }

  /** Runs on the rule's node; a stopped node gets the rule when it starts. */
  private async onRuleNode(
    placement: Placement,
    run: (pid: number, placement: Placement) => Promise<{ ok: boolean; error?: string }>,
  ): Promise<FaultOutcome> {
    const pid = await this.target.nodePid(placement.node);
    if (pid === null) return ok;
    const result = await run(pid, placement);
    return result.ok ? ok : { ok: false, error: result.error ?? 'failed' };
  }

  private async anyPid(): Promise<number | null> {
    for (const node of this.target.nodes()) {
      const pid = await this.target.nodePid(node.id);
      if (pid !== null) return pid;
    }
    return null;
  }
}

export function linkKey(link: DirectedLink): string {
  return `${link.from}->${link.to}`;
}
