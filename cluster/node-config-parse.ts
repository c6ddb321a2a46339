// The node config file a store process is started with, parsed once at the
// process's edge: its node, its peers and the cluster config, every field
// checked. The runtime writes it, so a failure means a damaged or hand-edited
// file; the message names the field, the process exits 3 without a trace.

import { clusterConfigParse } from './config.js';
import type { Address, NodeConfig, NodeId, NodeSpec } from './topology.js';

export type NodeConfigParse =
  { readonly ok: true; readonly config: NodeConfig } | { readonly ok: false; readonly error: string };

/** Bound on peers named in one node config (every storage node and writer of the cluster). */
const peersMax = 256;
/** Bound on an availability zone index, above any geometry the config accepts. */
const azMax = 1024;

class Invalid extends Error {}

export function nodeConfigParse(text: string): NodeConfigParse {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not a node config: ${(error as Error).message}` };
  }
  try {
    const top = object(raw, 'node config');
    const node = nodeSpec(top['node'], 'node');
    if (!Array.isArray(top['peers'])) throw new Invalid(`peers: expected a list, got ${brief(top['peers'])}`);
    if (top['peers'].length > peersMax) throw new Invalid(`peers: more than ${peersMax}`);
    const peers = top['peers'].map((peer: unknown, i) => ({
      ...nodeSpec(peer, `peers[${i}]`),
      dial: address(object(peer, `peers[${i}]`)['dial'], `peers[${i}].dial`),
    }));
    const cluster = clusterConfigParse(top['cluster'], 'cluster');
    if (!cluster.ok) return { ok: false, error: cluster.error };
    return { ok: true, config: { node, peers, cluster: cluster.config } };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, error: error.message };
    throw error;
  }
}

function nodeSpec(raw: unknown, where: string): NodeSpec {
  const spec = object(raw, where);
  const role = spec['role'];
  if (role !== 'storage' && role !== 'writer')
    throw new Invalid(`${where}.role: expected storage or writer, got ${brief(role)}`);
  return {
    id: text(spec['id'], `${where}.id`) as NodeId,
    role,
    az: integer(spec['az'], `${where}.az`, 0, azMax),
    listen: address(spec['listen'], `${where}.listen`),
    dataDir: text(spec['dataDir'], `${where}.dataDir`),
  };
}

function address(raw: unknown, where: string): Address {
  const value = object(raw, where);
  return { host: text(value['host'], `${where}.host`), port: integer(value['port'], `${where}.port`, 0, 65535) };
}

function object(raw: unknown, where: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new Invalid(`${where}: expected an object, got ${brief(raw)}`);
  return raw as Record<string, unknown>;
}

function text(raw: unknown, where: string): string {
  if (typeof raw !== 'string' || raw === '')
    throw new Invalid(`${where}: expected a non-empty string, got ${brief(raw)}`);
  return raw;
}

function integer(raw: unknown, where: string, min: number, max: number): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max)
    throw new Invalid(`${where}: expected an integer from ${min} to ${max}, got ${brief(raw)}`);
  return raw;
}

function brief(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value).slice(0, 80);
}
