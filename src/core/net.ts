import net from 'node:net';
import ipaddr from 'ipaddr.js';

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

// ---- what may be blocked ----

/** The widest prefix a block may have, per family (actions/limits.ts has the defaults: /24 and /48). */
export interface BlockPrefixLimits {
  readonly v4: number;
  readonly v6: number;
}

/**
 * Ranges no edge block should ever name: they are not the public internet a client comes from (private,
 * shared, loopback, link-local, multicast, reserved), so blocking them either does nothing or cuts off
 * our own infrastructure (health checks, VPC peers, the load balancer). From the IANA special-purpose
 * registries (RFC 6890 and successors); the documentation ranges are listed apart because the sandbox's
 * simulated attackers live there, as RFC 5737 intends.
 */
const SPECIAL: readonly { readonly cidr: string; readonly what: string; readonly documentation?: true }[] = [
  { cidr: '0.0.0.0/8', what: '"this network" (RFC 1122)' },
  { cidr: '10.0.0.0/8', what: 'private (RFC 1918)' },
  { cidr: '100.64.0.0/10', what: 'carrier-grade NAT shared space (RFC 6598)' },
  { cidr: '127.0.0.0/8', what: 'loopback' },
  { cidr: '169.254.0.0/16', what: 'link-local' },
  { cidr: '172.16.0.0/12', what: 'private (RFC 1918)' },
  { cidr: '192.0.0.0/24', what: 'IETF protocol assignments (reserved)' },
  { cidr: '192.0.2.0/24', what: 'documentation (RFC 5737)', documentation: true },
  { cidr: '192.168.0.0/16', what: 'private (RFC 1918)' },
  { cidr: '198.18.0.0/15', what: 'benchmarking (reserved, RFC 2544)' },
  { cidr: '198.51.100.0/24', what: 'documentation (RFC 5737)', documentation: true },
  { cidr: '203.0.113.0/24', what: 'documentation (RFC 5737)', documentation: true },
  { cidr: '224.0.0.0/4', what: 'multicast' },
  { cidr: '240.0.0.0/4', what: 'reserved (and broadcast)' },
  { cidr: '::/128', what: 'the unspecified address' },
  { cidr: '::1/128', what: 'loopback' },
  { cidr: '::ffff:0:0/96', what: 'IPv4-mapped (name the IPv4 address instead)' },
  { cidr: '100::/64', what: 'discard-only (RFC 6666)' },
  { cidr: '2001:2::/48', what: 'benchmarking (reserved, RFC 5180)' },
  { cidr: '2001:db8::/32', what: 'documentation (RFC 3849)', documentation: true },
  { cidr: '3fff::/20', what: 'documentation (RFC 9637)', documentation: true },
  { cidr: 'fc00::/7', what: 'unique local (ULA, private)' },
  { cidr: 'fe80::/10', what: 'link-local' },
  { cidr: 'fec0::/10', what: 'site-local (deprecated, private)' },
  { cidr: 'ff00::/8', what: 'multicast' },
];

const SPECIAL_PARSED = SPECIAL.map((s) => ({ ...s, range: ipaddr.parseCIDR(s.cidr) }));

/** An address or CIDR as ipaddr.js holds it; undefined when Node does not take it for an IP (no zone ids, no classful forms). */
function parseStrict(address: string): { ip: ipaddr.IPv4 | ipaddr.IPv6; bits: number; text: string } | undefined {
  const text = address.trim();
  const [ip = '', bits] = text.split('/');
  if (net.isIP(ip) === 0 || ip.includes('%') || (bits !== undefined && !/^\d{1,3}$/.test(bits))) return undefined;
  try {
    const parsed = ipaddr.parse(ip);
    const max = parsed.kind() === 'ipv4' ? 32 : 128;
    const n = bits === undefined ? max : Number(bits);
    return n > max ? undefined : { ip: parsed, bits: n, text };
  } catch {
    return undefined;
  }
}

function networkOf(ip: ipaddr.IPv4 | ipaddr.IPv6, bits: number): string {
  const bytes = ip.toByteArray();
  return ipaddr
    .fromByteArray(
      bytes.map((b, i) => (i * 8 >= bits ? 0 : i * 8 + 8 <= bits ? b : b & (0xff << (8 - (bits - i * 8))) & 0xff)),
    )
    .toString();
}

/** Why a CIDR is malformed: it has host bits set (1.2.3.4/8 means 1.0.0.0/8), or is not an address at all. */
export function cidrProblem(address: string): string | undefined {
  const p = parseStrict(address);
  if (!p) return `${address} is not an IP address or CIDR`;
  const network = networkOf(p.ip, p.bits);
  if (network !== p.ip.toString())
    return `${address} has host bits set: the range it names is ${network}/${p.bits} (give that, or the single address)`;
  return undefined;
}

/**
 * Why an address or range must not be blocked at the edge, or undefined when it may be: malformed or
 * with host bits set; the whole internet; wider than the configured prefix limit; overlapping a
 * special-purpose range (private, CGNAT, loopback, link-local, multicast, reserved, and documentation
 * unless `allowDocumentation`, which only the sandbox sets).
 */
export function blockProblem(
  address: string,
  limits: BlockPrefixLimits,
  options: { readonly allowDocumentation?: boolean } = {},
): string | undefined {
  const malformed = cidrProblem(address);
  if (malformed) return malformed;
  const p = parseStrict(address)!;
  const v4 = p.ip.kind() === 'ipv4';
  if (p.bits === 0)
    return `${address} is the whole ${v4 ? 'IPv4' : 'IPv6'} internet: blocking it would refuse every user`;
  const limit = v4 ? limits.v4 : limits.v6;
  if (p.bits < limit) {
    const count = 2 ** ((v4 ? 32 : 128) - p.bits);
    return `${address} covers ${count.toLocaleString('en-US')} addresses: a block is at most a /${limit} (limits.blockPrefix${v4 ? 'V4' : 'V6'}); block the attacking addresses or a narrower range`;
  }
  for (const s of SPECIAL_PARSED) {
    if (s.range[0].kind() !== p.ip.kind() || (s.documentation && options.allowDocumentation)) continue;
    const [sip, sbits] = s.range;
    const overlaps = p.ip.match(s.range) || sip.match(p.ip, p.bits);
    if (overlaps) {
      const inside = p.bits >= sbits;
      return `${address} ${inside ? 'is in' : 'contains'} ${s.cidr}, ${s.what}: not an address the public internet reaches us from; blocking it would not stop an attacker and could cut off our own traffic`;
    }
  }
  return undefined;
}
