import { type FieldError, fieldPath, invalid } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import {
  list,
  quantityString,
  rec,
  str,
  validateResourceName,
  validateResourceQuantityValue,
  isStandardQuotaResource,
} from '../shared.ts';

const standardScopes = [
  'Terminating',
  'NotTerminating',
  'BestEffort',
  'NotBestEffort',
  'PriorityClass',
  'CrossNamespacePodAffinity',
];

/** ValidateResourceQuotaResourceName: a quota counts only standard resources unless qualified. */
function validateQuotaResourceName(name: string, path: string): FieldError[] {
  const errors = validateResourceName(name, path);
  if (!name.includes('/') && !isStandardQuotaResource(name))
    errors.push(invalid(path, name, 'must be a standard resource for quota'));
  return errors;
}

function validateResourceList(resources: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(rec(resources))) {
    const p = fieldPath(path, { key: name });
    errors.push(...validateQuotaResourceName(name, p), ...validateResourceQuantityValue(name, value, p));
  }
  return errors;
}

/** ValidateResourceQuotaStatus: hard and used, as names and non-negative amounts. */
function validateQuotaStatus(obj: KubeObject): FieldError[] {
  const status = rec(obj['status']);
  return [
    ...validateResourceList(status['hard'], 'status.hard'),
    ...validateResourceList(status['used'], 'status.used'),
  ];
}

/** ValidateResourceQuota: the spec's hard limits and scopes, and the status. */
function validateQuota(obj: KubeObject): FieldError[] {
  const spec = rec(obj['spec']);
  const errors = validateResourceList(spec['hard'], 'spec.hard');
  // validateResourceQuotaScopes, without the per-resource applicability check.
  const scopes = list<unknown>(spec['scopes']).map(str);
  for (const scope of scopes) {
    if (!standardScopes.includes(scope)) errors.push(invalid('spec.scopes', scopes, 'unsupported scope'));
  }
  const has = (s: string): boolean => scopes.includes(s);
  if (has('BestEffort') && has('NotBestEffort'))
    errors.push(invalid('spec.scopes', scopes, 'conflicting scopes'));
  if (has('Terminating') && has('NotTerminating'))
    errors.push(invalid('spec.scopes', scopes, 'conflicting scopes'));
  return [...errors, ...validateQuotaStatus(obj)];
}

/** printResourceQuota: `name: used/hard` per hard resource, limits.* in their own column. */
export function quotaColumns(obj: KubeObject): [string, string] {
  const status = rec(obj['status']);
  const hard = rec(status['hard']);
  const used = rec(status['used']);
  const requests: string[] = [];
  const limits: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const pieces = name.split('.');
    const cell = `${name}: ${quantityString(used[name])}/${quantityString(hard[name])}`;
    if (pieces.length > 1 && pieces[0] === 'limits') limits.push(cell);
    else requests.push(cell);
  }
  return [requests.join(', '), limits.join(', ')];
}

/** core/v1 ResourceQuota (upstream pkg/registry/core/resourcequota); the quota controller writes status. */
export const resourcequotas: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  resource: 'resourcequotas',
  singular: 'resourcequota',
  namespaced: true,
  shortNames: ['quota'],
  status: {
    validateUpdate: (obj) => validateQuotaStatus(obj),
  },
  strategy: {
    prepareForCreate(obj) {
      obj['status'] = {};
    },
    validate: validateQuota,
  },
  table: {
    columns: [
      nameColumn('resource quota'),
      {
        name: 'Request',
        type: 'string',
        description: 'Request represents a minimum amount of cpu/memory that a container may consume.',
        priority: 0,
      },
      {
        name: 'Limit',
        type: 'string',
        description:
          'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
        priority: 0,
      },
      ageColumn('resource quota'),
    ],
    row: (obj, now) => [obj.metadata.name ?? '', ...quotaColumns(obj), age(obj, now)],
  },
};
