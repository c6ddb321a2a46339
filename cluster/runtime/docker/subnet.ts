// IPv4 subnets for run networks: parsing a user's CIDR, and choosing a free
// /24 in a private block few setups use, skipping every subnet an existing
// Docker network already holds. Pure; the engine is asked by the caller.

export interface Subnet {
  /** Network address as a 32-bit unsigned number. */
  readonly base: number;
  readonly prefix: number;
}

/** The block run networks are taken from by default: 10.213.0.0/16, 256 /24s. */
export const subnetBlockDefault: Subnet = Object.freeze({ base: ipParse('10.213.0.0')!, prefix: 16 });
/** The smallest network that holds a cluster with room: a /28 has 14 hosts. */
export const subnetPrefixMax = 28;
export const subnetPrefixMin = 8;

export type SubnetParse =
  { readonly ok: true; readonly subnet: Subnet } | { readonly ok: false; readonly error: string };

export function subnetParse(text: string, where = 'subnet'): SubnetParse {
  const match = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(text.trim());
  const ip = match === null ? null : ipParse(match[1]!);
  const prefix = match === null ? NaN : Number(match[2]);
  if (ip === null || !Number.isInteger(prefix))
    return { ok: false, error: `${where}: expected an IPv4 CIDR like 10.213.7.0/24, got ${JSON.stringify(text)}` };
  if (prefix < subnetPrefixMin || prefix > subnetPrefixMax) {
    return {
      ok: false,
      error: `${where}: the prefix must be between /${subnetPrefixMin} and /${subnetPrefixMax}, got /${prefix}`,
    };
  }
  if ((ip & ~maskOf(prefix)) >>> 0 !== 0)
    return {
      ok: false,
      error: `${where}: ${text} has host bits set; did you mean ${subnetText({ base: (ip & maskOf(prefix)) >>> 0, prefix })}?`,
    };
  return { ok: true, subnet: { base: ip, prefix } };
}

/** Any IPv4 CIDR, host bits dropped, or null (IPv6 and garbage): for subnets other programs chose. */
export function cidrParse(text: string): Subnet | null {
  const match = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(text.trim());
  const ip = match === null ? null : ipParse(match[1]!);
  const prefix = match === null ? NaN : Number(match[2]);
  if (ip === null || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return null;
  return { base: (ip & maskOf(prefix)) >>> 0, prefix };
}

export function ipParse(text: string): number | null {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) return null;
  return parts.reduce((value, part) => value * 256 + part, 0);
}

export function ipText(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

export function subnetText(subnet: Subnet): string {
  return `${ipText(subnet.base)}/${subnet.prefix}`;
}

/** Usable host addresses (network and broadcast excluded). */
export function subnetHosts(subnet: Subnet): number {
  return 2 ** (32 - subnet.prefix) - 2;
}

/** The n-th host address (1-based: host 1 is the gateway). */
export function subnetHost(subnet: Subnet, n: number): string {
  return ipText(subnet.base + n);
}

export function subnetsOverlap(a: Subnet, b: Subnet): boolean {
  const prefix = Math.min(a.prefix, b.prefix);
  return (a.base & maskOf(prefix)) >>> 0 === (b.base & maskOf(prefix)) >>> 0;
}

/**
 * The /24s of the block that overlap none of `used`, starting at `start` (a
 * run-specific offset, so that runs created at the same moment tend to pick
 * different subnets) and wrapping around.
 */
export function subnetsFree(used: readonly Subnet[], start: number, block: Subnet = subnetBlockDefault): Subnet[] {
  const count = 2 ** (24 - block.prefix);
  const free: Subnet[] = [];
  for (let i = 0; i < count; i++) {
    const candidate: Subnet = { base: block.base + ((start + i) % count) * 256, prefix: 24 };
    if (!used.some((subnet) => subnetsOverlap(subnet, candidate))) free.push(candidate);
  }
  return free;
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}
