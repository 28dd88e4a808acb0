import { type FieldError, required } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import { immutable, int, nonNegative } from '../workload.ts';

/** ValidateControllerRevision: data is mandatory, the revision a non-negative number. */
function validate(obj: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  if (obj['data'] === undefined || obj['data'] === null) errors.push(required('data', 'data is mandatory'));
  errors.push(...nonNegative(obj['revision'], 'revision'));
  return errors;
}

/**
 * printControllerRevision's CONTROLLER cell: the controller owner as `kind.group/name` in lower case
 * (formatResourceName), `<none>` without one.
 */
function controllerName(obj: KubeObject): string {
  const ref = (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  if (ref === undefined) return '<none>';
  const parts = (ref.apiVersion ?? '').split('/');
  // schema.ParseGroupVersion: "", "v1" and "group/version"; anything else fails the row upstream.
  if (parts.length > 2) return ref.name;
  const group = parts.length === 2 ? parts[0]! : '';
  const kind = ref.kind ?? '';
  if (group === '' && kind === '') return ref.name;
  return `${(group === '' ? kind : `${kind}.${group}`).toLowerCase()}/${ref.name}`;
}

/** apps/v1 ControllerRevision (upstream pkg/registry/apps/controllerrevision and its printer). */
export const controllerrevisions: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  resource: 'controllerrevisions',
  singular: 'controllerrevision',
  namespaced: true,
  strategy: {
    validate,
    // ValidateControllerRevisionUpdate: data never changes once written.
    validateUpdate: (obj, old) => [...validate(obj), ...immutable(obj['data'], old['data'], 'data')],
  },
  table: {
    columns: [
      nameColumn('controllerrevision'),
      { name: 'Controller', type: 'string', description: 'Controller of the object', priority: 0 },
      {
        name: 'Revision',
        type: 'string',
        description: 'Revision indicates the revision of the state represented by Data.',
        priority: 0,
      },
      ageColumn('controllerrevision'),
    ],
    row: (obj, now) => [obj.metadata.name ?? '', controllerName(obj), int(obj['revision']), age(obj, now)],
  },
};
