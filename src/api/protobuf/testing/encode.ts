// A tiny protobuf writer for tests only: builds wire bytes field by field so tests can state
// exactly what gogo-protobuf would (or would not) have written.

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Base-128 varint of the value as an unsigned 64-bit number (negatives are two's complement). */
export function varint(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v === 0n ? low : low | 0x80);
  } while (v !== 0n);
  return Uint8Array.from(out);
}

export const tag = (num: number, wire: number): Uint8Array => varint((BigInt(num) << 3n) | BigInt(wire));

const utf8 = new TextEncoder();

/** Field builders; `message` takes already-encoded fields and nests them. */
export const pb = {
  varint: (num: number, value: number | bigint | boolean): Uint8Array =>
    concat(tag(num, 0), varint(typeof value === 'boolean' ? Number(value) : value)),
  bytes: (num: number, value: Uint8Array): Uint8Array => concat(tag(num, 2), varint(value.length), value),
  string: (num: number, value: string): Uint8Array => pb.bytes(num, utf8.encode(value)),
  message: (num: number, ...fields: Uint8Array[]): Uint8Array => pb.bytes(num, concat(...fields)),
  /** A map entry {1 key, 2 value}; pass the value already encoded as field 2, or nothing. */
  entry: (num: number, key: string, ...value: Uint8Array[]): Uint8Array =>
    pb.message(num, pb.string(1, key), ...value),
  fixed64: (num: number, value: bigint): Uint8Array => {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
    return concat(tag(num, 1), out);
  },
  fixed32: (num: number, value: number): Uint8Array => {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, value >>> 0, true);
    return concat(tag(num, 5), out);
  },
  /** Packed repeated varints. */
  packed: (num: number, values: Array<number | bigint>): Uint8Array =>
    pb.bytes(num, concat(...values.map(varint))),
  /** resource.Quantity, intstr.IntOrString and metav1.Time as gogo writes them. */
  quantity: (num: number, value: string): Uint8Array => pb.message(num, pb.string(1, value)),
  intOrString: (num: number, value: number | string): Uint8Array =>
    typeof value === 'number'
      ? pb.message(num, pb.varint(1, 0), pb.varint(2, value), pb.string(3, ''))
      : pb.message(num, pb.varint(1, 1), pb.varint(2, 0), pb.string(3, value)),
  time: (num: number, seconds: number | bigint, nanos = 0): Uint8Array =>
    pb.message(
      num,
      ...(seconds === 0 || seconds === 0n ? [] : [pb.varint(1, seconds)]),
      ...(nanos === 0 ? [] : [pb.varint(2, nanos)]),
    ),
};

const MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

/** A complete request body: "k8s\0" + runtime.Unknown{typeMeta, raw, contentEncoding, contentType}. */
export function envelope(
  apiVersion: string,
  kind: string,
  raw: Uint8Array,
  ...extra: Uint8Array[]
): Uint8Array {
  return concat(
    MAGIC,
    pb.message(1, pb.string(1, apiVersion), pb.string(2, kind)),
    pb.bytes(2, raw),
    pb.string(3, ''),
    pb.string(4, ''),
    ...extra,
  );
}

/** ObjectMeta (field 1 of every object) as gogo writes it for a fresh object: every non-pointer scalar. */
export const objectMeta = (name: string, ...extra: Uint8Array[]): Uint8Array =>
  pb.message(
    1,
    pb.string(1, name),
    pb.string(2, ''),
    pb.string(3, ''),
    pb.string(4, ''),
    pb.string(5, ''),
    pb.string(6, ''),
    pb.varint(7, 0),
    pb.message(8),
    ...extra,
  );
