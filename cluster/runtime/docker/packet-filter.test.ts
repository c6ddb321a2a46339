// Reading the drop counters of a run's tagged iptables rules from a listing.

import { expect, test } from 'vitest';
import { rulesParse } from './packet-filter.js';

test('iptables counters are read per tagged rule, and untagged rules are ignored', () => {
  const listing = [
    'Chain INPUT (policy ACCEPT 120 packets, 9000 bytes)',
    'num      pkts      bytes target     prot opt in     out     source               destination',
    '1          12     1801 DROP       0    --  *      *       10.213.7.11          0.0.0.0/0            /* quorumlab:r1:s01->s00 */',
    '2           0        0 ACCEPT     6    --  *      *       0.0.0.0/0            0.0.0.0/0',
    '3           2      120 DROP       0    --  *      *       10.213.7.1           0.0.0.0/0            /* quorumlab:r1:client->s00 */',
  ].join('\n');
  expect(rulesParse(listing)).toEqual([
    { number: 1, packets: 12, bytes: 1801, tag: 'quorumlab:r1:s01->s00' },
    { number: 3, packets: 2, bytes: 120, tag: 'quorumlab:r1:client->s00' },
  ]);
});
