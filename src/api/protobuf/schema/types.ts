// The schema language: for each Go type, its protobuf field numbers with the JSON name, the type,
// and how Go's encoding/json treats the field when it is zero or absent. Facts come from
// k8s.io/api and k8s.io/apimachinery: field numbers from the `protobuf:"..."` struct tags (as in
// generated.proto), presence from the `json:"...,omitempty"` tags and from whether the Go field is
// a pointer.

export type Scalar = 'string' | 'bool' | 'int32' | 'int64' | 'double' | 'bytes';

/**
 * Go types with a protobuf form of their own and a custom JSON form:
 * - Quantity: resource.Quantity {1 string} → the string
 * - IntOrString: intstr.IntOrString {1 type, 2 intVal, 3 strVal} → number or string
 * - Time / MicroTime: metav1 {1 seconds, 2 nanos} → RFC 3339 (seconds / 6 fractional digits), null when zero
 * - Duration: metav1.Duration {1 nanoseconds} → Go's time.Duration string ("1h0m0s")
 * - RawExtension: runtime.RawExtension {1 raw} → the embedded JSON (or nested protobuf object)
 * - FieldsV1: metav1.FieldsV1 {1 raw} → the embedded JSON
 * - StringList: a named []string made a message for protobuf (ExtraValue) {1 repeated string} → array
 */
export type Special =
  'Quantity' | 'IntOrString' | 'Time' | 'MicroTime' | 'Duration' | 'RawExtension' | 'FieldsV1' | 'StringList';

/** Messages are named "group.Type", e.g. "core.Container"; the dot tells them from scalars. */
export type MessageName = `${string}.${string}`;

export type TypeName = Scalar | Special | MessageName;

/**
 * - omitempty: a Go value field tagged omitempty — dropped when zero. (Go never omits structs, so a
 *   struct-typed field is always written, as `{}` at worst.)
 * - required: a Go value field without omitempty — always written, zero when absent on the wire.
 * - pointer: a Go pointer with omitempty — written exactly when present on the wire, zero included.
 * - nullable: a Go pointer without omitempty — `null` when absent.
 * Lists and maps: omitempty drops them when empty; required writes `null` when absent (a nil slice).
 */
export type Presence = 'omitempty' | 'required' | 'pointer' | 'nullable';

export interface FieldSpec {
  /** The JSON name; '' for an embedded struct whose fields are inlined into the parent. */
  readonly json: string;
  readonly type: TypeName;
  readonly presence: Presence;
  /** single value, repeated field, or map<string, type> (entries {1 key, 2 value}). */
  readonly shape: 'single' | 'list' | 'map';
}

export type MessageSpec = Readonly<Record<number, FieldSpec>>;
export type MessageTable = Readonly<Record<MessageName, MessageSpec>>;

/** Top-level kinds: "apiVersion kind" (as in the envelope's TypeMeta) → message. */
export type KindTable = Readonly<Record<string, MessageName>>;

const single = (json: string, type: TypeName, presence: Presence): FieldSpec => ({
  json,
  type,
  presence,
  shape: 'single',
});

/** Value field with omitempty (for structs: always written). */
export const opt = (json: string, type: TypeName = 'string'): FieldSpec => single(json, type, 'omitempty');
/** Value field without omitempty: zero values are kept. */
export const req = (json: string, type: TypeName = 'string'): FieldSpec => single(json, type, 'required');
/** Pointer with omitempty: kept whenever set, even to zero. */
export const ptr = (json: string, type: TypeName = 'string'): FieldSpec => single(json, type, 'pointer');
/** Pointer without omitempty: null when unset. */
export const nul = (json: string, type: TypeName = 'string'): FieldSpec => single(json, type, 'nullable');
/** Embedded struct with `json:",inline"`. */
export const inline = (type: MessageName): FieldSpec => single('', type, 'required');
/** Slice; pass 'required' for a slice without omitempty (null when empty). */
export const list = (
  json: string,
  type: TypeName = 'string',
  presence: Presence = 'omitempty',
): FieldSpec => ({
  json,
  type,
  presence,
  shape: 'list',
});
/** map[string]T; pass 'required' for a map without omitempty (null when empty). */
export const map = (
  json: string,
  type: TypeName = 'string',
  presence: Presence = 'omitempty',
): FieldSpec => ({
  json,
  type,
  presence,
  shape: 'map',
});

/** The usual top-level object: metadata, spec, status. */
export function object(spec: MessageName, status?: MessageName): MessageSpec {
  const fields: Record<number, FieldSpec> = { 1: opt('metadata', 'meta.ObjectMeta'), 2: opt('spec', spec) };
  if (status !== undefined) fields[3] = opt('status', status);
  return fields;
}
