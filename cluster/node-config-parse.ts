// The node config file a store process is started with, parsed once at the
// process's edge: its node, its peers and the cluster config, every field
// checked. The runtime writes it, so a failure means a damaged or hand-edited
// file; the message names the field, the process exits 3 without a trace.

import { clusterConfigParse } from './config.js';
import { FieldInvalid, fieldBrief, fieldInteger, fieldList, fieldObject, fieldText } from './field-check.js';
import type { Address, NodeConfig, NodeId, NodeRole, NodeSpec } from './topology.js';

export type NodeConfigParse =
  { readonly ok: true; readonly config: NodeConfig } | { readonly ok: false; readonly error: string };

/** Bound on peers named in one node config (every storage node and writer of the cluster). */
const peersMax = 256;
/** Bound on an availability zone index, above any geometry the config accepts. */
const azMax = 1024;

export function nodeConfigParse(text: string): NodeConfigParse {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not a node config: ${(error as Error).message}` };
  }
  try {
    const top = fieldObject(raw, 'node config');
    const node = nodeSpec(top['node'], 'node');
    const peers = fieldList(top['peers'], 'peers', peersMax).map((peer: unknown, i) => ({
      ...nodeSpec(peer, `peers[${i}]`),
      dial: address(fieldObject(peer, `peers[${i}]`)['dial'], `peers[${i}].dial`),
    }));
    const cluster = clusterConfigParse(top['cluster'], 'cluster');
    if (!cluster.ok) return { ok: false, error: cluster.error };
    return { ok: true, config: { node, peers, cluster: cluster.config } };
  } catch (error) {
    if (error instanceof FieldInvalid) return { ok: false, error: error.message };
    throw error;
  }
}

function nodeSpec(raw: unknown, where: string): NodeSpec {
  const spec = fieldObject(raw, where);
  return {
    id: fieldText(spec['id'], `${where}.id`) as NodeId,
    role: nodeRole(spec['role'], `${where}.role`),
    az: fieldInteger(spec['az'], `${where}.az`, 0, azMax),
    listen: address(spec['listen'], `${where}.listen`),
    dataDir: fieldText(spec['dataDir'], `${where}.dataDir`),
  };
}

function address(raw: unknown, where: string): Address {
  const value = fieldObject(raw, where);
  return {
    host: fieldText(value['host'], `${where}.host`),
    port: fieldInteger(value['port'], `${where}.port`, 0, 65535),
  };
}

export function nodeRole(raw: unknown, where: string): NodeRole {
  if (raw !== 'storage' && raw !== 'writer')
    throw new FieldInvalid(`${where}: expected storage or writer, got ${fieldBrief(raw)}`);
  return raw;
}
