// The connection to the Docker engine: DOCKER_HOST when set, else the default
// socket. The first call pings the engine with a bound, so that a missing
// engine is one clear error that says how to start one, not a hang.

import Docker from 'dockerode';

/** Bound on the first ping of the engine. */
export const enginePingTimeoutMs = 5000;

export const engineStartHelp =
  'Start one: `apt-get install -y docker.io iptables`, then `dockerd &` (or point DOCKER_HOST at a running engine). ' +
  'Developers without Docker can skip the Docker tests with QUORUMLAB_DOCKER_TESTS=0.';

export class DockerEngineUnavailable extends Error {
  override readonly name = 'DockerEngineUnavailable';
}

/** Where the engine is looked for, for messages. */
export function engineWhere(): string {
  const host = process.env['DOCKER_HOST'];
  return host !== undefined && host !== '' ? `DOCKER_HOST=${host}` : 'unix:///var/run/docker.sock';
}

/** Connects and pings; throws DockerEngineUnavailable (with how to start one) when nothing answers. */
export async function dockerEngineConnect(): Promise<Docker> {
  const docker = new Docker();
  try {
    await withTimeout(docker.ping(), enginePingTimeoutMs);
  } catch (error) {
    throw new DockerEngineUnavailable(
      `no Docker engine answers at ${engineWhere()} (${errorText(error)}). ${engineStartHelp}`,
    );
  }
  return docker;
}

/** An engine error's useful text: dockerode puts the engine's JSON message in `json.message`. */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const json = (error as Error & { json?: { message?: unknown } }).json;
  if (json !== undefined && json !== null && typeof json.message === 'string') return json.message;
  return error.message;
}

/** The HTTP status of an engine error (404 no such object, 304 already in that state), or null. */
export function errorStatus(error: unknown): number | null {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : null;
}

/** Rejects when `promise` has not settled within timeoutMs: every engine call has a bound. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what = 'the engine'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from ${what} within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
