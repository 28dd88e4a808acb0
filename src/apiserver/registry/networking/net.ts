// IP addresses and CIDRs as k8s.io/utils/net parses them (ParseIPSloppy, ParseCIDRSloppy: IPv4 parts may
// carry leading zeros) and the IP checks of apimachinery's util/validation/ip.go and core validation's
// ValidateNonSpecialIP, with upstream's v1.32 messages. Shared by networking, discovery and ingress status.
import { isIPv6 } from 'node:net';
import { type FieldError, invalid } from '../../../api/field-errors.ts';

/** A parsed address: always 16 bytes, IPv4 as the IPv4-mapped IPv6 form, as Go's net.IP. */
export type IP = Uint8Array;

const v4Prefix = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const p of parts) {
    // Sloppy parsing: decimal digits, leading zeros allowed, value at most 255.
    if (!/^[0-9]+$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    bytes.push(n);
  }
  return bytes;
}

function parseIPv6(s: string): number[] | undefined {
  // Go's ParseIP takes no zone ("fe80::1%eth0"); node's isIPv6 would.
  if (s.includes('%') || !isIPv6(s)) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (g.includes('.')) {
        const v4 = parseIPv4(g);
        if (v4 === undefined) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else out.push(parseInt(g, 16));
    }
    return out;
  };
  const [left, right] = s.includes('::') ? s.split('::') : [s, undefined];
  const head = groups(left ?? '');
  const tail = right === undefined ? [] : groups(right);
  if (head === undefined || tail === undefined) return undefined;
  const fill = right === undefined ? 0 : 8 - head.length - tail.length;
  const all = [...head, ...new Array<number>(fill).fill(0), ...tail];
  if (all.length !== 8) return undefined;
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

/** netutils.ParseIPSloppy: undefined when the text is no IP address. */
export function parseIP(s: string): IP | undefined {
  const v4 = parseIPv4(s);
  if (v4 !== undefined) return Uint8Array.from([...v4Prefix, ...v4]);
  const v6 = parseIPv6(s);
  return v6 === undefined ? undefined : Uint8Array.from(v6);
}

/** net.IP.To4() != nil: an IPv4 address, written either way. */
export function isV4(ip: IP): boolean {
  return v4Prefix.every((b, i) => ip[i] === b);
}

export interface CIDR {
  /** The network address (masked), 4 bytes for an IPv4 literal, else 16, as Go's IPNet.IP. */
  readonly ip: Uint8Array;
  readonly prefix: number;
}

/** netutils.ParseCIDRSloppy. */
export function parseCIDR(s: string): CIDR | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const addr = s.slice(0, slash);
  const mask = s.slice(slash + 1);
  const v4 = parseIPv4(addr);
  const bytes = v4 ?? parseIPv6(addr);
  if (bytes === undefined || !/^[0-9]+$/.test(mask)) return undefined;
  const prefix = Number(mask);
  if (prefix > bytes.length * 8) return undefined;
  return { ip: Uint8Array.from(bytes.map((b, i) => b & maskByte(prefix, i))), prefix };
}

function maskByte(prefix: number, index: number): number {
  const bits = Math.max(0, Math.min(8, prefix - index * 8));
  return (0xff << (8 - bits)) & 0xff;
}

/** IPNet.Contains: the same family, and the same bits under the mask. */
export function cidrContains(net: CIDR, ip: Uint8Array): boolean {
  let addr = ip;
  if (addr.length === 16 && isV4(addr)) addr = addr.slice(12);
  if (addr.length !== net.ip.length) return false;
  return net.ip.every((b, i) => (addr[i]! & maskByte(net.prefix, i)) === b);
}

/** validation.IsValidIP. */
export function isValidIP(path: string, value: string): FieldError[] {
  return parseIP(value) === undefined
    ? [invalid(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')]
    : [];
}

/** validation.IsValidIPv4Address. */
export function isValidIPv4Address(path: string, value: string): FieldError[] {
  const ip = parseIP(value);
  return ip === undefined || !isV4(ip) ? [invalid(path, value, 'must be a valid IPv4 address')] : [];
}

/** validation.IsValidIPv6Address. */
export function isValidIPv6Address(path: string, value: string): FieldError[] {
  const ip = parseIP(value);
  return ip === undefined || isV4(ip) ? [invalid(path, value, 'must be a valid IPv6 address')] : [];
}

/** validation.IsValidCIDR. */
export function isValidCIDR(path: string, value: string): FieldError[] {
  return parseCIDR(value) === undefined
    ? [invalid(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')]
    : [];
}

/**
 * Core validation's ValidateNonSpecialIP: endpoints may not be unspecified, loopback or link-local
 * addresses (user error, or cloud metadata servers).
 */
export function validateNonSpecialIP(value: string, path: string): FieldError[] {
  const ip = parseIP(value);
  if (ip === undefined) return [invalid(path, value, 'must be a valid IP address')];
  const errs: FieldError[] = [];
  const v4 = isV4(ip);
  const a = v4 ? ip.slice(12) : ip;
  if (a.every((b) => b === 0)) errs.push(invalid(path, value, `may not be unspecified (${value})`));
  const loopback = v4 ? a[0] === 127 : a.every((b, i) => b === (i === 15 ? 1 : 0));
  if (loopback) errs.push(invalid(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  const linkLocal = v4 ? a[0] === 169 && a[1] === 254 : a[0] === 0xfe && (a[1]! & 0xc0) === 0x80;
  if (linkLocal) {
    errs.push(invalid(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  }
  const multicast = v4 ? a[0] === 224 && a[1] === 0 && a[2] === 0 : a[0] === 0xff && (a[1]! & 0x0f) === 0x02;
  if (multicast) {
    errs.push(invalid(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  }
  return errs;
}
