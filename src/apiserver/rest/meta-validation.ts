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
    const check = labelNamed.has(def.resource) && def.group === '' ? isDNS1123Label : isDNS1123Subdomain;
    for (const msg of check(name)) errors.push(invalid('metadata.name', name, msg));
  }
  if (def.namespaced && (meta.namespace ?? '') === '') errors.push(required('metadata.namespace', ''));
  if (meta.labels !== undefined) errors.push(...validateLabels(meta.labels, 'metadata.labels'));
  if (meta.annotations !== undefined)
    errors.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  return errors;
}
