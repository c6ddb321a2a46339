// One storage node process started on its own, outside a cluster run: from a
// config the caller built (any geometry, any port), with extra environment,
// through the same NodeChild and readiness wait the local runtime uses. For
// tests that drive single storage nodes and look at their exit codes.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { clockCreate, type Clock } from '../../../core/clock.js';
import type { NodeConfig } from '../../topology.js';
import { storageHealthProbe } from '../shared/node-health.js';
import { readyWait } from '../shared/ready-wait.js';
import { exitDescribe, NodeChild, type NodeExit } from './node-child.js';
import { nodeScriptFor } from './node-script.js';

export interface LocalNodeSpec {
  readonly config: NodeConfig;
  /** Where the node's config file and log file go (its data directory is the config's). */
  readonly dir: string;
  /** The process marker, so that `cleanup` finds the node if its starter dies. */
  readonly runId: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Bound on the node answering health after its process starts. */
  readonly readyTimeoutMs?: number;
  /** The built project (default: <project>/dist). */
  readonly distDir?: string;
  readonly clock?: Clock;
}

const readyTimeoutMsDefault = 15_000;
const readyPollMs = 25;
/** Bound on waiting for the process to end after a signal that ends it. */
export const localNodeExitWaitMs = 10_000;

export class LocalNode {
  private constructor(
    private readonly child: NodeChild,
    readonly logPath: string,
  ) {}

  /** Starts the node and resolves once it reports ready; a node that ends first is a NodeStartError with its log tail. */
  static async start(spec: LocalNodeSpec): Promise<LocalNode> {
    const { node } = spec.config;
    if (node.role !== 'storage') throw new Error(`LocalNode.start(${node.id}): only storage nodes start on their own`);
    const script = nodeScriptFor(node.id, node.role, spec.distDir);
    const configPath = path.join(spec.dir, `${node.id}.json`);
    const logPath = path.join(spec.dir, `${node.id}.log`);
    writeFileSync(configPath, `${JSON.stringify(spec.config, null, 2)}\n`);
    const launch = { id: node.id, runId: spec.runId, script, configPath, logPath };
    const child = new NodeChild(spec.env === undefined ? launch : { ...launch, env: spec.env });
    child.start();
    const started = new LocalNode(child, logPath);
    try {
      await started.readyWait(spec);
    } catch (error) {
      await child.kill(localNodeExitWaitMs);
      throw error;
    }
    return started;
  }

  get pid(): number | null {
    return this.child.pid;
  }

  /** Sends `signal` and waits for the process to end; resolves with how it ended. */
  async signalExit(signal: 'SIGTERM' | 'SIGKILL' | 'SIGINT'): Promise<NodeExit> {
    if (this.child.signal(signal) && !(await this.child.waitExit(localNodeExitWaitMs)))
      throw new Error(`node ${this.child.launch.id} still runs ${localNodeExitWaitMs} ms after ${signal}`);
    const exit = this.child.lastExit;
    if (exit === null) throw new Error(`node ${this.child.launch.id} was never started`);
    return exit;
  }

  /** SIGKILL, waited for; nothing when the process has already ended. */
  async kill(): Promise<void> {
    await this.child.kill(localNodeExitWaitMs);
  }

  private async readyWait(spec: LocalNodeSpec): Promise<void> {
    const { node } = spec.config;
    const common = {
      nodeId: node.id,
      timeoutMs: spec.readyTimeoutMs ?? readyTimeoutMsDefault,
      pollMs: readyPollMs,
      logPath: this.logPath,
      where: null,
      exited: () => Promise.resolve(exitDescribe(this.child)),
      logRefresh: () => Promise.resolve(),
    };
    await readyWait(spec.clock ?? clockCreate(), {
      ...common,
      what: `storage node ${node.id} ready`,
      probe: (timeoutMs) => storageHealthProbe(node.listen, timeoutMs),
      ready: (health) => health.ready,
    });
  }
}
