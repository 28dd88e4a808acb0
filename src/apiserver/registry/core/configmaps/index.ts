import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';

const count = (v: unknown): number => (v !== null && typeof v === 'object' ? Object.keys(v).length : 0);

/** core/v1 ConfigMap (upstream pkg/registry/core/configmap). */
export const configmaps: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  resource: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
  table: {
    columns: [
      nameColumn('configmap'),
      { name: 'Data', type: 'integer', description: 'Number of keys in data and binaryData', priority: 0 },
      ageColumn('configmap'),
    ],
    row: (obj, now) => [
      obj.metadata.name ?? '',
      count(obj['data']) + count(obj['binaryData']),
      age(obj, now),
    ],
  },
};
