import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';

/** core/v1 ServiceAccount (upstream pkg/registry/core/serviceaccount). */
export const serviceaccounts: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  resource: 'serviceaccounts',
  singular: 'serviceaccount',
  namespaced: true,
  shortNames: ['sa'],
  table: {
    columns: [
      nameColumn('service account'),
      {
        name: 'Secrets',
        type: 'integer',
        description: 'Secrets is a list of the secrets in the same namespace',
        priority: 0,
      },
      ageColumn('service account'),
    ],
    row: (obj, now) => [
      obj.metadata.name ?? '',
      Array.isArray(obj['secrets']) ? obj['secrets'].length : 0,
      age(obj, now),
    ],
  },
};
