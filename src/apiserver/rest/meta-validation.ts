// Validation every object's metadata gets (upstream's apimachinery/pkg/api/validation/objectmeta.go).
import type { KubeObject } from '../../api/meta.ts';
import { type FieldError, invalid, required } from '../../api/field-errors.ts';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  validateAnnotations,
  validateLabels,
} from '../../api/validation.ts';
import type { ResourceDefinition } from '../registry/types.ts';

/** Resources whose names must be DNS labels rather than subdomains, as upstream validates them. */
const labelNamed = new Set(['namespaces', 'services']);

export function validateObjectMeta(obj: KubeObject, def: ResourceDefinition): FieldError[] {
  const errors: FieldError[] = [];
  const meta = obj.metadata;
  const name = meta.name ?? '';
  if (name === '') {
    errors.push(required('metadata.name', 'name or generateName is required'));
  } else {
    const check =
      def.nameValidation ??
      (labelNamed.has(def.resource) && def.group === '' ? isDNS1123Label : isDNS1123Subdomain);
    for (const msg of check(name)) errors.push(invalid('metadata.name', name, msg));
  }
  if (def.namespaced && (meta.namespace ?? '') === '') errors.push(required('metadata.namespace', ''));
  if (meta.labels !== undefined) errors.push(...validateLabels(meta.labels, 'metadata.labels'));
  if (meta.annotations !== undefined)
    errors.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  return errors;
}

/**
 * The types of metadata's fields, checked before anything reads them. Upstream's JSON decoding into
 * ObjectMeta refuses a wrong type with 400 before validation runs; so does this.
 */
export function metadataTypeError(meta: Record<string, unknown>): string | undefined {
  const want = (field: string, ok: boolean, type: string): string | undefined =>
    ok
      ? undefined
      : `json: cannot unmarshal ${describe(meta[field])} into Go struct field ObjectMeta.metadata.${field} of type ${type}`;
  const isStringMap = (v: unknown): boolean =>
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.values(v).every((x) => typeof x === 'string');
  const checks: Array<[string, (v: unknown) => boolean, string]> = [
    ['name', (v) => typeof v === 'string', 'string'],
    ['generateName', (v) => typeof v === 'string', 'string'],
    ['namespace', (v) => typeof v === 'string', 'string'],
    ['resourceVersion', (v) => typeof v === 'string', 'string'],
    ['uid', (v) => typeof v === 'string', 'string'],
    ['labels', isStringMap, 'map[string]string'],
    ['annotations', isStringMap, 'map[string]string'],
    ['finalizers', (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'), '[]string'],
    [
      'ownerReferences',
      (v) => Array.isArray(v) && v.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x)),
      '[]v1.OwnerReference',
    ],
    ['generation', (v) => typeof v === 'number' && Number.isInteger(v), 'int64'],
  ];
  for (const [field, ok, type] of checks) {
    const v = meta[field];
    if (v === undefined || v === null) continue;
    const error = want(field, ok(v), type);
    if (error !== undefined) return error;
  }
  return undefined;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object' && v !== null) return 'object';
  return typeof v;
}
