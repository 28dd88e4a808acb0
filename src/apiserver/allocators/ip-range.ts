// The value ranges the allocators hand out: the IPv4 service CIDR (upstream's ipallocator.Range)
// and the node port range (portallocator + net.PortRange). Each maps its values to the offsets of
// an allocation bitmap and back, and carries upstream's error texts.

/** A contiguous range of values, each with an offset in [0, size). */
export interface AllocationRange<V> {
  /** What the stored RangeAllocation names: the CIDR (`10.43.0.0/16`) or the ports (`30000-32767`). */
  readonly spec: string;
  /** How many values may be handed out. */
  readonly size: number;
  /**
   * The lower band [0, reserved) that dynamic allocation only uses once the upper band is full, so
   * static requests rarely collide (upstream's KEP-3070 for IPs, KEP-3668 for node ports).
   */
  readonly reserved: number;
  offsetOf(value: V): number | undefined;
  valueAt(offset: number): V;
  /** The value as error messages print it. */
  format(value: V): string;
  /** ErrAllocated's text. */
  readonly allocatedMessage: string;
  /** ErrNotInRange's text. */
  notInRangeMessage(value: V): string;
}

/** upstream's --service-cluster-ip-range limit: a bitmap of at most 2^20 addresses. */
const maxCidrBits = 20;

/** A dotted-quad IPv4 address as a 32-bit unsigned number; undefined when it is not one. */
export function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    n = n * 256 + octet;
  }
  return n;
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** min(max(min, size/step), max), and none at all for tiny ranges (calculateRangeOffset upstream). */
function rangeOffset(size: number, min: number, max: number, step: number): number {
  if (size <= min) return 0;
  return Math.min(Math.max(min, Math.floor(size / step)), max);
}

export interface IPv4Range extends AllocationRange<string> {
  /** The network address (10.43.0.0): never handed out, like the broadcast address. */
  readonly network: number;
  readonly prefix: number;
  /** The first address handed out (10.43.0.1), the `kubernetes` Service's ClusterIP. */
  readonly first: string;
}

/** Parses an IPv4 CIDR; the host bits are cleared, as Go's net.ParseCIDR does. */
export function parseCidr(cidr: string): IPv4Range {
  const match = /^([^/]+)\/(\d{1,2})$/.exec(cidr.trim());
  const address = match === null ? undefined : parseIPv4(match[1]!);
  const prefix = match === null ? NaN : Number(match[2]);
  if (address === undefined || !(prefix >= 0 && prefix <= 32)) {
    throw new Error(`invalid service CIDR "${cidr}": want an IPv4 CIDR such as 10.43.0.0/16`);
  }
  const hostBits = 32 - prefix;
  if (hostBits > maxCidrBits) {
    throw new Error(`service CIDR "${cidr}" is too large; for 32-bit addresses, the mask must be >= 12`);
  }
  if (hostBits < 2) throw new Error(`service CIDR "${cidr}" is too small: the mask must be <= 30`);
  const blockSize = 2 ** hostBits;
  const network = address - (address % blockSize);
  const spec = `${formatIPv4(network)}/${prefix}`;
  // Neither the network nor the broadcast address (upstream's NewAllocatorCIDRRange for IPv4).
  const size = blockSize - 2;
  return {
    spec,
    size,
    network,
    prefix,
    first: formatIPv4(network + 1),
    reserved: rangeOffset(blockSize, 16, 256, 16),
    offsetOf: (ip) => {
      const n = parseIPv4(ip);
      if (n === undefined) return undefined;
      const offset = n - network - 1;
      return offset >= 0 && offset < size ? offset : undefined;
    },
    valueAt: (offset) => formatIPv4(network + 1 + offset),
    format: (ip) => ip,
    allocatedMessage: 'provided IP is already allocated',
    notInRangeMessage: (ip) =>
      `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${spec}`,
  };
}

export interface PortRange extends AllocationRange<number> {
  readonly base: number;
}

/** Parses `30000-32767` (or a single port), as net.ParsePortRange. */
export function parsePortRange(text: string): PortRange {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
  const base = match === null ? NaN : Number(match[1]);
  const last = match === null ? NaN : Number(match[2] ?? match[1]);
  if (!(base >= 1 && last <= 65535 && base <= last)) {
    throw new Error(`invalid node port range "${text}": want a range such as 30000-32767`);
  }
  const size = last - base + 1;
  const spec = `${base}-${last}`;
  return {
    spec,
    size,
    base,
    reserved: rangeOffset(size, 16, 128, 32),
    offsetOf: (port) => (Number.isInteger(port) && port >= base && port <= last ? port - base : undefined),
    valueAt: (offset) => base + offset,
    format: (port) => String(port),
    allocatedMessage: 'provided port is already allocated',
    notInRangeMessage: () => `provided port is not in the valid range. The range of valid ports is ${spec}`,
  };
}
