/**
 * Which IP addresses a `call` must not reach by accident: loopback, private networks,
 * link-local (cloud metadata services live there), unspecified, multicast, reserved and
 * documentation ranges, for IPv4 and IPv6. IPv4 addresses embedded in IPv6 (`::ffff:a.b.c.d`,
 * NAT64 `64:ff9b::a.b.c.d`) are judged by their IPv4 part. Pure: no DNS, no network.
 */
import { isIP } from 'node:net';

type Range = { bytes: number[]; prefix: number; what: string };

const PRIVATE = 'an address of a private network';
const LOOPBACK = 'a loopback address (this machine itself)';
const LINK_LOCAL = 'a link-local address (where cloud metadata services answer)';
const RESERVED = 'a reserved address';

function range(cidr: string, what: string): Range {
  const [ip, prefix] = cidr.split('/') as [string, string];
  return { bytes: parseIp(ip)!, prefix: Number(prefix), what };
}

const V4: Range[] = [
  range('0.0.0.0/8', 'an unspecified address ("this network", which reaches this machine)'),
  range('10.0.0.0/8', PRIVATE),
  range('100.64.0.0/10', 'a shared address (carrier-grade NAT)'),
  range('127.0.0.0/8', LOOPBACK),
  range('169.254.0.0/16', LINK_LOCAL),
  range('172.16.0.0/12', PRIVATE),
  range('192.0.0.0/24', RESERVED),
  range('192.0.2.0/24', 'a documentation address'),
  range('192.88.99.0/24', RESERVED),
  range('192.168.0.0/16', PRIVATE),
  range('198.18.0.0/15', 'a benchmarking address'),
  range('198.51.100.0/24', 'a documentation address'),
  range('203.0.113.0/24', 'a documentation address'),
  range('224.0.0.0/4', 'a multicast address'),
  range('240.0.0.0/4', RESERVED),
];

const V6: Range[] = [
  range('::/128', 'the unspecified address (which reaches this machine)'),
  range('::1/128', LOOPBACK),
  range('::/96', 'an IPv4-compatible address (deprecated)'),
  range('100::/64', 'a discard address'),
  range('64:ff9b:1::/48', PRIVATE),
  range('2001::/32', 'a Teredo tunnel address'),
  range('2001:db8::/32', 'a documentation address'),
  range('2002::/16', 'a 6to4 tunnel address'),
  range('fc00::/7', PRIVATE),
  range('fe80::/10', LINK_LOCAL),
  range('fec0::/10', PRIVATE),
  range('ff00::/8', 'a multicast address'),
];

const MAPPED = range('::ffff:0:0/96', '');
const NAT64 = range('64:ff9b::/96', '');

function parseV4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map(Number);
}

function parseV6(text: string): number[] | undefined {
  let head = text;
  let tail: number[] = [];
  const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = parseV4(dotted[1]!);
    if (!v4) return undefined;
    tail = v4;
    head = `${text.slice(0, dotted.index)}:0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  const bytes = all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 255]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** The bytes of an IPv4 (4) or IPv6 (16) address, brackets and zone id allowed; undefined otherwise. */
export function parseIp(text: string): number[] | undefined {
  const bare = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '').toLowerCase();
  const kind = isIP(bare);
  if (kind === 4) return parseV4(bare);
  if (kind === 6) return parseV6(bare);
  return undefined;
}

function inRange(bytes: number[], r: Range): boolean {
  if (bytes.length !== r.bytes.length) return false;
  for (let bit = 0; bit < r.prefix; bit += 8) {
    const bits = Math.min(8, r.prefix - bit);
    const mask = (0xff << (8 - bits)) & 0xff;
    if ((bytes[bit / 8]! & mask) !== (r.bytes[bit / 8]! & mask)) return false;
  }
  return true;
}

/**
 * What kind of non-public address `address` is, in words ("a loopback address (this machine
 * itself)"), or undefined for a public address. Text that is not an IP address is undefined.
 */
export function specialRange(address: string): string | undefined {
  const bytes = parseIp(address);
  if (!bytes) return undefined;
  if (bytes.length === 16 && (inRange(bytes, MAPPED) || inRange(bytes, NAT64))) {
    return V4.find((r) => inRange(bytes.slice(12), r))?.what;
  }
  return (bytes.length === 4 ? V4 : V6).find((r) => inRange(bytes, r))?.what;
}

/** True for the loopback ranges (127.0.0.0/8, ::1, and IPv4-mapped loopback). */
export function isLoopback(address: string): boolean {
  return specialRange(address) === LOOPBACK;
}
