// Free TCP ports on 127.0.0.1 for nodes to listen on, taken from just below
// the kernel's ephemeral range: a node that is killed and restarted binds its
// port again, and a port of the ephemeral range could meanwhile have been
// handed to an outgoing connection (the proxy makes thousands). All listeners
// of one call stay open until every port is known, so one call never hands
// out the same port twice; a port another process holds is skipped. Tests a
// campaign runs side by side (--parallel) each get their own slice of the band
// (QUORUMLAB_PORT_SLOT), since two of them may draw before either binds.

import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';

/** Width of the band below the ephemeral range that node ports are drawn from. */
const bandPortsCount = 12_000;
/** The lowest port the band may reach (below it: well-known and registered services). */
const bandPortMin = 10_000;
/** Bound on draws that found their port taken, per call. */
const drawsTakenMax = 2_000;
/** Linux's default, when /proc does not say. */
const ephemeralLowDefault = 32_768;

/** Bound on ports asked for in one call (a cluster needs one per node). */
export const portsPerCallMax = 256;

/** "SLOT/SLOTS" (1-based): the slice of the band this process draws from. */
const portSlotEnv = 'QUORUMLAB_PORT_SLOT';

export async function portsAllocate(count: number, host = '127.0.0.1'): Promise<number[]> {
  if (!Number.isInteger(count) || count < 0 || count > portsPerCallMax) {
    throw new RangeError(`portsAllocate: count must be an integer in [0, ${portsPerCallMax}], got ${count}`);
  }
  const servers: net.Server[] = [];
  try {
    const { low, high } = bandSlice(ephemeralLow(), process.env[portSlotEnv]);
    let taken = 0;
    while (servers.length < count) {
      // A narrow or missing band falls back to the kernel's choice, as before.
      const port = high - low < count * 4 ? 0 : randomInt(low, high);
      const server = await listenOn(host, port);
      if (server !== null) servers.push(server);
      else if (++taken > drawsTakenMax) throw new Error(`portsAllocate: ${taken} ports in [${low}, ${high}) taken`);
    }
    return servers.map((server) => (server.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

/** The band below the ephemeral range, or the slot's slice of it; a malformed slot is ignored (the whole band). */
function bandSlice(ephemeral: number, slot: string | undefined): { low: number; high: number } {
  const low = Math.max(bandPortMin, ephemeral - bandPortsCount);
  const match = slot === undefined ? null : /^(\d{1,3})\/(\d{1,3})$/.exec(slot);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || index < 1 || index > count) return { low, high: ephemeral };
  const width = Math.floor((ephemeral - low) / count);
  return { low: low + (index - 1) * width, high: low + index * width };
}

/** The first port of the kernel's ephemeral range (Linux: /proc/sys/net/ipv4/ip_local_port_range). */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > bandPortMin ? low : ephemeralLowDefault;
  } catch {
    return ephemeralLowDefault;
  }
}

/** A listener on the port, or null when the port is in use. */
function listenOn(host: string, port: number): Promise<net.Server | null> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolve(null) : reject(error),
    );
    server.listen({ host, port, exclusive: true }, () => resolve(server));
  });
}
