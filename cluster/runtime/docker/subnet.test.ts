// Subnets for run networks: a user's CIDR is checked with messages that say
// what is wrong, and a chosen /24 avoids every subnet existing networks hold.

import { expect, test } from 'vitest';
import { cidrParse, subnetHost, subnetParse, subnetsFree, subnetText } from './subnet.js';

test.each([
  ['10.213.7.0/24', '10.213.7.0/24'],
  ['172.30.0.0/16', '172.30.0.0/16'],
  ['10.213.7.1/24', 'host bits set; did you mean 10.213.7.0/24?'],
  ['10.213.7.0/30', 'between /8 and /28'],
  ['10.213.7/24', 'expected an IPv4 CIDR'],
])('the subnet %s reads as %s', (text, expected) => {
  const parsed = subnetParse(text);
  expect(parsed.ok ? subnetText(parsed.subnet) : parsed.error).toContain(expected);
});

test('a free /24 avoids every subnet existing networks hold, wrapping around the block from the run offset', () => {
  const used = [cidrParse('10.213.0.0/23')!, cidrParse('10.213.5.0/24')!, cidrParse('172.17.0.0/16')!];
  const free = subnetsFree(used, 254).map(subnetText);
  expect(free.slice(0, 5)).toEqual([
    '10.213.254.0/24',
    '10.213.255.0/24',
    '10.213.2.0/24',
    '10.213.3.0/24',
    '10.213.4.0/24',
  ]);
  expect(free).not.toContain('10.213.5.0/24');
  expect(free).toHaveLength(256 - 3);
  expect(subnetsFree([cidrParse('10.0.0.0/8')!], 0)).toEqual([]);
  expect(subnetHost(cidrParse('10.213.9.0/24')!, 10)).toBe('10.213.9.10');
});
