// Protocol Buffers wire format, read side only: the four wire types Kubernetes' gogo-protobuf
// messages use (varint, 64-bit, length-delimited, 32-bit). Groups are refused, as gogo's
// generated Unmarshal code refuses them for every Kubernetes type.

export class ProtobufDecodeError extends Error {
  override readonly name = 'ProtobufDecodeError';
}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;

/** One field occurrence: varints as unsigned 64-bit bigints, everything else as the raw bytes. */
export type WireField =
  | { readonly num: number; readonly wire: typeof WIRE_VARINT; readonly value: bigint }
  | {
      readonly num: number;
      readonly wire: typeof WIRE_FIXED64 | typeof WIRE_BYTES | typeof WIRE_FIXED32;
      readonly value: Uint8Array;
    };

const MAX_FIELD_NUMBER = 2 ** 29 - 1;

/** A cursor over one message's bytes; `where` names the message in error messages. */
export class WireReader {
  readonly #buf: Uint8Array;
  readonly #where: string;
  #pos = 0;

  constructor(buf: Uint8Array, where: string) {
    this.#buf = buf;
    this.#where = where;
  }

  get done(): boolean {
    return this.#pos >= this.#buf.length;
  }

  #fail(message: string): never {
    throw new ProtobufDecodeError(`${this.#where}: ${message} at byte ${this.#pos}`);
  }

  /** Base-128 varint, at most 10 bytes; like Go's proto decoder, bits past 64 are dropped. */
  readVarint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.#buf[this.#pos];
      if (b === undefined) this.#fail('truncated varint');
      this.#pos++;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    return this.#fail('varint longer than 10 bytes');
  }

  #take(n: number, what: string): Uint8Array {
    if (n > this.#buf.length - this.#pos) this.#fail(`truncated ${what}`);
    const out = this.#buf.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }

  /** The next field, or a ProtobufDecodeError for malformed or unsupported input. */
  readField(): WireField {
    const tag = this.readVarint();
    const num = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (num < 1 || num > MAX_FIELD_NUMBER) this.#fail(`illegal field number ${num}`);
    switch (wire) {
      case WIRE_VARINT:
        return { num, wire, value: this.readVarint() };
      case WIRE_FIXED64:
        return { num, wire, value: this.#take(8, `64-bit field ${num}`) };
      case WIRE_BYTES: {
        const len = this.readVarint();
        if (len > BigInt(this.#buf.length - this.#pos)) this.#fail(`truncated length-delimited field ${num}`);
        return { num, wire, value: this.#take(Number(len), `field ${num}`) };
      }
      case WIRE_FIXED32:
        return { num, wire, value: this.#take(4, `32-bit field ${num}`) };
      case WIRE_START_GROUP:
      case WIRE_END_GROUP:
        return this.#fail(`field ${num} uses the deprecated group encoding, which Kubernetes never writes`);
      default:
        return this.#fail(`field ${num} has invalid wire type ${wire}`);
    }
  }
}

/** Every field of one message, in wire order. */
export function readFields(buf: Uint8Array, where: string): WireField[] {
  const reader = new WireReader(buf, where);
  const fields: WireField[] = [];
  while (!reader.done) fields.push(reader.readField());
  return fields;
}

/** Packed repeated varints (a length-delimited run of varints). */
export function readPackedVarints(buf: Uint8Array, where: string): bigint[] {
  const reader = new WireReader(buf, where);
  const out: bigint[] = [];
  while (!reader.done) out.push(reader.readVarint());
  return out;
}

const utf8 = new TextDecoder('utf-8');

/** Go strings may hold invalid UTF-8; encoding/json writes U+FFFD for it, as this decoder does. */
export function decodeUtf8(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
