// `--docker-engines az0=URL,az1=URL,...`: which Docker engine each AZ's nodes
// run on. A URL is unix:///path/to/docker.sock, tcp://HOST:PORT (plain HTTP,
// for an engine on a private network) or `local` (this machine's default
// engine). On one machine every AZ maps to the local engine; on three hosts
// each AZ to its host's engine, all of them joined in one swarm.

import Docker from 'dockerode';
import { DockerEngineUnavailable, enginePingTimeoutMs, errorText, withTimeout } from './docker-engine.js';

/** The AZs a cluster has (the store's design: 3 AZs of 2 storage nodes). */
export const engineAzCount = 3;
const portMax = 65_535;

export type EngineUrl =
  | { readonly kind: 'local' }
  | { readonly kind: 'unix'; readonly socketPath: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

export type EnginesParse =
  { readonly ok: true; readonly engines: readonly EngineUrl[] } | { readonly ok: false; readonly error: string };

/** One engine URL per AZ, in AZ order; every AZ must be named once. */
export function enginesParse(text: string, where = '--docker-engines'): EnginesParse {
  const engines = new Map<number, EngineUrl>();
  for (const part of text.split(',').map((item) => item.trim())) {
    const match = /^az(\d)=(.+)$/.exec(part);
    if (match === null)
      return {
        ok: false,
        error: `${where}: expected AZ=URL like az0=unix:///var/run/docker.sock, got ${JSON.stringify(part)}`,
      };
    const az = Number(match[1]);
    if (az >= engineAzCount)
      return { ok: false, error: `${where}: the cluster has AZs az0 to az${engineAzCount - 1}, got az${az}` };
    if (engines.has(az)) return { ok: false, error: `${where}: az${az} is given twice` };
    const url = engineUrlParse(match[2]!);
    if (typeof url === 'string') return { ok: false, error: `${where}: az${az}: ${url}` };
    engines.set(az, url);
  }
  const missing = Array.from({ length: engineAzCount }, (_, az) => az).filter((az) => !engines.has(az));
  if (missing.length > 0) return { ok: false, error: `${where}: missing ${missing.map((az) => `az${az}`).join(', ')}` };
  return { ok: true, engines: Array.from({ length: engineAzCount }, (_, az) => engines.get(az)!) };
}

/** An engine URL, or the reason it is not one. */
export function engineUrlParse(text: string): EngineUrl | string {
  if (text === 'local') return { kind: 'local' };
  const unix = /^unix:\/\/(\/.+)$/.exec(text);
  if (unix !== null) return { kind: 'unix', socketPath: unix[1]! };
  const tcp = /^tcp:\/\/([A-Za-z0-9.-]+):(\d{1,5})$/.exec(text);
  if (tcp !== null && Number(tcp[2]) >= 1 && Number(tcp[2]) <= portMax)
    return { kind: 'tcp', host: tcp[1]!, port: Number(tcp[2]) };
  return `expected local, unix:///path/to/docker.sock or tcp://HOST:PORT, got ${JSON.stringify(text)}`;
}

export function engineUrlText(url: EngineUrl): string {
  return url.kind === 'local'
    ? 'local'
    : url.kind === 'unix'
      ? `unix://${url.socketPath}`
      : `tcp://${url.host}:${url.port}`;
}

/** A client of the engine (not yet pinged). */
function engineClient(url: EngineUrl): Docker {
  if (url.kind === 'local') return new Docker();
  if (url.kind === 'unix') return new Docker({ socketPath: url.socketPath });
  return new Docker({ host: url.host, port: url.port, protocol: 'http' });
}

/** Connects to the engine and pings it with a bound; an engine that does not answer is DockerEngineUnavailable. */
export async function engineConnect(url: EngineUrl): Promise<Docker> {
  const docker = engineClient(url);
  try {
    await withTimeout(docker.ping(), enginePingTimeoutMs);
  } catch (error) {
    throw new DockerEngineUnavailable(`no Docker engine answers at ${engineUrlText(url)} (${errorText(error)})`);
  }
  return docker;
}
