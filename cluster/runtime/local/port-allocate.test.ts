import { readFileSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, test } from 'vitest';
import { portsAllocate, portsPerCallMax } from './port-allocate.js';

const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

describe('node ports', () => {
  test('are distinct, free, and below the ephemeral range, so no outgoing connection can take a stopped node`s port', async () => {
    const ports = await portsAllocate(40);
    expect(new Set(ports).size).toBe(40);
    for (const port of ports) expect(port).toBeLessThan(ephemeralLow);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: ports[0] }, resolve));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('refuse a count out of bounds', async () => {
    await expect(portsAllocate(portsPerCallMax + 1)).rejects.toThrow(
      `count must be an integer in [0, ${portsPerCallMax}]`,
    );
    await expect(portsAllocate(-1)).rejects.toThrow(RangeError);
  });
});
