// Schema-driven decoding: protobuf message bytes → the plain object Go's encoding/json would write
// for the same Go value. The rules Go applies, and this decoder reproduces:
// - gogo-protobuf writes every non-pointer scalar (zero included) and every non-pointer struct;
//   a decoded Go value therefore holds zeros where the wire has nothing, and JSON omits those
//   only for `omitempty` scalars, slices and maps. Structs are never omitted ("status": {}).
// - Pointers are written exactly when set, so they are kept whenever present, zero included.
// - A repeated or map field without omitempty that is absent is a nil slice/map: `null`.
// - Fields with unknown numbers are skipped; a known field with the wrong wire type is an error,
//   as in gogo's generated Unmarshal.
import {
  messageSpec,
  type FieldSpec,
  type MessageName,
  type Special,
  type TypeName,
} from './schema/index.ts';
import { formatDuration, formatTime } from './special.ts';
import {
  decodeUtf8,
  ProtobufDecodeError,
  readFields,
  readPackedVarints,
  WIRE_BYTES,
  WIRE_FIXED64,
  WIRE_VARINT,
  type WireField,
} from './wire.ts';

/** Decodes a nested Kubernetes protobuf object (a RawExtension holding "k8s\0…"). */
export type EmbeddedDecoder = (raw: Uint8Array, path: string, depth: number) => Record<string, unknown>;

interface Context {
  readonly embedded: EmbeddedDecoder;
  readonly depth: number;
}

const OMIT = Symbol('omit');
type Value = unknown;

const SPECIALS: ReadonlySet<string> = new Set<Special>([
  'Quantity',
  'IntOrString',
  'Time',
  'MicroTime',
  'Duration',
  'RawExtension',
  'FieldsV1',
  'StringList',
]);
const K8S_MAGIC = [0x6b, 0x38, 0x73, 0x00];

const isMessage = (type: TypeName): type is MessageName => type.includes('.');
const isSpecial = (type: TypeName): type is Special => SPECIALS.has(type);
const isNumeric = (type: TypeName): boolean => type === 'int32' || type === 'int64' || type === 'bool';

const fail = (path: string, message: string): never => {
  throw new ProtobufDecodeError(`${path || '(object)'}: ${message}`);
};

const member = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function bytesOf(field: WireField, path: string): Uint8Array {
  if (field.wire !== WIRE_BYTES)
    return fail(path, `expected a length-delimited field, got wire type ${field.wire}`);
  return field.value;
}

function varintOf(field: WireField, path: string): bigint {
  if (field.wire !== WIRE_VARINT) return fail(path, `expected a varint, got wire type ${field.wire}`);
  return field.value;
}

/** One scalar from one field occurrence. */
function scalar(type: TypeName, field: WireField, path: string): Value {
  switch (type) {
    case 'string':
      return decodeUtf8(bytesOf(field, path));
    case 'bytes':
      // []byte is base64 in JSON.
      return Buffer.from(bytesOf(field, path)).toString('base64');
    case 'bool':
      return varintOf(field, path) !== 0n;
    case 'int32':
      return Number(BigInt.asIntN(32, varintOf(field, path)));
    case 'int64':
      // Beyond 2^53 this rounds, exactly as JSON.parse does on the JSON path.
      return Number(BigInt.asIntN(64, varintOf(field, path)));
    case 'double': {
      if (field.wire !== WIRE_FIXED64)
        return fail(path, `expected a 64-bit field, got wire type ${field.wire}`);
      return new DataView(field.value.buffer, field.value.byteOffset, 8).getFloat64(0, true);
    }
    default:
      return fail(path, `internal: ${type} is not a scalar`);
  }
}

function zeroScalar(type: TypeName): Value {
  switch (type) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'bytes':
      return null; // a nil []byte
    default:
      return 0;
  }
}

const isZero = (value: Value): boolean => value === '' || value === 0 || value === false;

/** The last value of each numbered field in a small fixed message (Time, IntOrString, …). */
function lastByNumber(bytes: Uint8Array, path: string): Map<number, WireField> {
  const out = new Map<number, WireField>();
  for (const field of readFields(bytes, path)) out.set(field.num, field);
  return out;
}

function parseRawJson(raw: Uint8Array, path: string): Value {
  try {
    return JSON.parse(decodeUtf8(raw)) as Value;
  } catch {
    return fail(path, 'embedded raw bytes are neither JSON nor a Kubernetes protobuf object');
  }
}

/** A special type's JSON value; `bytes` undefined means absent from the wire. */
function special(type: Special, bytes: Uint8Array | undefined, path: string, ctx: Context): Value {
  const fields = bytes === undefined ? new Map<number, WireField>() : lastByNumber(bytes, path);
  const get = (num: number): WireField | undefined => fields.get(num);
  const str = (num: number): string | undefined => {
    const f = get(num);
    return f === undefined ? undefined : decodeUtf8(bytesOf(f, path));
  };
  const int = (num: number): bigint => {
    const f = get(num);
    return f === undefined ? 0n : BigInt.asIntN(64, varintOf(f, path));
  };
  switch (type) {
    case 'Quantity':
      return str(1) ?? '0';
    case 'IntOrString': {
      const kind = int(1);
      if (kind === 0n) return Number(BigInt.asIntN(32, int(2)));
      if (kind === 1n) return str(3) ?? '';
      return fail(path, `IntOrString has unknown type ${kind}`);
    }
    case 'Time':
    case 'MicroTime':
      // gogo writes the zero time as an empty message; Go's JSON for it is null.
      if (bytes === undefined || bytes.length === 0) return null;
      // metav1.Time.Unmarshal ignores the nanoseconds (time_proto.go); MicroTime keeps them.
      return type === 'Time'
        ? formatTime(int(1), 0n, false, path)
        : formatTime(int(1), BigInt.asIntN(32, int(2)), true, path);
    case 'Duration':
      return formatDuration(int(1));
    case 'StringList': {
      const items =
        bytes === undefined
          ? []
          : readFields(bytes, path)
              .filter((f) => f.num === 1)
              .map((f) => decodeUtf8(bytesOf(f, path)));
      return items.length === 0 ? null : items;
    }
    case 'RawExtension':
    case 'FieldsV1': {
      const raw = get(1);
      if (raw === undefined) return null;
      const data = bytesOf(raw, path);
      if (data.length === 0) return null;
      if (type === 'RawExtension' && K8S_MAGIC.every((b, i) => data[i] === b)) {
        if (ctx.depth >= 16) return fail(path, 'embedded objects nested too deeply');
        return ctx.embedded(data, path, ctx.depth + 1);
      }
      return parseRawJson(data, path);
    }
  }
}

/** The value of a single (non-repeated) field from all its occurrences. */
function single(type: TypeName, occurrences: readonly WireField[], path: string, ctx: Context): Value {
  if (isMessage(type) || isSpecial(type)) {
    // Repeated occurrences of an embedded message merge, which concatenation gives for free.
    const bytes = occurrences.length === 0 ? undefined : concat(occurrences.map((f) => bytesOf(f, path)));
    return isMessage(type)
      ? decodeMessage(bytes ?? new Uint8Array(), type, path, ctx)
      : special(type, bytes, path, ctx);
  }
  const last = occurrences.at(-1);
  return last === undefined ? zeroScalar(type) : scalar(type, last, path);
}

function listValue(spec: FieldSpec, occurrences: readonly WireField[], path: string, ctx: Context): Value[] {
  const out: Value[] = [];
  for (const field of occurrences) {
    const at = `${path}[${out.length}]`;
    if (isNumeric(spec.type) && field.wire === WIRE_BYTES) {
      // Packed encoding: accepted for numeric lists, as every protobuf decoder must.
      for (const v of readPackedVarints(field.value, at)) {
        out.push(scalar(spec.type, { num: field.num, wire: WIRE_VARINT, value: v }, at));
      }
    } else {
      out.push(single(spec.type, [field], at, ctx));
    }
  }
  return out;
}

function mapValue(spec: FieldSpec, occurrences: readonly WireField[], path: string, ctx: Context): object {
  const entries = new Map<string, Value>();
  for (const field of occurrences) {
    const entry = readFields(bytesOf(field, path), path);
    const keyField = entry.findLast((f) => f.num === 1);
    const key = keyField === undefined ? '' : decodeUtf8(bytesOf(keyField, path));
    const at = `${path}[${JSON.stringify(key)}]`;
    const valueFields = entry.filter((f) => f.num === 2);
    let value = single(spec.type, valueFields, at, ctx);
    // A map entry without its value holds the type's zero; for []byte values gogo makes that
    // an empty slice, which JSON writes as "".
    if (spec.type === 'bytes' && value === null) value = '';
    entries.set(key, value);
  }
  // Go writes map keys sorted; fromEntries makes "__proto__" an own key, as JSON.parse would.
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function fieldValue(spec: FieldSpec, occurrences: readonly WireField[], path: string, ctx: Context): Value {
  const absent = occurrences.length === 0;
  if (spec.shape !== 'single') {
    if (absent) return spec.presence === 'omitempty' ? OMIT : null;
    return spec.shape === 'list'
      ? listValue(spec, occurrences, path, ctx)
      : mapValue(spec, occurrences, path, ctx);
  }
  if (absent && spec.presence === 'pointer') return OMIT;
  if (absent && spec.presence === 'nullable') return null;
  const value = single(spec.type, occurrences, path, ctx);
  const scalarType = !isMessage(spec.type) && !isSpecial(spec.type);
  if (spec.presence === 'omitempty' && scalarType && (isZero(value) || value === null)) return OMIT;
  return value;
}

/** Decodes one message of the named type; empty bytes give the Go zero value's JSON. */
export function decodeMessage(
  bytes: Uint8Array,
  name: MessageName,
  path: string,
  ctx: Context,
): Record<string, unknown> {
  const spec = messageSpec(name);
  if (spec === undefined) return fail(path, `internal: no schema for message ${name}`);
  const byNumber = new Map<number, WireField[]>();
  for (const field of readFields(bytes, path || name)) {
    if (!Object.hasOwn(spec, field.num)) continue; // unknown field: forward compatibility
    const seen = byNumber.get(field.num);
    if (seen === undefined) byNumber.set(field.num, [field]);
    else seen.push(field);
  }
  const out: Record<string, unknown> = {};
  for (const [num, field] of Object.entries(spec) as Array<[string, FieldSpec]>) {
    const occurrences = byNumber.get(Number(num)) ?? [];
    if (field.json === '') {
      // Embedded struct with `json:",inline"`: its fields join this object.
      Object.assign(out, single(field.type, occurrences, path, ctx));
      continue;
    }
    const value = fieldValue(field, occurrences, member(path, field.json), ctx);
    if (value !== OMIT) out[field.json] = value;
  }
  return out;
}

export function rootContext(embedded: EmbeddedDecoder, depth: number): Context {
  return { embedded, depth };
}
