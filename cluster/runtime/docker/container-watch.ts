// What state each node's container is in, known without asking the engine:
// the runtime's own actions set it, and the engine's "die" events for the run
// correct it when a node exits by itself (a crash, an assertion). An event
// triggers an inspect; its answer is dropped if an action started meanwhile.

import type Docker from 'dockerode';
import type { NodeId, NodeSpec } from '../../topology.js';
import type { NodeState } from '../runtime.js';
import { errorText } from './docker-engine.js';
import { labelNode, labelRun } from './docker-labels.js';
import type { ContainerStatus } from './node-container.js';

/** Bound on a partial event line kept between chunks. */
const eventLineBytesMax = 64 * 1024;

export class ContainerWatch {
  private readonly states = new Map<NodeId, NodeState>();
  private readonly generations = new Map<NodeId, number>();
  private stream: NodeJS.ReadableStream | null = null;

  private constructor(
    nodes: readonly NodeSpec[],
    private readonly status: (id: NodeId) => Promise<ContainerStatus | null>,
  ) {
    for (const node of nodes) {
      this.states.set(node.id, 'stopped');
      this.generations.set(node.id, 0);
    }
  }

  static async open(
    docker: Docker,
    runId: string,
    nodes: readonly NodeSpec[],
    status: (id: NodeId) => Promise<ContainerStatus | null>,
  ): Promise<ContainerWatch> {
    const watch = new ContainerWatch(nodes, status);
    const filters = JSON.stringify({ type: ['container'], event: ['die'], label: [`${labelRun}=${runId}`] });
    const stream = await docker.getEvents({ filters });
    watch.stream = stream;
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      if (partial.length > eventLineBytesMax) partial = '';
      for (const line of lines) watch.onEvent(line);
    });
    stream.on('error', (error: Error) => {
      if (watch.stream !== null)
        process.stderr.write(
          `docker runtime: the engine's event stream failed: ${error.message}; node states now follow only the runtime's own actions\n`,
        );
    });
    return watch;
  }

  state(id: NodeId): NodeState {
    const state = this.states.get(id);
    if (state === undefined) throw new Error(`no node ${id} in this cluster`);
    return state;
  }

  /** Runs an action on a node's container and records the state it leaves; on failure, asks the engine. */
  async act(id: NodeId, after: NodeState, run: () => Promise<void>): Promise<void> {
    this.generations.set(id, (this.generations.get(id) ?? 0) + 1);
    try {
      await run();
      this.states.set(id, after);
    } catch (error) {
      await this.refresh(id);
      throw error;
    }
  }

  close(): void {
    const stream = this.stream;
    this.stream = null;
    (stream as { destroy?: () => void } | null)?.destroy?.();
  }

  private onEvent(line: string): void {
    if (line.trim() === '') return;
    let event: { Actor?: { Attributes?: Record<string, string> } };
    try {
      event = JSON.parse(line) as typeof event;
    } catch (error) {
      process.stderr.write(
        `docker runtime: unreadable engine event (${(error as Error).message}): ${line.slice(0, 200)}\n`,
      );
      return;
    }
    const id = event.Actor?.Attributes?.[labelNode] as NodeId | undefined;
    if (id !== undefined && this.states.has(id)) void this.refresh(id);
  }

  private async refresh(id: NodeId): Promise<void> {
    const generation = this.generations.get(id);
    let status: ContainerStatus | null;
    try {
      status = await this.status(id);
    } catch (error) {
      process.stderr.write(`docker runtime: ${errorText(error)}\n`);
      return;
    }
    if (this.generations.get(id) !== generation) return;
    this.states.set(id, status === null || !status.running ? 'stopped' : status.paused ? 'paused' : 'running');
  }
}
