import net from 'node:net';

/**
 * Addresses and CIDRs as a WAF IP set holds them. Node's BlockList does the matching, so that IPv6 in
 * any spelling (compressed, upper case) and an address inside a blocked range are judged as AWS would.
 */

type Family = 'ipv4' | 'ipv6';

/** The CIDR form of an address (203.0.113.7 → 203.0.113.7/32, 2001:db8::1 → 2001:db8::1/128). */
export function cidrOf(address: string): string {
  const a = address.trim();
  if (a.includes('/')) return a;
  return `${a}/${net.isIPv6(a) ? 128 : 32}`;
}

function parse(address: string): { ip: string; bits: number; family: Family } | undefined {
  const [ip = '', bits = ''] = cidrOf(address).split('/');
  const version = net.isIP(ip);
  if (version === 0 || !/^\d+$/.test(bits)) return undefined;
  return { ip, bits: Number(bits), family: version === 6 ? 'ipv6' : 'ipv4' };
}

/** The WAF IPAddressVersion an address belongs to. */
export function ipVersion(address: string): 'IPV4' | 'IPV6' {
  return parse(address)?.family === 'ipv6' ? 'IPV6' : 'IPV4';
}

/**
 * Whether one of the entries (addresses or CIDRs) covers every address of `address` (an address or a
 * CIDR): an entry of the same family, no longer a prefix, that holds the address's first bits.
 */
export function covers(entries: readonly string[], address: string): boolean {
  return coveringEntries(entries, address).length > 0;
}

/** The entries that cover every address of `address` (see covers). */
export function coveringEntries(entries: readonly string[], address: string): string[] {
  const want = parse(address);
  if (!want) return [];
  return entries.filter((entry) => {
    const e = parse(entry);
    if (!e || e.family !== want.family || e.bits > want.bits) return false;
    const list = new net.BlockList();
    list.addSubnet(e.ip, e.bits, e.family);
    return list.check(want.ip, want.family);
  });
}

/** Whether two entries name the same range (203.0.113.7 and 203.0.113.7/32; IPv6 in any spelling). */
export function sameRange(a: string, b: string): boolean {
  const x = parse(a);
  const y = parse(b);
  return x !== undefined && y !== undefined && x.family === y.family && x.bits === y.bits && covers([a], b);
}
