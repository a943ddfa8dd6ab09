import { describe, expect, it } from 'vitest';
import { cidrOf, coveringEntries, covers, ipVersion, sameRange } from '../../src/core/net.js';

describe('addresses and CIDRs as a WAF IP set holds them', () => {
  it('writes a plain address as its one-address CIDR', () => {
    expect(cidrOf('203.0.113.7')).toBe('203.0.113.7/32');
    expect(cidrOf('2001:db8::1')).toBe('2001:db8::1/128');
    expect(cidrOf(' 198.51.100.0/24 ')).toBe('198.51.100.0/24');
    expect(ipVersion('2001:db8::/32')).toBe('IPV6');
    expect(ipVersion('203.0.113.7')).toBe('IPV4');
  });

  it('an entry covers an address, or a range no wider than itself, of its own family', () => {
    const set = ['198.51.100.0/24', '203.0.113.7/32', '2001:DB8:0:0::/64'];
    expect(covers(set, '203.0.113.7')).toBe(true);
    expect(covers(set, '203.0.113.8')).toBe(false);
    expect(covers(set, '198.51.100.200')).toBe(true);
    expect(covers(set, '198.51.100.128/25')).toBe(true);
    // Wider than any entry: not covered, even though it overlaps one.
    expect(covers(set, '198.51.0.0/16')).toBe(false);
    expect(covers(set, '198.51.101.1')).toBe(false);
    // IPv6 in another spelling; an IPv4 entry never covers an IPv6 address.
    expect(covers(set, '2001:db8::abcd')).toBe(true);
    expect(covers(set, '2001:db8:0:1::1')).toBe(false);
    expect(covers(['0.0.0.0/0'], '2001:db8::1')).toBe(false);
    expect(covers(['0.0.0.0/0'], '192.0.2.1')).toBe(true);
  });

  it('lists the covering entries, and tells the same range in another spelling', () => {
    expect(coveringEntries(['198.51.100.0/24', '198.51.100.7/32', '10.0.0.0/8'], '198.51.100.7')).toEqual([
      '198.51.100.0/24',
      '198.51.100.7/32',
    ]);
    expect(sameRange('203.0.113.7', '203.0.113.7/32')).toBe(true);
    expect(sameRange('2001:DB8::7/128', '2001:db8:0:0:0:0:0:7')).toBe(true);
    expect(sameRange('203.0.113.0/24', '203.0.113.7/32')).toBe(false);
    expect(sameRange('203.0.113.0/24', '203.0.113.0/25')).toBe(false);
    expect(sameRange('nope', 'nope')).toBe(false);
  });

  it('ignores what is not an address, on either side', () => {
    expect(covers(['not-an-ip', '203.0.113.0/24'], '203.0.113.9')).toBe(true);
    expect(covers(['203.0.113.0/24'], 'nope')).toBe(false);
    expect(covers([], '203.0.113.9')).toBe(false);
  });
});
