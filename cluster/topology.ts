// Who is where: the nodes of one cluster, their AZs, addresses and data
// directories, and the address each node uses to reach each peer. A runtime
// builds the topology; a fault-injecting runtime rewrites `links` so that every
// connection passes through its proxy, and the store never knows.

import type { Brand } from '../core/brand.js';
import type { ClusterConfig } from './config.js';

export type NodeId = Brand<string, 'NodeId'>;
export type NodeRole = 'writer' | 'storage';

export interface Address {
  readonly host: string;
  readonly port: number;
}

export interface NodeSpec {
  readonly id: NodeId;
  readonly role: NodeRole;
  /** 0-based availability zone index. */
  readonly az: number;
  /** Where the node listens. */
  readonly listen: Address;
  readonly dataDir: string;
}

/** What one node process is started with (written as JSON, passed by path). */
export interface NodeConfig {
  readonly node: NodeSpec;
  readonly cluster: ClusterConfig;
  /** Every other node of the cluster, with the address this node must dial to reach it. */
  readonly peers: readonly (NodeSpec & { readonly dial: Address })[];
}

/** Storage node ids are s<az><n> (s00, s01, s10, ...); writers are w0 (primary), w1.. (standbys). */
export function storageNodeId(az: number, index: number): NodeId {
  return `s${az}${index}` as NodeId;
}

export function writerNodeId(index: number): NodeId {
  return `w${index}` as NodeId;
}
