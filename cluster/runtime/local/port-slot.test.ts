import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { portsAllocate } from './port-allocate.js';

const slotEnv = 'QUORUMLAB_PORT_SLOT';
/** The band port-allocate draws from: 12000 ports below the kernel's ephemeral range, not below 10000. */
const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
const bandLow = Math.max(10_000, ephemeralLow - 12_000);

describe('node ports of tests run side by side', () => {
  afterEach(() => {
    delete process.env[slotEnv];
  });

  it.each([
    [1, 4],
    [4, 4],
    [2, 3],
  ])('slot %i of %i draws only from its own slice of the band', async (slot, slots) => {
    process.env[slotEnv] = `${slot}/${slots}`;
    const width = Math.floor((ephemeralLow - bandLow) / slots);
    const ports = await portsAllocate(32);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(bandLow + (slot - 1) * width);
      expect(port).toBeLessThan(bandLow + slot * width);
    }
  });

  it('a malformed slot is ignored: the whole band', async () => {
    process.env[slotEnv] = '5/4';
    for (const port of await portsAllocate(32)) {
      expect(port).toBeGreaterThanOrEqual(bandLow);
      expect(port).toBeLessThan(ephemeralLow);
    }
  });
});
