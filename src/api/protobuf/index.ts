// Decoding of `application/vnd.kubernetes.protobuf` request bodies, as kubectl's typed clients
// send them, into the plain JSON-shaped objects the JSON path produces. See README.md.
import { decodeMessage, rootContext } from './decode.ts';
import { kindMessage, knownKinds } from './schema/index.ts';
import { decodeUtf8, ProtobufDecodeError, readFields, WIRE_BYTES, type WireField } from './wire.ts';

export { ProtobufDecodeError } from './wire.ts';
export { knownKinds };

/** The media type of the Kubernetes protobuf encoding. */
export const KUBERNETES_PROTOBUF = 'application/vnd.kubernetes.protobuf';

export interface DecodedObject {
  readonly apiVersion: string;
  readonly kind: string;
  /** The object as Go's encoding/json would write it, `kind` and `apiVersion` included. */
  readonly object: Record<string, unknown>;
}

// Every Kubernetes protobuf body starts with "k8s\0", then a runtime.Unknown message.
const MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

function stringField(fields: readonly WireField[], num: number, where: string): string {
  const field = fields.findLast((f) => f.num === num);
  if (field === undefined) return '';
  if (field.wire !== WIRE_BYTES) {
    throw new ProtobufDecodeError(
      `${where}: field ${num} must be length-delimited, got wire type ${field.wire}`,
    );
  }
  return decodeUtf8(field.value);
}

function decodeEnvelope(body: Uint8Array, path: string, depth: number): DecodedObject {
  // `path` is empty at the top and names the RawExtension field for an embedded object.
  const error = (message: string) => new ProtobufDecodeError(path === '' ? message : `${path}: ${message}`);
  if (!(body instanceof Uint8Array)) throw error('body must be bytes');
  if (body.length < MAGIC.length || !MAGIC.every((b, i) => body[i] === b)) {
    throw error('not a Kubernetes protobuf body: it does not start with "k8s\\0"');
  }
  // runtime.Unknown: 1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType.
  const unknown = readFields(body.subarray(MAGIC.length), 'runtime.Unknown');
  const typeMetaField = unknown.findLast((f) => f.num === 1);
  let typeMeta: WireField[] = [];
  if (typeMetaField !== undefined) {
    if (typeMetaField.wire !== WIRE_BYTES) throw error('runtime.Unknown: typeMeta must be length-delimited');
    typeMeta = readFields(typeMetaField.value, 'runtime.Unknown.typeMeta');
  }
  const apiVersion = stringField(typeMeta, 1, 'runtime.Unknown.typeMeta');
  const kind = stringField(typeMeta, 2, 'runtime.Unknown.typeMeta');
  const contentEncoding = stringField(unknown, 3, 'runtime.Unknown');
  const contentType = stringField(unknown, 4, 'runtime.Unknown');
  if (contentEncoding !== '') throw error(`unsupported content encoding "${contentEncoding}"`);
  if (contentType !== '' && contentType !== KUBERNETES_PROTOBUF) {
    throw error(`unsupported embedded content type "${contentType}"`);
  }
  if (kind === '' || apiVersion === '') throw error('the protobuf envelope names no apiVersion and kind');
  const message = kindMessage(apiVersion, kind);
  if (message === undefined) throw error(`no protobuf decoding for kind "${kind}" in "${apiVersion}"`);
  const rawField = unknown.findLast((f) => f.num === 2);
  if (rawField !== undefined && rawField.wire !== WIRE_BYTES) {
    throw error('runtime.Unknown: raw must be length-delimited');
  }
  const raw = rawField?.value ?? new Uint8Array();
  const ctx = rootContext(
    (inner, innerPath, innerDepth) => decodeEnvelope(inner, innerPath, innerDepth).object,
    depth,
  );
  return { apiVersion, kind, object: { kind, apiVersion, ...decodeMessage(raw, message, path, ctx) } };
}

/**
 * Decodes a `application/vnd.kubernetes.protobuf` body. Throws ProtobufDecodeError for input that
 * is not such a body, is malformed or truncated, or holds a kind this decoder has no schema for.
 */
export function decodeKubernetesProtobuf(body: Uint8Array): DecodedObject {
  return decodeEnvelope(body, '', 0);
}
