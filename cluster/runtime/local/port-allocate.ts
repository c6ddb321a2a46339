// Free TCP ports on 127.0.0.1, asked of the operating system with port-0
// listens. All listeners of one call stay open until every port is known, so
// one call never hands out the same port twice.

import net from 'node:net';

/** Bound on ports asked for in one call (a cluster needs one per node). */
export const portsPerCallMax = 256;

export async function portsAllocate(count: number, host = '127.0.0.1'): Promise<number[]> {
  if (!Number.isInteger(count) || count < 0 || count > portsPerCallMax) {
    throw new RangeError(`portsAllocate: count must be an integer in [0, ${portsPerCallMax}], got ${count}`);
  }
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listenEphemeral(host));
    return servers.map((server) => (server.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

function listenEphemeral(host: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => resolve(server));
  });
}
